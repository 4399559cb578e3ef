// Regression check: compares the ratios of the last run (results/latest.json) with the committed
// baseline (results/baseline.json) and fails when one is more than 20% worse. Ratios, not absolute
// times, because machines differ. `--update` records the last run into the baseline (the worse of
// the two per ratio, same profile); `--reset` with it starts the baseline over from the last run.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Baseline, findRegressions, mergeBaseline, TOLERANCE } from "./pipeline/regression.js";
import { baselinePath, latestPath, readJson, readRun, writeJson } from "./pipeline/results.js";

export function check(options: { update?: boolean; reset?: boolean } = {}): number {
  const latest = readRun(latestPath());
  if (!latest) {
    console.error("no results/latest.json: run `pnpm bench:quick` or `pnpm bench` first");
    return 2;
  }
  const baseline = readJson<Baseline>(baselinePath());
  if (options.update) {
    const next = mergeBaseline(baseline, latest, options.reset);
    writeJson(baselinePath(), next);
    console.log(
      `baseline written: ${Object.keys(next.ratios).length} ratios, ${next.quick ? "quick" : "full"} profile, ${next.runs} run(s) merged`,
    );
    return 0;
  }
  if (!baseline) {
    console.error("no results/baseline.json: run `pnpm bench:baseline` once to create it");
    return 2;
  }
  const { compared, regressions } = findRegressions(baseline, latest);
  for (const r of regressions)
    console.log(
      `REGRESSION  ${r.key}: ${r.now.toFixed(3)} (baseline ${r.baseline.toFixed(3)}, ${r.direction} is better)`,
    );
  console.log(
    `${compared} ratios compared with the ${baseline.quick ? "quick" : "full"} baseline of ${baseline.date.slice(0, 10)}, ` +
      `${regressions.length} more than ${TOLERANCE * 100}% worse`,
  );
  if (compared === 0) {
    console.log(
      `nothing comparable: the baseline is a ${baseline.quick ? "quick" : "full"} run, this one is ${latest.quick ? "quick" : "full"}`,
    );
    return 2;
  }
  const missing = Object.keys(baseline.ratios).length - compared;
  if (missing > 0)
    console.log(`(${missing} baseline ratios not in this run: a suite missing or renamed figures)`);
  return regressions.length > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = check({
    update: process.argv.includes("--update"),
    reset: process.argv.includes("--reset"),
  });
}
