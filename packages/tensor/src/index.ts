export {
  ChromaticTensor,
  MAX_TENSOR_CELLS,
  type TensorDims,
  type TensorStatistics,
  validateDims,
  validateRgb,
} from "./chromatic-tensor.js";
export {
  COLOR_CLASSES,
  type ColorClass,
  colorClassFromIndex,
  colorClassIndex,
  colorClassRgb,
  isColorClass,
  NUM_COLOR_CLASSES,
  type Rgb,
} from "./color-class.js";
export { angularDifference, colorDistance, hsvSaturation, hueDegrees } from "./color-math.js";
export {
  ColorDataset,
  type ColorDatasetOptions,
  type ColorSample,
  generateColorDataset,
} from "./dataset.js";
export { gradientStep, mseLoss } from "./loss.js";
export { add, blend, clamp, complement, filter, invert, mix, normalize, saturate, sub } from "./ops.js";
export { generatePrimaryColorDataset, type PrimaryDatasetOptions } from "./primary-dataset.js";
export { seededRandom } from "./random.js";
export {
  ChromaticNativeSolver,
  DEFAULT_NATIVE_SOLVER_PARAMS,
  type NativeSolverParams,
  type Solver,
  type SolverResult,
} from "./solver.js";
export {
  TENSOR_FORMAT_VERSION,
  TENSOR_HEADER_BYTES,
  TENSOR_MAGIC,
  tensorByteLength,
  tensorFromBytes,
  tensorFromBytesAt,
  tensorToBytes,
  writeTensorBytes,
} from "./tensor-bytes.js";
export { validateTensor } from "./tensor-check.js";
export { type TensorJSON, tensorFromJSON, tensorToJSON } from "./tensor-json.js";
