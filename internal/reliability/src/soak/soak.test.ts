import { describe, expect, it } from "vitest";
import { writePart } from "../harness/tally.js";
import { runChurn } from "./churn.js";

// Long fault-injection runs: on a loaded CI machine (every package testing at once) they can take
// several times their quiet-machine time; a timeout is not what they check.
const LONG_TEST_MS = 300_000;

// The short churn soak of the test run (the full one is `pnpm soak`): the same mix and the same
// invariants, 20,000 operations, with snapshot round trips through memory and through files.

const OPERATIONS = Number(process.env.RELIABILITY_SOAK_OPS ?? 20_000);

describe("churn soak (short)", () => {
  it(
    `${OPERATIONS.toLocaleString("en")} mixed operations keep every invariant`,
    async () => {
      const figures = await runChurn({
        operations: OPERATIONS,
        seed: 7,
        checkEvery: 1000,
        snapshotEvery: 5000,
        fileSnapshotEvery: 10_000,
        heapEvery: 1000,
        maxSize: 600,
        memoryBudgetBytes: 2 * 1024 * 1024,
      });
      const { heapSamples: _samples, ...rest } = figures;
      writePart("soak-short", { kind: "short", ...rest });
      expect(figures.violations).toEqual([]);
      expect(figures.entriesLost).toBe(0);
      expect(figures.invariantChecks).toBeGreaterThanOrEqual(OPERATIONS / 1000);
      expect(figures.evicted).toBeGreaterThan(0);
      expect(figures.snapshotRoundTrips).toBe(OPERATIONS / 5000);
      expect(figures.fileSnapshots).toBe(OPERATIONS / 10_000);
      expect(figures.maxSizeSeen).toBeLessThanOrEqual(600);
      expect(figures.maxBudgetRatioSeen).toBeLessThanOrEqual(1);
    },
    LONG_TEST_MS,
  );
});
