import { rmSync } from "node:fs";
import { PARTS_DIR, readParts, writeResult } from "./harness/tally.js";
import { renderReliability } from "./render.js";

export interface BadInputSummary {
  readonly total: number;
  readonly byArea: Record<string, number>;
}

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

/** Merges the parts of this test run into results/last-run.json, prints the count, renders RELIABILITY.md. */
export function finishTestRun(): void {
  const parts = readParts();
  if (Object.keys(parts).length === 0) return; // a filtered run that wrote nothing keeps the last file
  const badInputs = sumBadInputs(parts);
  const others = Object.fromEntries(Object.entries(parts).filter(([name]) => !name.startsWith("props-")));
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
