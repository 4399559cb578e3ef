import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Spread } from "./stats.js";

/** One figure of a benchmark run, as stored in the results file. */
export interface Figure {
  /** e.g. "exact top-10, n=100000, d=64, clustered" */
  scenario: string;
  /** e.g. "ExactIndex" */
  subject: string;
  /** e.g. "ms/query", "entries/s", "recall@10", "ratio" */
  unit: string;
  value: Spread;
  /** How `value` compares with a baseline measured in the same run. */
  comparison?: {
    baseline: string;
    /** What the ratio means, e.g. "x faster" (baseline time / ours) or "x of baseline QPS". */
    meaning: string;
    ratio: number;
    target?: { op: ">=" | "<="; value: number };
    holds?: boolean;
  };
}

function repoRoot(start = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(start);
    dir = up;
  }
}

/** Where suites write their figures: $DREAMPOOL_BENCH_DIR or <repo>/benchmarks/results/suites. */
export function resultsDir(): string {
  return process.env.DREAMPOOL_BENCH_DIR ?? join(repoRoot(), "benchmarks", "results", "suites");
}

/** A line of a chart: named points, e.g. recall@10 (x) against queries/s (y). */
export interface Series {
  /** Which chart this line belongs to, e.g. "hnsw-recall-qps". */
  chart: string;
  label: string;
  xLabel: string;
  yLabel: string;
  points: { x: number; y: number; note?: string }[];
  /** Draw the axis on a log scale. */
  logX?: boolean;
  logY?: boolean;
  /** Vertical markers drawn across the plot, e.g. a crossover size. */
  marks?: { x: number; label: string }[];
}

/** Collects the figures of one suite, prints each as it comes, and writes them as JSON at the end. */
export class SuiteRecorder {
  readonly figures: Figure[] = [];
  readonly series: Series[] = [];
  private readonly started = performance.now();
  constructor(readonly suite: string) {
    console.log(`\n== suite ${suite}${isQuick() ? " (quick)" : ""} ==`);
  }

  /** Prints a section header. */
  section(title: string): void {
    console.log(`\n${title}`);
  }

  add(figure: Figure): Figure {
    if (figure.comparison?.target && figure.comparison.holds === undefined) {
      const { op, value } = figure.comparison.target;
      figure.comparison.holds =
        op === ">=" ? figure.comparison.ratio >= value : figure.comparison.ratio <= value;
    }
    this.figures.push(figure);
    console.log(formatFigure(figure));
    return figure;
  }

  /** Adds a chart line (drawn into BENCHMARKS.md by the pipeline). */
  addSeries(series: Series): void {
    this.series.push(series);
  }

  /** Writes <resultsDir>/<suite>.json (merging nothing: one file per suite per run). */
  write(): string {
    const dir = resultsDir();
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${this.suite}.json`);
    const body = {
      suite: this.suite,
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      quick: process.env.DREAMPOOL_BENCH_QUICK === "1",
      figures: this.figures,
      series: this.series,
    };
    writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    console.log(`\n== suite ${this.suite}: ${this.figures.length} figures in ${seconds} s, wrote ${file} ==`);
    return file;
  }
}

const fmt = (x: number): string =>
  !Number.isFinite(x)
    ? String(x)
    : Math.abs(x) >= 100
      ? x.toFixed(0)
      : Math.abs(x) >= 1
        ? x.toFixed(2)
        : x.toPrecision(3);

export function formatFigure(f: Figure): string {
  const v = `${fmt(f.value.median)} ${f.unit}`;
  const s = f.value.samples > 1 ? ` [${fmt(f.value.min)}..${fmt(f.value.max)}]` : "";
  let line = `  ${f.subject.padEnd(44)} ${`${v}${s}`.padEnd(34)}`;
  const c = f.comparison;
  if (c) {
    line += ` ${fmt(c.ratio)}${c.meaning} vs ${c.baseline}`;
    if (c.target)
      line += `  (target ${c.target.op} ${c.target.value}: ${c.holds ? "holds" : "DOES NOT HOLD"})`;
  }
  return line;
}

/** Reads a suite file written earlier (for the pipeline). */
export interface SuiteFile {
  suite: string;
  date: string;
  node: string;
  platform: string;
  quick: boolean;
  figures: Figure[];
  series?: Series[];
}

export function readSuite(file: string): SuiteFile {
  return JSON.parse(readFileSync(file, "utf8")) as SuiteFile;
}

/** True when the quick profile is requested (DREAMPOOL_BENCH_QUICK=1): suites shrink sizes and rounds. */
export const isQuick = (): boolean => process.env.DREAMPOOL_BENCH_QUICK === "1";
