import { type DftPlan, dftPlan } from "./dft-plan.js";

/** Upper edge of the low band and of the mid band, in normalised radial frequency ρ (see below). */
export const LOW_BAND_EDGE = 1 / 3;
export const MID_BAND_EDGE = 2 / 3;

export const BAND_DC = -1;
export const BAND_LOW = 0;
export const BAND_MID = 1;
export const BAND_HIGH = 2;

/**
 * Everything about a rows × cols frequency grid that does not depend on the image: the DFT plans,
 * the radial frequency and band of each bin, and scratch space. Built once per size and cached.
 *
 * A real image has a Hermitian spectrum (X(−u, −v) = conj X(u, v)), so only the half plane
 * v ∈ [0, ⌊cols/2⌋] is computed; `multiplicity[v]` says how many full-plane bins each half-plane
 * bin stands for (2 for a bin whose mirror lies in the other half, else 1).
 *
 * Normalised radial frequency: with signed frequencies fu ∈ [−rows/2, rows/2) and fv, the bin's
 * radius is ρ = 2·√((fu/rows)² + (fv/cols)²), so ρ = 1 is the Nyquist frequency along an axis and
 * the corners reach √2. Bands: low ρ < 1/3, mid 1/3 ≤ ρ < 2/3, high ρ ≥ 2/3 (corners included).
 * Band membership is decided in integer arithmetic, so a bin exactly on an edge goes to the
 * higher band on every platform.
 */
export class SpectralGrid {
  readonly halfCols: number;
  /** Half-plane bins: rows × halfCols, index u * halfCols + v. */
  readonly bins: number;
  readonly rho: Float64Array;
  readonly band: Int8Array;
  readonly multiplicity: Float64Array;
  /** Full-plane bins other than DC: rows·cols − 1. */
  readonly nonDcBins: number;
  readonly rowPlan: DftPlan;
  readonly colPlan: DftPlan;
  // Scratch, reused by every extraction of this size.
  readonly image: Float64Array;
  readonly rowRe: Float64Array;
  readonly rowIm: Float64Array;
  readonly lineRe: Float64Array;
  readonly lineIm: Float64Array;
  readonly outRe: Float64Array;
  readonly outIm: Float64Array;
  readonly zeros: Float64Array;
  /** Per channel half-plane power, 3 × bins. */
  readonly power: Float64Array;

  constructor(
    readonly rows: number,
    readonly cols: number,
  ) {
    const half = Math.floor(cols / 2) + 1;
    this.halfCols = half;
    this.bins = rows * half;
    this.nonDcBins = rows * cols - 1;
    this.rho = new Float64Array(this.bins);
    this.band = new Int8Array(this.bins);
    this.multiplicity = new Float64Array(half);
    for (let v = 0; v < half; v++) this.multiplicity[v] = v === 0 || 2 * v === cols ? 1 : 2;
    const den = rows * rows * cols * cols;
    for (let u = 0; u < rows; u++) {
      const fu = 2 * u < rows ? u : u - rows;
      for (let v = 0; v < half; v++) {
        const b = u * half + v;
        // ρ² = 4·(fu²·cols² + fv²·rows²) / (rows²·cols²); compare without rounding.
        const num = fu * fu * cols * cols + v * v * rows * rows;
        this.rho[b] = 2 * Math.sqrt(num / den);
        if (u === 0 && v === 0) this.band[b] = BAND_DC;
        else if (36 * num < den) this.band[b] = BAND_LOW;
        else if (9 * num < den) this.band[b] = BAND_MID;
        else this.band[b] = BAND_HIGH;
      }
    }
    this.rowPlan = dftPlan(cols);
    this.colPlan = dftPlan(rows);
    const longest = Math.max(rows, cols);
    this.image = new Float64Array(3 * rows * cols);
    this.rowRe = new Float64Array(this.bins);
    this.rowIm = new Float64Array(this.bins);
    this.lineRe = new Float64Array(longest);
    this.lineIm = new Float64Array(longest);
    this.outRe = new Float64Array(longest);
    this.outIm = new Float64Array(longest);
    this.zeros = new Float64Array(longest);
    this.power = new Float64Array(3 * this.bins);
  }
}

const grids = new Map<string, SpectralGrid>();
const MAX_CACHED_GRIDS = 32;
/** Larger grids are built per call: their scratch space is too big to keep around. */
const MAX_CACHED_GRID_BINS = 1 << 16;

/** The cached grid for rows × cols. */
export function spectralGrid(rows: number, cols: number): SpectralGrid {
  if (rows * cols > MAX_CACHED_GRID_BINS) return new SpectralGrid(rows, cols);
  const key = `${rows}x${cols}`;
  let grid = grids.get(key);
  if (grid === undefined) {
    if (grids.size >= MAX_CACHED_GRIDS) grids.clear();
    grid = new SpectralGrid(rows, cols);
    grids.set(key, grid);
  }
  return grid;
}
