import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type DreamResult, ok } from "dreampool";
import { parseBudget, parseIndex, parseInteger, parseStore, parseUnitInterval } from "../args.js";
import { runDemo } from "../demo.js";
import { writeFileAtomic } from "../files.js";
import { demoHtml } from "../html/demo-html.js";
import type { CliIo } from "../io.js";
import { barProgress, lineProgress, type Progress, silentProgress } from "../progress.js";
import { demoText } from "../text-report.js";

export interface DemoCommandOptions {
  readonly size: string;
  readonly seed: string;
  readonly k: string;
  readonly index: string;
  readonly budget?: string;
  readonly store?: string;
  readonly table: string;
  readonly snapshot: string;
  readonly coherence: string;
  readonly abTargets: string;
  readonly report?: string;
  readonly json?: boolean;
}

/** The embedded default's snapshot: one stable path under the system temp directory. */
export function defaultSnapshotPath(): string {
  return join(tmpdir(), "dreampool", "demo.dpool");
}

function progressFor(o: DemoCommandOptions, io: CliIo): Progress {
  if (o.json) return silentProgress;
  return io.tty ? barProgress(io.tty) : lineProgress((line) => io.stderr(`${line}\n`));
}

/** Validates the options, runs the demo, prints it (text or JSON) and writes the report. */
export async function demoCommand(o: DemoCommandOptions, io: CliIo): Promise<DreamResult<number>> {
  const size = parseInteger("--size", o.size, 1, 50_000);
  if (!size.ok) return size;
  const seed = parseInteger("--seed", o.seed, 0, 2 ** 31 - 1);
  if (!seed.ok) return seed;
  const k = parseInteger("-k", o.k, 1, 100);
  if (!k.ok) return k;
  const index = parseIndex(o.index);
  if (!index.ok) return index;
  const coherence = parseUnitInterval("--coherence", o.coherence);
  if (!coherence.ok) return coherence;
  const abTargets = parseInteger("--ab-targets", o.abTargets, 1, 1000);
  if (!abTargets.ok) return abTargets;
  const budget = o.budget === undefined ? ok(null) : parseBudget(o.budget);
  if (!budget.ok) return budget;
  const store = o.store === undefined ? ok(null) : parseStore(o.store);
  if (!store.ok) return store;
  const snapshotPath = resolve(io.cwd, o.snapshot);
  if (store.value === null) await mkdir(dirname(snapshotPath), { recursive: true });

  const report = await runDemo({
    size: size.value,
    seed: seed.value,
    k: k.value,
    index: index.value,
    budgetBytes: budget.value,
    store: store.value,
    table: o.table,
    snapshotPath,
    coherenceThreshold: coherence.value,
    abTargets: abTargets.value,
    progress: progressFor(o, io),
  });
  if (!report.ok) return report;
  const reportPath = o.report === undefined ? null : resolve(io.cwd, o.report);
  if (reportPath !== null) await writeFileAtomic(reportPath, demoHtml(report.value));
  if (o.json) io.stdout(`${JSON.stringify({ ...report.value, report: reportPath }, null, 2)}\n`);
  else {
    io.stdout(`${demoText(report.value).join("\n")}\n`);
    if (reportPath !== null) io.stdout(`   Report: ${reportPath}\n`);
  }
  return ok(0);
}
