import { rmSync } from "node:fs";
import { PARTS_DIR } from "./harness/tally.js";
import { finishTestRun } from "./run-summary.js";

// Each test file writes its figures to results/parts/; after the whole run they are merged into
// results/last-run.json, the bad-input count is printed, and RELIABILITY.md is rendered.

export function setup(): void {
  rmSync(PARTS_DIR, { recursive: true, force: true });
}

export function teardown(): void {
  finishTestRun();
}
