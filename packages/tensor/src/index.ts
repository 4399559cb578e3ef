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
export { seededRandom } from "./random.js";
