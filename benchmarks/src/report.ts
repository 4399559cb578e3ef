// Merges the suite files of the last run into results/latest.json, renders BENCHMARKS.md with its
// charts, and refreshes the figures between bench markers in every README.
// A run into another directory (DREAMPOOL_BENCH_DIR=<dir>/suites) writes latest.json, BENCHMARKS.md and
// the charts into <dir> and leaves the repository's Markdown alone.
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readmeFiles, renderBenchmarksMd, updateReadmeMarkers, writeCharts } from "./pipeline/render.js";
import { collectSuites, latestPath, writeJson } from "./pipeline/results.js";

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
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) report();
