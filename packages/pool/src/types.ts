// The pool's plain data types: options, entries, results, stats and the async interface.
// Everything here is type-only (no runtime code), so @dreampool/postgres can implement the same
// shapes without pulling in the in-memory pool.
import type {
  EmbeddingMapperOptions,
  QuerySignature,
  SpectralFeatures,
  WindowFunction,
} from "@dreampool/embedding";
import type { DreamResult } from "@dreampool/errors";
import type { RetrievalWeights, ScoreComponents } from "@dreampool/scoring";
import type { ChromaticTensor, ColorClass, Rgb, SolverResult } from "@dreampool/tensor";

/** Which entry leaves first when the pool is full or over budget. */
export type EvictionPolicy = "fifo" | "lru" | "lowest-utility";

/** The embedding index: exact scan, HNSW, or exact until `autoHnswThreshold` entries then HNSW. */
export type IndexChoice = "exact" | "hnsw" | "auto";

/** hard = chroma cosine; soft = embedding k-NN; hybrid = union of both, de-duplicated, re-ranked. */
export type RetrievalMode = "hard" | "soft" | "hybrid";

/** Values allowed in `meta` (the solver's and the entry's): JSON primitives only. */
export type MetaValue = number | string | boolean;
export type Meta = Readonly<Record<string, MetaValue>>;

/** HNSW parameters used whenever the pool runs an HNSW index. */
export interface PoolHnswOptions {
  /** Graph degree. Default 16. */
  readonly m?: number;
  /** Beam width while inserting. Default 64 (see README "When to use HNSW"). */
  readonly efConstruction?: number;
  /** Beam width while searching (each search uses max(ef, k)). Default 64. */
  readonly ef?: number;
  /** Tombstone fraction that triggers compaction inside the index, in (0, 1]. Default 0.25. */
  readonly compactionThreshold?: number;
  /** Level-generator seed: same seed and same inserts give the same graph. Default 100. */
  readonly seed?: number;
}

/** Options of `DreamPool.create` (every field optional; each is validated). */
export interface DreamPoolOptions {
  /** Most entries kept. Default 1000. */
  readonly maxSize?: number;
  /** `addIfCoherent` keeps results with coherence >= this, in [0, 1]. Default 0.75. */
  readonly coherenceThreshold?: number;
  /** Default k of `retrieve`. Default 10. */
  readonly retrievalLimit?: number;
  /** Byte budget for entries and their index rows: bytes or a size string ("64 MiB"). Default: none. */
  readonly memoryBudgetBytes?: number | string;
  /** With a budget, eviction frees space down to this fraction of it, in (0, 1]. Default 0.9. */
  readonly evictionThreshold?: number;
  /** Default "fifo". */
  readonly evictionPolicy?: EvictionPolicy;
  /** Default "auto". */
  readonly index?: IndexChoice;
  /** Entries at which "auto" switches to HNSW (back to exact below half of it). Default 1500 (DEFAULT_AUTO_HNSW_THRESHOLD). */
  readonly autoHnswThreshold?: number;
  readonly hnsw?: PoolHnswOptions;
  /** Options of the EmbeddingMapper (dim, seed, group weights, included groups). */
  readonly embedding?: EmbeddingMapperOptions;
  /** Query embeddings kept by the query cache. Default 128. */
  readonly queryCacheCapacity?: number;
  /** Default ranking weights (validated by @dreampool/scoring). Default DEFAULT_RETRIEVAL_WEIGHTS. */
  readonly weights?: RetrievalWeights;
  /** Half-life of the recency term in scoring, in ms. Default: scoring's default. */
  readonly recencyHalfLifeMs?: number;
  /** Window of the spectral feature extraction. Default "hann". */
  readonly spectralWindow?: WindowFunction;
  /** Time source in ms since the epoch. Default Date.now. Not stored in snapshots. */
  readonly clock?: () => number;
  /** Prefix of entry ids ("d" gives "d1", "d2", …). Default "d". */
  readonly idPrefix?: string;
}

