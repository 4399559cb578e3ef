import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { type Figure, readSuite, resultsDir, type SuiteFile } from "@dreampool/bench-kit";

/** The merged results of a run: what `benchmarks/results/latest.json` holds. */
export interface RunResults {
  date: string;
  node: string;
  machine: { cpu: string; cores: number; memoryGiB: number; platform: string };
  quick: boolean;
  suites: SuiteFile[];
}

export const benchmarksRoot = (): string => join(resultsDir(), "..", "..");
export const latestPath = (): string => join(resultsDir(), "..", "latest.json");
export const baselinePath = (): string => join(resultsDir(), "..", "baseline.json");

/** Reads every suite file written by this run's suites and merges them. */
export function collectSuites(): RunResults {
  const dir = resultsDir();
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .sort()
    : [];
  const suites = files.map((f) => readSuite(join(dir, f)));
  return {
    date: new Date().toISOString(),
    node: process.version,
    machine: {
      cpu: cpus()[0]?.model.trim() ?? "unknown",
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      platform: `${process.platform} ${process.arch}`,
    },
    quick: suites.some((s) => s.quick),
    suites,
  };
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function readJson<T>(path: string): T | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : null;
}

export const readRun = (path: string): RunResults | null => readJson<RunResults>(path);

/** Every figure with its suite name attached. */
export function allFigures(run: RunResults): (Figure & { suite: string })[] {
  return run.suites.flatMap((s) => s.figures.map((f) => ({ ...f, suite: s.suite })));
}

/** A stable key for a figure's comparison, used by the regression check. */
export const figureKey = (f: Figure & { suite: string }): string =>
  `${f.suite} | ${f.scenario} | ${f.subject} | vs ${f.comparison?.baseline ?? "-"}`;
