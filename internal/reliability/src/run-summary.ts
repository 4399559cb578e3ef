import { rmSync } from "node:fs";
import { PARTS_DIR, readParts, writeResult } from "./harness/tally.js";
import { renderReliability } from "./render.js";

export interface BadInputSummary {
  readonly total: number;
  readonly byArea: Record<string, number>;
}

/** The parts a complete test run writes (one or more per test file). */
const EXPECTED_PARTS = [
  "props-indexes",
  "props-pool",
  "props-packages",
  "props-hostile-files",
  "props-postgres",
  "crash",
  "soak-short",
  "concurrency-io",
  "concurrency-postgres",
];

/** Sums the bad-input cases of every props-* part. */
export function sumBadInputs(parts: Record<string, unknown>): BadInputSummary {
  const byArea: Record<string, number> = {};
  let total = 0;
  for (const [name, part] of Object.entries(parts)) {
    if (!name.startsWith("props-")) continue;
    const cases = (part as { cases?: Record<string, number> }).cases ?? {};
    for (const [area, n] of Object.entries(cases)) {
      byArea[area] = (byArea[area] ?? 0) + n;
      total += n;
    }
  }
  return { total, byArea };
}

function withoutCases(part: unknown): unknown {
  if (typeof part !== "object" || part === null) return part;
  const { cases: _cases, ...rest } = part as Record<string, unknown>;
  return rest;
}

/** Merges the parts of this test run into results/last-run.json, prints the count, renders RELIABILITY.md. */
export function finishTestRun(): void {
  const parts = readParts();
  const badInputs = sumBadInputs(parts);
  const missing = EXPECTED_PARTS.filter((name) => !(name in parts));
  if (missing.length > 0) {
    // A filtered or failed run: print what it did, keep the last complete run's figures.
    console.log(
      `reliability: ${badInputs.total} bad-input cases tried (partial run, missing ${missing.join(", ")}: results/last-run.json kept)`,
    );
    rmSync(PARTS_DIR, { recursive: true, force: true });
    return;
  }
  // Every part stays in the file (render.ts reads the hostile-file figures from theirs).
  const others = Object.fromEntries(Object.entries(parts).map(([name, part]) => [name, withoutCases(part)]));
  writeResult("last-run.json", {
    finishedAt: new Date().toISOString(),
    node: process.version,
    badInputs,
    ...others,
  });
  rmSync(PARTS_DIR, { recursive: true, force: true });
  console.log(`reliability: ${badInputs.total} bad-input cases tried`);
  renderReliability();
}