/** The options after defaults, as stored in snapshots (plain JSON; no clock). */
export interface ResolvedPoolConfig {
  readonly maxSize: number;
  readonly coherenceThreshold: number;
  readonly retrievalLimit: number;
  readonly memoryBudgetBytes: number | null;
  readonly evictionThreshold: number;
  readonly evictionPolicy: EvictionPolicy;
  readonly index: IndexChoice;
  readonly autoHnswThreshold: number;
  readonly hnsw: Required<PoolHnswOptions>;
  readonly embedding: EmbeddingMapperOptions;
  readonly queryCacheCapacity: number;
  readonly weights: RetrievalWeights;
  readonly recencyHalfLifeMs: number | null;
  readonly spectralWindow: WindowFunction;
  readonly idPrefix: string;
}

/** Running utility of an entry: mean of feedback utilities in [-1, 1] (null before any) and count. */
export interface UtilityStats {
  readonly mean: number | null;
  readonly count: number;
}

/**
 * A stored dream, read-only. The object is the pool's own record (not a copy): usage fields change
 * as the pool is used. Do not mutate its arrays.
 */
export interface DreamEntry {
  readonly id: string;
  readonly tensor: ChromaticTensor;
  readonly result: SolverResult;
  /** Mean RGB of the tensor at insertion. */
  readonly chroma: Rgb;
  readonly classLabel: ColorClass | null;
  readonly spectral: SpectralFeatures;
  /** Unit-length embedding (encoded once, with utility neutral; see README "Feedback"). */
  readonly embedding: Float32Array;
  readonly utility: UtilityStats;
  readonly usageCount: number;
  readonly createdAt: number;
  readonly lastUsedAt: number;
  /** Bytes charged for this entry (entry, tensor, vectors, index rows). */
  readonly bytes: number;
  readonly meta: Meta;
}

export interface AddOptions {
  readonly classLabel?: ColorClass | null;
  readonly meta?: Meta;
  /** Creation time; default the pool's clock. */
  readonly now?: number;
}

export interface BatchItem {
  readonly tensor: ChromaticTensor;
  readonly result: SolverResult;
  readonly classLabel?: ColorClass | null;
  readonly meta?: Meta;
}

export interface BatchProgress {
  readonly processed: number;
  readonly added: number;
  readonly total: number;
}

export interface AddBatchOptions {
  /** Called after each item (a throwing callback is ignored after the first throw is reported). */
  readonly onProgress?: (progress: BatchProgress) => void;
  /** Apply the coherence gate. Default true. */
  readonly gate?: boolean;
  readonly now?: number;
}

/** Feedback on one entry: a loss pair (utility = -clamp(after - before, -1, 1)) or a utility. */
export type FeedbackInput =
  | { readonly lossBefore: number; readonly lossAfter: number }
  | { readonly utility: number };

/** A query: a full signature, a tensor (chroma + spectral), or a colour. */
export type PoolQuery = QuerySignature | ChromaticTensor | Rgb;

export interface DiversityOptions {
  /** MMR trade-off in [0, 1]: 1 = pure relevance. Default: the weights' lambda. */
  readonly lambda?: number;
  readonly method: "exact" | "fast";
}

export interface RetrieveOptions {
  /** Default "soft". */
  readonly mode?: RetrievalMode;
  /** Results wanted. Default `retrievalLimit`. */
  readonly k?: number;
  /** Candidates fetched per result before re-ranking (k · overFetch). Default 4. */
  readonly overFetch?: number;
  /** Only entries with this class label. */
  readonly classFilter?: ColorClass;
  /** Only entries whose mean utility is at least this (entries without feedback are excluded). */
  readonly minUtility?: number;
  /** Only entries for which this returns true (a throwing filter fails the call with InvalidParameter). */
  readonly filter?: (entry: DreamEntry) => boolean;
  /** Ranking weights for this call. Default: the pool's. */
  readonly weights?: RetrievalWeights;
  /** MMR re-ranking, or false. Default false. */
  readonly diversity?: DiversityOptions | false;
  /** Time used for recency and lastUsedAt. Default the pool's clock. */
  readonly now?: number;
}

