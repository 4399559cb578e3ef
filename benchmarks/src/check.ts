// Regression check: compares the ratios of the last run (results/latest.json) with the committed
// baseline (results/baseline.json) and fails when one falls more than 20% on its bad side.
// Ratios, not absolute times, because machines differ. `--update` writes the baseline.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { allFigures, baselinePath, figureKey, latestPath, readRun, writeJson } from "./pipeline/results.js";

const TOLERANCE = 0.2;

export function check(update = false): number {
  const latest = readRun(latestPath());
  if (!latest) {
    console.error("no results/latest.json: run `pnpm bench:quick` or `pnpm bench` first");
    return 2;
  }
  const ratios: Record<string, { ratio: number; higherIsBetter: boolean }> = {};
  for (const f of allFigures(latest)) {
    if (!f.comparison || !Number.isFinite(f.comparison.ratio)) continue;
    ratios[figureKey(f)] = { ratio: f.comparison.ratio, higherIsBetter: f.comparison.target?.op !== "<=" };
  }
  if (update) {
    writeJson(baselinePath(), { date: latest.date, quick: latest.quick, ratios });
    console.log(`baseline written: ${Object.keys(ratios).length} ratios`);
    return 0;
  }
  const baseline = readRun(baselinePath()) as unknown as { quick: boolean; ratios: typeof ratios } | null;
  if (!baseline) {
    console.error("no results/baseline.json: run `pnpm bench:baseline` once to create it");
    return 2;
  }
  let regressions = 0;
  let compared = 0;
  for (const [key, base] of Object.entries(baseline.ratios)) {
    const now = ratios[key];
    if (!now) continue;
    compared++;
    const worse = base.higherIsBetter
      ? now.ratio < base.ratio * (1 - TOLERANCE)
      : now.ratio > base.ratio * (1 + TOLERANCE);
    if (worse) {
      regressions++;
      console.log(`REGRESSION  ${key}: ${now.ratio.toFixed(3)} (baseline ${base.ratio.toFixed(3)})`);
    }
  }
  console.log(
    `${compared} ratios compared with the baseline, ${regressions} regressed by more than ${TOLERANCE * 100}%`,
  );
  if (compared === 0)
    console.log(`nothing comparable: the baseline is a ${baseline.quick ? "quick" : "full"} run`);
  return regressions > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = check(process.argv.includes("--update"));
}
