export { HnswIndex, type HnswIndexStats } from "./hnsw-index.js";
export { DEFAULT_EF, DEFAULT_EXACT_FALLBACK_RATIO, type HnswIndexOptions } from "./options.js";
export type { SnapshotExpectation } from "./persistence.js";
export { SNAPSHOT_FORMAT_VERSION } from "./snapshot.js";
