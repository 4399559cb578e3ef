export { HnswIndex, type HnswIndexStats, type SnapshotExpectation } from "./hnsw-index.js";
export { DEFAULT_EF, DEFAULT_EXACT_FALLBACK_RATIO, type HnswIndexOptions } from "./options.js";
export { SNAPSHOT_FORMAT_VERSION } from "./snapshot.js";
