export {
  QUERY_CACHE_ENTRY_OVERHEAD_BYTES,
  QueryCache,
  type QueryCacheOptions,
  type QueryCacheStats,
} from "./query-cache.js";
export type { CacheableQuery } from "./query-key.js";
export { type DigestDims, tensorDigest } from "./tensor-digest.js";
export type { CacheableTensor } from "./tensor-key.js";
