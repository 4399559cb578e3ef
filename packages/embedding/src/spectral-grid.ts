import { PowerTransform2d } from "./transform-2d.js";

/**
 * Upper edge of the low band and of the mid band, in normalised radial frequency ρ (see below; the
 * grid compares 36·num and 9·num with den, which is ρ against 1/3 and 2/3 without rounding).
 */
export const LOW_BAND_EDGE = 1 / 3;
export const MID_BAND_EDGE = 2 / 3;

export const BAND_DC = -1;
export const BAND_LOW = 0;
export const BAND_MID = 1;
export const BAND_HIGH = 2;

/** The entropy is taken over at most this many frequency cells per axis (see SpectralGrid). */
export const ENTROPY_CELLS_PER_AXIS = 8;

/** The signed frequency of DFT bin k of n: k below n/2, k − n from n/2 on. */
const signedFrequency = (k: number, n: number): number => (2 * k < n ? k : k - n);

/** Cell of a signed frequency f on an axis of n bins split into `cells` equal ranges of f/n. */
const cellOf = (f: number, n: number, cells: number): number =>
  Math.min(cells - 1, Math.floor(((2 * f + n) * cells) / (2 * n)));

/**
 * Everything about a rows × cols frequency grid that does not depend on the image: the 2-D
 * transform, the radial frequency, band and entropy cell of each bin, and scratch space. Built once
 * per size and cached.
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
 *
 * Entropy cells: the normalised frequency plane (fu/rows, fv/cols) ∈ [−½, ½)² is cut into
 * min(rows, 8) × min(cols, 8) equal cells. Up to 8 × 8 every bin is its own cell (the usual spectral
 * entropy); on larger grids a cell gathers the bins of one 8 × 8 bin, so the same pattern on a
 * larger canvas has the same entropy instead of one that falls with ln(bins).
 */
export class SpectralGrid {
  readonly halfCols: number;
  /** Half-plane bins: rows × halfCols, index u * halfCols + v. */
  readonly bins: number;
  readonly rho: Float64Array;
  readonly band: Int8Array;
  readonly multiplicity: Float64Array;
  /** Full-plane bins each half-plane bin stands for, 0 for DC (which carries no energy here). */
  readonly binWeight: Float64Array;
  /** Entropy cell of each half-plane bin, and of its mirror (−1 when the bin is its own mirror). */
  readonly cell: Int16Array;
  readonly mirrorCell: Int16Array;
  /** Number of cells, and how many of them can hold non-DC energy (the entropy's normaliser). */
  readonly cellCount: number;
  readonly liveCells: number;
  readonly cellEnergy: Float64Array;
  readonly transform: PowerTransform2d;
  // Scratch, reused by every extraction of this size.
  /** Layer means, channel-planar (3 × rows·cols). */
  readonly image: Float64Array;
  /** The three channels, mean-free and windowed (3 × rows·cols). */
  readonly windowed: Float64Array;
  /** Which channels are exactly constant in the image being analysed. */
  readonly constant: boolean[] = [false, false, false];
  /** Per channel half-plane power, 3 × bins. */
  readonly power: Float64Array;

  constructor(
    readonly rows: number,
    readonly cols: number,
  ) {
    const half = Math.floor(cols / 2) + 1;
    this.halfCols = half;
    this.bins = rows * half;
    this.rho = new Float64Array(this.bins);
    this.band = new Int8Array(this.bins);
    this.multiplicity = new Float64Array(half);
    for (let v = 0; v < half; v++) this.multiplicity[v] = v === 0 || 2 * v === cols ? 1 : 2;
    const den = rows * rows * cols * cols;
    const cellRows = Math.min(rows, ENTROPY_CELLS_PER_AXIS);
    const cellCols = Math.min(cols, ENTROPY_CELLS_PER_AXIS);
    this.cellCount = cellRows * cellCols;
    this.cellEnergy = new Float64Array(this.cellCount);
    this.cell = new Int16Array(this.bins);
    this.mirrorCell = new Int16Array(this.bins).fill(-1);
    const live = new Uint8Array(this.cellCount);
    const cellAt = (fu: number, fv: number) =>
      cellOf(fu, rows, cellRows) * cellCols + cellOf(fv, cols, cellCols);
    for (let u = 0; u < rows; u++) {
      const fu = signedFrequency(u, rows);
      for (let v = 0; v < half; v++) {
        const b = u * half + v;
        const fv = signedFrequency(v, cols);
        this.cell[b] = cellAt(fu, fv);
        if (this.multiplicity[v] === 2) {
          this.mirrorCell[b] = cellAt(
            signedFrequency((rows - u) % rows, rows),
            signedFrequency(cols - v, cols),
          );
        }
        if (u !== 0 || v !== 0) {
          live[this.cell[b]!] = 1;
          if (this.mirrorCell[b]! >= 0) live[this.mirrorCell[b]!] = 1;
        }
        // ρ² = 4·(fu²·cols² + fv²·rows²) / (rows²·cols²); compare without rounding.
        const num = fu * fu * cols * cols + fv * fv * rows * rows;
        this.rho[b] = 2 * Math.sqrt(num / den);
        if (u === 0 && v === 0) this.band[b] = BAND_DC;
        else if (36 * num < den) this.band[b] = BAND_LOW;
        else if (9 * num < den) this.band[b] = BAND_MID;
        else this.band[b] = BAND_HIGH;
      }
    }
    this.liveCells = live.reduce((a, b) => a + b, 0);
    this.binWeight = new Float64Array(this.bins);
    for (let b = 1; b < this.bins; b++) this.binWeight[b] = this.multiplicity[b % half]!;
    this.transform = new PowerTransform2d(rows, cols, 3);
    this.image = new Float64Array(3 * rows * cols);
    this.windowed = new Float64Array(3 * rows * cols);
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