/** One retrieval result; `score` is on the same scale in every mode. */
export interface ScoredDream {
  readonly entry: DreamEntry;
  readonly score: number;
  readonly components: ScoreComponents;
}

export interface PoolMemoryStats {
  /** Bytes charged by live entries (tracked with or without a budget). */
  readonly usedBytes: number;
  /** The budget, or null when none is set. */
  readonly budgetBytes: number | null;
  /** usedBytes / budgetBytes, or null without a budget. */
  readonly ratio: number | null;
}

export interface PoolIndexStats {
  /** The index configuration. */
  readonly mode: IndexChoice;
  /** The index answering now. */
  readonly kind: "exact" | "hnsw";
  readonly dim: number;
  readonly live: number;
  readonly tombstones: number;
  /** Compactions inside the current index plus migrations between kinds. */
  readonly rebuilds: number;
  /** Switches between exact and HNSW (auto mode). */
  readonly migrations: number;
}

export interface PoolCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly hitRate: number;
  readonly size: number;
}

export interface PoolEvictionStats {
  readonly capacity: number;
  readonly budget: number;
  readonly removed: number;
}

export interface PoolStats {
  readonly count: number;
  /** Means over live entries (0 when empty). */
  readonly meanCoherence: number;
  readonly meanEnergy: number;
  readonly meanViolation: number;
  readonly memory: PoolMemoryStats;
  readonly index: PoolIndexStats;
  readonly cache: PoolCacheStats;
  readonly evictions: PoolEvictionStats;
  /** Entries accepted, and results turned away by the coherence gate, since creation. */
  readonly added: number;
  readonly gatedOut: number;
}

type Async<T> = Promise<DreamResult<T>>;

/**
 * The pool API with every method returning a Promise of a DreamResult, so that application code
 * can switch between the in-memory pool (`pool.asAsync()`) and @dreampool/postgres by configuration.
 */
export interface DreamPoolLike {
  add(tensor: ChromaticTensor, result: SolverResult, options?: AddOptions): Async<string>;
  addIfCoherent(tensor: ChromaticTensor, result: SolverResult, options?: AddOptions): Async<string | null>;
  addWithClass(tensor: ChromaticTensor, result: SolverResult, classLabel: ColorClass): Async<string | null>;
  addBatch(items: Iterable<BatchItem>, options?: AddBatchOptions): Async<number>;
  get(id: string): Async<DreamEntry | undefined>;
  has(id: string): Async<boolean>;
  remove(id: string): Async<boolean>;
  entries(): Async<DreamEntry[]>;
  size(): Async<number>;
  clear(): Async<void>;
  feedback(id: string, input: FeedbackInput): Async<UtilityStats>;
  retrieve(query: PoolQuery, options?: RetrieveOptions): Async<ScoredDream[]>;
  retrieveSimilar(rgb: Rgb, k?: number): Async<ScoredDream[]>;
  retrieveSimilarClass(rgb: Rgb, classLabel: ColorClass, k?: number): Async<ScoredDream[]>;
  retrieveBalanced(rgb: Rgb, classes: readonly ColorClass[], kPerClass: number): Async<ScoredDream[]>;
  retrieveByUtility(rgb: Rgb, k: number, minUtility: number): Async<ScoredDream[]>;
  retrieveDiverse(rgb: Rgb, k: number, lambda: number, minDispersion?: number): Async<ScoredDream[]>;
  retrieveSoft(query: PoolQuery, k?: number, weights?: RetrievalWeights): Async<ScoredDream[]>;
  stats(): Async<PoolStats>;
  /** Releases resources (connections); the in-memory pool has none. */
  close(): Async<void>;
}
