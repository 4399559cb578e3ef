export { DEFAULT_AUTO_HNSW_THRESHOLD, DEFAULT_OVER_FETCH, MAX_POOL_SIZE, resolveConfig } from "./config.js";
export { DreamPool } from "./dream-pool.js";
export {
  type ResolvedRetrieveOptions,
  type RetrieveDefaults,
  resolveRetrieveOptions,
} from "./retrieve-options.js";
export {
  SNAPSHOT_FORMAT_VERSION,
  SNAPSHOT_MAGIC,
  type SnapshotLoadOptions,
} from "./snapshot/snapshot-codec.js";
export type {
  AddBatchOptions,
  AddOptions,
  BatchItem,
  BatchProgress,
  DiversityOptions,
  DreamEntry,
  DreamPoolLike,
  DreamPoolOptions,
  EvictionPolicy,
  FeedbackInput,
  IndexChoice,
  Meta,
  MetaValue,
  PoolCacheStats,
  PoolEvictionStats,
  PoolHnswOptions,
  PoolIndexStats,
  PoolMemoryStats,
  PoolQuery,
  PoolStats,
  ResolvedPoolConfig,
  RetrievalMode,
  RetrieveOptions,
  ScoredDream,
  UtilityStats,
} from "./types.js";
