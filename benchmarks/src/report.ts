// Merges the suite files of the last run into results/latest.json, renders BENCHMARKS.md with its
// charts, and refreshes the figures between bench markers in every README.
// A run into another directory (DREAMPOOL_BENCH_DIR=<dir>/suites) writes latest.json, BENCHMARKS.md and
// the charts into <dir> and leaves the repository's Markdown alone.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { findMarkers, unresolved } from "./pipeline/readme-figures.js";
import { readmeFiles, renderBenchmarksMd, updateReadmeMarkers, writeCharts } from "./pipeline/render.js";
import { collectSuites, latestPath, type RunResults, writeJson } from "./pipeline/results.js";

/** Markers in the READMEs that name a figure this run did not record, one line each. */
export function unresolvedMarkers(run: RunResults, repoRoot: string): string[] {
  return readmeFiles(repoRoot).flatMap((file) =>
    findMarkers(readFileSync(file, "utf8")).flatMap((m) => {
      const why = unresolved(run, m);
      return why === undefined ? [] : [`${relative(repoRoot, file)}:${m.line}: ${why}`];
    }),
  );
}

export function report(): void {
  const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
  const run = collectSuites();
  if (run.suites.length === 0) {
    console.error("no suite results found: run `pnpm bench` or `pnpm bench:quick` first");
    process.exitCode = 1;
    return;
  }
  writeJson(latestPath(), run);
  const elsewhere = process.env.DREAMPOOL_BENCH_DIR !== undefined;
  const outDir = elsewhere ? dirname(latestPath()) : repoRoot;
  const charts = writeCharts(
    run,
    elsewhere ? join(outDir, "charts") : join(repoRoot, "benchmarks", "results", "charts"),
  );
  const md = join(outDir, "BENCHMARKS.md");
  writeFileSync(md, renderBenchmarksMd(run, charts, outDir));
  const readmes = elsewhere ? [] : updateReadmeMarkers(run, readmeFiles(repoRoot));
  console.log(
    `wrote ${latestPath()}, ${md}, ${charts.length} chart(s); refreshed ${readmes.length} README(s)`,
  );
  // A marker that names no recorded figure shows "(not measured in the last run)" in its README. A
  // quick run legitimately lacks the full sizes, so there it is a warning; a full run fails.
  const missing = unresolvedMarkers(run, repoRoot);
  if (missing.length > 0) {
    const level = run.quick ? "warning" : "error";
    console.error(
      `${level}: ${missing.length} README bench marker(s) name a figure this ${run.quick ? "quick " : ""}run did not record:`,
    );
    for (const line of missing) console.error(`  ${line}`);
    if (!run.quick) process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) report();
