export { type Contender, comparePaired, type PairedOptions, type PairedResult, timeOnce } from "./paired.js";
export { clusteredVectors, gaussian, mulberry32, row, uniformVectors, zipfSampler } from "./random.js";
export {
  type Figure,
  formatFigure,
  isQuick,
  readSuite,
  resultsDir,
  type Series,
  type SuiteFile,
  SuiteRecorder,
} from "./report.js";
export { type Spread, spread } from "./stats.js";
