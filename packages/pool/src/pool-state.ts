import type { EmbeddingMapper } from "@dreampool/embedding";
import { type DreamError, invalidParameter } from "@dreampool/errors";
import type { MemoryBudget } from "@dreampool/memory";
import type { QueryCache } from "@dreampool/query-cache";
import type { BiasProfile } from "@dreampool/scoring";
import type { ExactIndex } from "@dreampool/soft-index";
import type { EmbeddingIndex } from "./embedding-index.js";
import type { EntryRecord } from "./entry-record.js";
import type { EvictionOrder } from "./eviction-order.js";
import type { ScoreTermBounds } from "./score-term-bounds.js";
import type { ResolvedPoolConfig } from "./types.js";

/** Lifetime counters reported by stats() (reset by clear()). */
export interface PoolCounters {
  added: number;
  gatedOut: number;
  evictedForCapacity: number;
  evictedForBudget: number;
  removed: number;
}

/**
 * Everything a DreamPool holds. The pieces stay consistent after every public call:
 * `entries`, `order`, `chromaIndex` ∪ `zeroChroma` and `embeddingIndex` hold exactly the same ids,
 * and `usedBytes` (and the budget, when set) is the sum of their `bytes`.
 */
export interface PoolState {
  readonly config: ResolvedPoolConfig;
  readonly clock: () => number;
  readonly mapper: EmbeddingMapper;
  /** Live entries in insertion order. */
  readonly entries: Map<string, EntryRecord>;
  readonly order: EvictionOrder;
  /** Mean-RGB rows (dim 3, cosine) for hard mode; entries whose chroma is all zero live in zeroChroma. */
  readonly chromaIndex: ExactIndex;
  readonly zeroChroma: Set<string>;
  readonly embeddingIndex: EmbeddingIndex;
  readonly cache: QueryCache;
  readonly budget: MemoryBudget | null;
  /** Upper bounds on the utility and class terms of the live entries' scores (soft retrieval's pruning). */
  readonly scoreBounds: ScoreTermBounds;
  bias: BiasProfile;
  /**
   * The fingerprint every query-cache lookup passes: the mapper's fingerprint and the bias
   * profile's rounded class weights (see query-embedding.ts). Rebuilt when the bias changes.
   */
  cacheFingerprint: string;
  usedBytes: number;
  /** The next entry id is `${idPrefix}${nextId}`; never reused, not even after clear(). */
  nextId: number;
  nextSeq: number;
  counters: PoolCounters;
  /**
   * True while a retrieval runs the caller's filter. The indices are mid-search then, so any call
   * that would change them (or search them again) from inside the filter is refused.
   */
  filtering: boolean;
}

/** The error for a call made from inside a retrieve filter (see PoolState.filtering). */
export const reentrantCall = (operation: string): DreamError =>
  invalidParameter(
    operation,
    "(called from a retrieve filter)",
    "must not be called while a retrieve filter runs",
  );

export const zeroCounters = (): PoolCounters => ({
  added: 0,
  gatedOut: 0,
  evictedForCapacity: 0,
  evictedForBudget: 0,
  removed: 0,
});
