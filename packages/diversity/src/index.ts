export { type ChromaMmrInput, mmrChroma } from "./chroma.js";
export { type DiversityStats, dispersion, diversityStats, euclideanDistance } from "./dispersion.js";
export type { MmrInput, MmrSelection } from "./input.js";
export { mmr } from "./mmr.js";
export { type FastMmrOptions, mmrFast } from "./mmr-fast.js";
export { mmrNaive } from "./mmr-naive.js";
export { dotRows, type Similarity } from "./similarity.js";
