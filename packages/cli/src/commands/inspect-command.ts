import { resolve } from "node:path";
import { COLOR_CLASSES, type DreamEntry, type DreamResult, formatBytes, ok } from "dreampool";
import { parseInteger } from "../args.js";
import { writeFileAtomic } from "../files.js";
import { inspectHtml } from "../html/inspect-html.js";
import type { CliIo } from "../io.js";
import { fixed, signed, table } from "../table.js";
import { statsLine } from "../text-report.js";
import { loadSnapshot } from "./load.js";

export interface InspectCommandOptions {
  readonly sample: string;
  readonly report?: string;
  readonly json?: boolean;
}

/** Entries per class, in the fixed class order (unlabelled entries under "none"). */
export function classCounts(entries: readonly DreamEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of COLOR_CLASSES) counts[c] = 0;
  counts.none = 0;
  for (const e of entries) counts[e.classLabel ?? "none"] = (counts[e.classLabel ?? "none"] ?? 0) + 1;
  return counts;
}

/** An even sample of `n` entries across the insertion order. */
export function sampleEntries(entries: readonly DreamEntry[], n: number): DreamEntry[] {
  if (entries.length <= n) return [...entries];
  return Array.from({ length: n }, (_, i) => entries[Math.floor((i * entries.length) / n)] as DreamEntry);
}

export function entrySummary(e: DreamEntry) {
  return {
    id: e.id,
    classLabel: e.classLabel,
    coherence: e.result.coherence,
    energy: e.result.energy,
    violation: e.result.violation,
    utility: e.utility.mean,
    feedbackCount: e.utility.count,
    usageCount: e.usageCount,
    chroma: e.chroma,
    bytes: e.bytes,
  };
}

/** Prints a snapshot's stats, classes, memory and a sample of entries (and writes the report). */
export async function inspectCommand(
  snapshot: string,
  o: InspectCommandOptions,
  io: CliIo,
): Promise<DreamResult<number>> {
  const n = parseInteger("--sample", o.sample, 0, 1000);
  if (!n.ok) return n;
  const pool = await loadSnapshot(snapshot, io.cwd);
  if (!pool.ok) return pool;
  const entries = pool.value.entries();
  const stats = pool.value.stats();
  const counts = classCounts(entries);
  const sample = sampleEntries(entries, n.value);
  const reportPath = o.report === undefined ? null : resolve(io.cwd, o.report);
  if (reportPath !== null) await writeFileAtomic(reportPath, inspectHtml(snapshot, pool.value, sample));
  if (o.json) {
    const config = pool.value.config;
    io.stdout(
      `${JSON.stringify({ snapshot, stats, config, classes: counts, sample: sample.map(entrySummary), report: reportPath }, null, 2)}\n`,
    );
    return ok(0);
  }
  const lines = [
    `${snapshot}`,
    `  ${statsLine(stats)}`,
    `  mean coherence ${fixed(stats.meanCoherence, 3)} · mean energy ${fixed(stats.meanEnergy, 2)} · coherence gate ${pool.value.config.coherenceThreshold}`,
    `  classes: ${Object.entries(counts)
      .filter(([, c]) => c > 0)
      .map(([k, c]) => `${k} ${c}`)
      .join(", ")}`,
    "",
    `  sample of ${sample.length}:`,
    ...table(
      ["id", "class", "coherence", "energy", "utility", "uses", "mean rgb", "bytes"],
      sample.map((e) => [
        e.id,
        e.classLabel ?? "—",
        fixed(e.result.coherence, 3),
        fixed(e.result.energy, 2),
        e.utility.mean === null ? "—" : signed(e.utility.mean, 2),
        String(e.usageCount),
        e.chroma.map((c) => c.toFixed(2)).join(","),
        formatBytes(e.bytes),
      ]),
      "    ",
    ),
  ];
  if (reportPath !== null) lines.push("", `  Report: ${reportPath}`);
  io.stdout(`${lines.join("\n")}\n`);
  return ok(0);
}
