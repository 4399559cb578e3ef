export { type Metric, METRICS, type Hit, type SearchOptions, type IndexStats, type VectorIndex } from "./contract.js";
