export {
  BiasProfile,
  type BiasProfileJSON,
  type BiasProfileOptions,
  type ClassBias,
  NEUTRAL_CLASS_WEIGHT,
} from "./bias-profile.js";
export type { RankedCandidate, ScoreComponents, ScoringCandidate } from "./candidate.js";
export {
  createFeedbackRecord,
  type FeedbackInput,
  type FeedbackRecord,
  isHarmful,
  isHelpful,
  utilityFromLosses,
} from "./feedback.js";
export { DEFAULT_RECENCY_WEIGHT, type HybridDiversity, type RerankOptions, rerankHybrid } from "./rerank.js";
export { type ClassUtility, UtilityAggregator } from "./utility-aggregator.js";
export {
  DEFAULT_RETRIEVAL_WEIGHTS,
  normalizeWeights,
  type RetrievalWeights,
  validateWeights,
} from "./weights.js";
