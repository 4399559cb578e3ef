export { type ClassWeightSource, EmbeddingMapper, type EncodableEntry } from "./embedding-mapper.js";
export {
  DEFAULT_WEIGHTS,
  type EmbeddingMapperOptions,
  ENCODER_VERSION,
  type GroupFlags,
  type GroupWeights,
  type ResolvedMapperOptions,
} from "./mapper-options.js";
export { type QueryFromTensorOptions, QuerySignature } from "./query-signature.js";
export { cosineSimilarity } from "./similarity.js";
export {
  extractSpectralFeatures,
  SPECTRAL_FEATURE_COUNT,
  type SpectralFeatures,
} from "./spectral-features.js";
export { LOW_BAND_EDGE, MID_BAND_EDGE } from "./spectral-grid.js";
export { computePowerSpectrum, type PowerSpectrum } from "./spectrum.js";
export { type SpectralOptions, WINDOW_FUNCTIONS, type WindowFunction } from "./window.js";
