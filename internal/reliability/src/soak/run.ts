import { loadavg } from "node:os";
import { writeResult } from "../harness/tally.js";
import { renderReliability } from "../render.js";
import { runChurn } from "./churn.js";

// `pnpm soak`: the full churn soak (1,000,000 operations unless SOAK_OPS says otherwise).
// Run with --expose-gc (the package script does) so heap samples are taken after a full GC.

const operations = Number(process.env.SOAK_OPS ?? 1_000_000);
const started = new Date();
const loadAtStart = loadavg()[0] ?? 0;
console.log(
  `soak: ${operations.toLocaleString("en")} operations on a budgeted HNSW pool (gc ${typeof (globalThis as { gc?: unknown }).gc === "function" ? "exposed" : "NOT exposed"})`,
);
const figures = await runChurn({
  operations,
  seed: Number(process.env.SOAK_SEED ?? 20_261_125),
  checkEvery: 1000,
  snapshotEvery: 50_000,
  fileSnapshotEvery: 200_000,
  heapEvery: 5000,
  maxSize: 2000,
  memoryBudgetBytes: 6 * 1024 * 1024,
  onProgress: (done, f) =>
    console.log(
      `  ${done.toLocaleString("en")} ops, ${(performance.now() / 1000).toFixed(0)} s, size max ${f.maxSizeSeen}, evicted ${f.evicted}, violations ${f.violations.length}`,
    ),
});
const leakFree = figures.heapRatio !== null && figures.heapRatio <= 1.05;
const passed = figures.violations.length === 0 && figures.entriesLost === 0 && leakFree;
// The machine's 1-minute load average at start and end: the duration is only comparable on a quiet machine.
const loadAverage = [loadAtStart, loadavg()[0] ?? 0];
writeResult("soak.json", {
  kind: "full",
  startedAt: started.toISOString(),
  node: process.version,
  passed,
  leakFree,
  loadAverage,
  ...figures,
});
console.log(
  `soak: ${figures.operations.toLocaleString("en")} operations in ${(figures.durationMs / 1000).toFixed(1)} s (${figures.opsPerSecond} ops/s), ` +
    `${figures.invariantChecks} invariant checks, ${figures.resultsChecked} results checked, ${figures.evicted} evicted, ${figures.removed} removed, ` +
    `${figures.snapshotRoundTrips} + ${figures.fileSnapshots} snapshot round trips, heap ratio ${figures.heapRatio?.toFixed(4) ?? "n/a"}, ` +
    `violations ${figures.violations.length}, entries lost ${figures.entriesLost}`,
);
for (const v of figures.violations) console.log(`  violation: ${v}`);
renderReliability();
process.exit(passed ? 0 : 1);
