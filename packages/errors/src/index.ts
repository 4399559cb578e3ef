export {
  capacityExceeded,
  criticalState,
  dimensionMismatch,
  emptyCollection,
  featureUnavailable,
  formatValue,
  indexCorrupted,
  indexNotBuilt,
  invalidConfiguration,
  invalidParameter,
  memoryExceeded,
} from "./constructors.js";
export {
  type DetailOf,
  DREAM_ERROR_KINDS,
  type DreamErrorDetail,
  type DreamErrorKind,
  describe,
} from "./detail.js";
export { DreamError } from "./dream-error.js";
export {
  andThen,
  attempt,
  attemptAsync,
  type DreamResult,
  err,
  isErr,
  isOk,
  map,
  ok,
  unwrap,
  unwrapErr,
} from "./result.js";
export {
  requireFinite,
  requireFiniteVector,
  requireInRange,
  requireInteger,
  requirePositiveInteger,
} from "./validate.js";
