import {
  capacityExceeded,
  criticalState,
  type DreamError,
  indexCorrupted,
  memoryExceeded,
} from "@dreampool/errors";
import type { Hit, Metric } from "@dreampool/soft-index";
// hnswlib-node is a CommonJS native addon: Node's ESM loader cannot see its named exports, so we
// take the default export (module.exports) and read the class from it (peers.md §2.4 item 10).
import hnswlib from "hnswlib-node";

export const { HierarchicalNSW } = hnswlib;
export type NativeIndex = InstanceType<typeof HierarchicalNSW>;
export type NativeSpace = "l2" | "ip";

/**
 * The hnswlib space behind each metric. Cosine runs on `ip` over rows we normalise ourselves (once,
 * in JS, while copying), so the stored vector, `get()` and the snapshot all hold the same floats.
 */
export function spaceFor(metric: Metric): NativeSpace {
  return metric === "euclidean" ? "l2" : "ip";
}

/** A hit with hnswlib's distance turned into the contract's score and distance (contract.ts "Metric"). */
export function hitOf(metric: Metric, id: string, nativeDistance: number): Hit {
  if (metric === "euclidean") {
    // hnswlib's l2 is the squared distance; rounding can make it a hair negative.
    const distance = Math.sqrt(Math.max(0, nativeDistance));
    return { id, score: -distance, distance };
  }
  return { id, score: 1 - nativeDistance, distance: nativeDistance };
}

function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/**
 * hnswlib's exceptions arrive as plain Errors with "Hnswlib Error: ..." strings; this maps the ones we
 * can meet to DreamError kinds. Anything unexpected is a CriticalState naming the native message.
 */
export function translateNativeError(thrown: unknown, context: string, capacity = 0): DreamError {
  const message = messageOf(thrown);
  const cause = { cause: thrown };
  if (/corrupted or unsupported|Cannot open file|Label not found/i.test(message)) {
    return indexCorrupted(`${context}: hnswlib says "${message}"`, cause);
  }
  if (/Not enough memory/i.test(message)) {
    return memoryExceeded(Number.NaN, Number.NaN, cause);
  }
  if (/exceeds the specified limit/i.test(message)) {
    return capacityExceeded(capacity + 1, capacity, cause);
  }
  return criticalState(context, `hnswlib failed: ${message}`, cause);
}
