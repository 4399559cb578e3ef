// dreampool: the pool and what you need around it from one import. Every package's complete API is
// also available as a namespace here (`tensor`, `embedding`, …) and as a subpath (`dreampool/tensor`,
// `dreampool/postgres`, …); the PostgreSQL pool is only under `dreampool/postgres`, so this entry
// point never loads `pg`.

export * as diversity from "@dreampool/diversity";
export { type DiversityStats, dispersion, diversityStats, mmr, mmrFast } from "@dreampool/diversity";
export * as embedding from "@dreampool/embedding";
export {
  EmbeddingMapper,
  type EmbeddingMapperOptions,
  extractSpectralFeatures,
  QuerySignature,
  type SpectralFeatures,
} from "@dreampool/embedding";
export * from "@dreampool/errors";
export * as errors from "@dreampool/errors";
export * as hnswIndex from "@dreampool/hnsw-index";
export { HnswIndex, type HnswIndexOptions } from "@dreampool/hnsw-index";
export * as memory from "@dreampool/memory";
export { formatBytes, GiB, KiB, MemoryBudget, MiB, parseBytes } from "@dreampool/memory";
export * from "@dreampool/pool";
export * as queryCache from "@dreampool/query-cache";
export { QueryCache } from "@dreampool/query-cache";
export * as scoring from "@dreampool/scoring";
export {
  BiasProfile,
  DEFAULT_RETRIEVAL_WEIGHTS,
  type RetrievalWeights,
  rerankHybrid,
  UtilityAggregator,
} from "@dreampool/scoring";
export * as softIndex from "@dreampool/soft-index";
export {
  ExactIndex,
  type Hit,
  type Metric,
  type SearchOptions,
  type VectorIndex,
} from "@dreampool/soft-index";
export * as tensor from "@dreampool/tensor";
export {
  ChromaticNativeSolver,
  ChromaticTensor,
  COLOR_CLASSES,
  type ColorClass,
  ColorDataset,
  generateColorDataset,
  type Rgb,
  type SolverResult,
  tensorFromBytes,
  tensorToBytes,
} from "@dreampool/tensor";
export { createPool } from "./create-pool.js";
