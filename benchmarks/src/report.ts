// Merges the suite files of the last run into results/latest.json, renders BENCHMARKS.md with its
// charts, and refreshes the figures between bench markers in every README.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
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
  const charts = writeCharts(run, join(repoRoot, "benchmarks", "results", "charts"));
  const md = join(repoRoot, "BENCHMARKS.md");
  writeFileSync(md, renderBenchmarksMd(run, charts, repoRoot));
  const readmes = updateReadmeMarkers(run, readmeFiles(repoRoot));
  console.log(
    `wrote ${latestPath()}, ${md}, ${charts.length} chart(s); refreshed ${readmes.length} README(s)`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) report();
