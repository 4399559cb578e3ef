export {
  type Hit,
  type IndexStats,
  METRICS,
  type Metric,
  type SearchOptions,
  type VectorIndex,
} from "./contract.js";
export { crc32 } from "./crc32.js";
export { ExactIndex, type ExactIndexOptions, MAX_DIM } from "./exact-index.js";
export { EXACT_SNAPSHOT_VERSION } from "./exact-snapshot.js";
export { scoreDot, scoreDotPair, scoreNegativeL2, scoreNegativeL2Pair } from "./scan-kernels.js";
export { compareRanked, type Ranked, TopK } from "./top-k.js";
export { cosineSimilarity, dot, l2Norm, normalizeInPlace, squaredDistance } from "./vector-math.js";
export { simdAvailable } from "./wasm-kernel.js";
