import type { DreamResult } from "@dreampool/errors";

/**
 * How vectors are compared. Scores are always "higher is better":
 * - cosine:        score = cos(q, v) in [-1, 1],  distance = 1 - score
 * - inner-product: score = q . v,                 distance = 1 - score (hnswlib's `ip`)
 * - euclidean:     distance = ||q - v||_2,        score = -distance
 */
export type Metric = "cosine" | "euclidean" | "inner-product";

export const METRICS: readonly Metric[] = ["cosine", "euclidean", "inner-product"];

/** One search result. */
export interface Hit {
  readonly id: string;
  readonly score: number;
  readonly distance: number;
}

export interface SearchOptions {
  /** Keep only ids for which this returns true. A throwing filter counts as "reject". */
  readonly filter?: (id: string) => boolean;
  /** Drop hits whose score is below this. */
  readonly minScore?: number;
}

/** Counts an index reports about itself (for pool stats and memory accounting). */
export interface IndexStats {
  readonly kind: string;
  readonly dim: number;
  readonly metric: Metric;
  /** Live entries. */
  readonly size: number;
  /** Removed entries still occupying slots (always 0 for the exact index). */
  readonly tombstones: number;
  /** Slots allocated. */
  readonly capacity: number;
  /** Full rebuilds (compactions) done so far. */
  readonly rebuilds: number;
  /** Filter callbacks that threw and were counted as "reject". */
  readonly filterErrors: number;
}

/**
 * The contract every vector index of dreampool implements (exact, HNSW; postgres mirrors it).
 * - ids are non-empty strings chosen by the caller; vectors are Float32Array (copied on the way in).
 * - `k <= 0` or non-integer k -> InvalidParameter; `k > size` -> all live entries; empty -> [].
 * - wrong length -> DimensionMismatch; NaN/Infinity -> InvalidParameter; the index is unchanged.
 * - cosine: a zero vector (entry or query) has no direction -> InvalidParameter.
 * - `minScore` NaN or a non-function `filter` -> InvalidParameter; `minScore` keeps score >= minScore.
 * - results best first; ties broken by id (lexicographic ascending), so answers are deterministic.
 * - `toBytes()` output restored by the implementation's `fromBytes` gives the same entries and
 *   answers; truncated or damaged bytes -> IndexCorrupted (never garbage answers).
 * The executable form of these rules is `describeVectorIndexContract` in
 * `@dreampool/soft-index/testing`.
 */
export interface VectorIndex {
  readonly kind: string;
  readonly dim: number;
  readonly metric: Metric;
  /** Live entries. */
  readonly size: number;
  /** Adds a new id; an id already present -> InvalidParameter. */
  add(id: string, vector: Float32Array): DreamResult<void>;
  /** Adds or replaces. */
  upsert(id: string, vector: Float32Array): DreamResult<void>;
  /** Removes an id; false when it was not there. */
  remove(id: string): boolean;
  has(id: string): boolean;
  /** A copy of the stored vector (for cosine: as stored, i.e. normalised), or undefined. */
  get(id: string): Float32Array | undefined;
  /** Live ids, in no particular order. */
  ids(): IterableIterator<string>;
  search(query: Float32Array, k: number, options?: SearchOptions): DreamResult<Hit[]>;
  searchBatch(queries: readonly Float32Array[], k: number, options?: SearchOptions): DreamResult<Hit[][]>;
  clear(): void;
  stats(): IndexStats;
  /** A self-describing snapshot (format version, metric, dim, ids, vectors, index state). */
  toBytes(): DreamResult<Uint8Array>;
}
