export {
  BACKING_STORE_NATIVE_BYTES,
  DOUBLING_SLACK,
  HNSW_FIXED_BYTES,
  MAP_ENTRY_BYTES,
  TYPED_ARRAY_OBJECT_BYTES,
} from "./cost-model.js";
export {
  chromaBytes,
  chromaIndexBytesPerVector,
  type EntrySizeBreakdown,
  type EntrySizeInput,
  embeddingBytes,
  entryOverheadBytes,
  estimateEntryBreakdown,
  estimateEntryBytes,
  exactIndexBytesPerVector,
  exactSlabBytes,
  gradientBytes,
  hnswBytesPerVector,
  hnswFixedBytes,
  hnswWrapperBytesPerVector,
  type IndexCost,
  metadataBytes,
  objectBytes,
  spectralBytes,
  stringBytes,
  type TensorShape,
  tensorBytes,
  typedArrayBytes,
} from "./estimators.js";
export {
  type EvictionPlan,
  MemoryBudget,
  type MemoryBudgetOptions,
  type MemoryBudgetStats,
} from "./memory-budget.js";
export { formatBytes, GB, GiB, KB, KiB, MB, MiB, parseBytes } from "./units.js";
