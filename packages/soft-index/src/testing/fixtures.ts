import type { DreamErrorKind, DreamResult } from "@dreampool/errors";
import { expect } from "vitest";
import type { Hit, Metric, VectorIndex } from "../contract.js";

/** How the suite builds and restores the index under test. */
export interface ContractFactoryOptions {
  readonly dim: number;
  readonly metric: Metric;
}

export type VectorIndexFactory = (options: ContractFactoryOptions) => VectorIndex;

export interface VectorIndexContractOptions {
  /** Rebuilds an index from its `toBytes()` output, e.g. `(bytes) => ExactIndex.fromBytes(bytes)`. */
  readonly restore: (bytes: Uint8Array) => DreamResult<VectorIndex>;
  /** Metrics to run the suite for. Default: all three. */
  readonly metrics?: readonly Metric[];
  /**
   * Lowest acceptable mean recall@k against the naive scan in the random differential test.
   * 1 (the default) demands exact answers; an approximate index may pass e.g. 0.95.
   */
  readonly minRecall?: number;
  /** fast-check runs of the differential test. Default 60. */
  readonly numRuns?: number;
}

/** Asserts a failed result of the given kind and returns its message (for further checks). */
export function expectErrKind<T>(result: DreamResult<T>, kind: DreamErrorKind): string {
  expect(result.ok, `expected ${kind}, got ok`).toBe(false);
  if (result.ok) return "";
  expect(result.error.kind).toBe(kind);
  return result.error.message;
}

export function expectOk<T>(result: DreamResult<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}

export const vec = (...xs: number[]): Float32Array => Float32Array.from(xs);

/** A vector with distinct, non-trivial components (seeded, deterministic). */
export function patterned(dim: number, seed: number): Float32Array {
  const v = new Float32Array(dim);
  for (let i = 0; i < dim; i++) v[i] = Math.sin(seed * 12.9898 + i * 78.233) * 3 + ((seed + i) % 5) - 2;
  return v;
}

/** Everything observable about an index, to prove that a failed call left it unchanged. */
export function snapshotOf(index: VectorIndex, probe: Float32Array): unknown {
  const ids = [...index.ids()].sort();
  const search = index.search(probe, Math.max(1, index.size));
  return {
    size: index.size,
    ids,
    vectors: ids.map((id) => Array.from(index.get(id) ?? [])),
    hits: search.ok ? search.value.map((h) => [h.id, h.score]) : search.error.kind,
  };
}

export const hitIds = (hits: readonly Hit[]): string[] => hits.map((h) => h.id);

/** Score tolerance: float32 storage and a different summation order move scores this much. */
export const tolerance = (score: number): number => 1e-4 * Math.max(1, Math.abs(score));

/** Asserts best-first order with ties broken by id ascending, and distance/score consistency. */
export function expectWellOrdered(hits: readonly Hit[], metric: Metric): void {
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i] as Hit;
    expect(Number.isFinite(h.score)).toBe(true);
    const expectedDistance = metric === "euclidean" ? -h.score : 1 - h.score;
    expect(h.distance).toBeCloseTo(expectedDistance, 5);
    if (i === 0) continue;
    const prev = hits[i - 1] as Hit;
    expect(prev.score).toBeGreaterThanOrEqual(h.score);
    if (prev.score === h.score) expect(prev.id < h.id).toBe(true);
  }
}
