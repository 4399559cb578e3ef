import {
  type DreamError,
  type DreamResult,
  dimensionMismatch,
  err,
  invalidParameter,
  ok,
  requireInteger,
} from "@dreampool/errors";
import type { Rgb } from "./color-class.js";
import { seededRandom } from "./random.js";

/** Largest number of cells a tensor may have (2^26 cells = 1 GiB of colours): guards hostile sizes. */
export const MAX_TENSOR_CELLS = 1 << 26;

export interface TensorDims {
  readonly rows: number;
  readonly cols: number;
  readonly layers: number;
}

export interface TensorStatistics {
  /** Per-channel mean colour. */
  readonly meanRgb: Rgb;
  /** Pooled population variance over the three channels. */
  readonly variance: number;
  readonly meanCertainty: number;
}

/** Checks a shape: three integers >= 1 whose product stays under MAX_TENSOR_CELLS. */
export function validateDims(rows: unknown, cols: unknown, layers: unknown): DreamError | null {
  for (const [name, v] of [
    ["rows", rows],
    ["cols", cols],
    ["layers", layers],
  ] as const) {
    const e = requireInteger(name, v, 1, MAX_TENSOR_CELLS);
    if (e) return e;
  }
  const cells = (rows as number) * (cols as number) * (layers as number);
  if (cells > MAX_TENSOR_CELLS) {
    return invalidParameter("rows*cols*layers", cells, `must be at most ${MAX_TENSOR_CELLS} cells`);
  }
  return null;
}

function firstNonFinite(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return i;
  return -1;
}

/**
 * A colour field: RGB colours shaped [rows, cols, layers, 3] and a certainty per cell shaped
 * [rows, cols, layers], both row-major in Float32Arrays. The flat index of channel ch of cell
 * (r, c, l) is ((r * cols + c) * layers + l) * 3 + ch. Instances are treated as immutable:
 * operations return new tensors.
 */
export class ChromaticTensor implements TensorDims {
  private constructor(
    readonly rows: number,
    readonly cols: number,
    readonly layers: number,
    readonly colors: Float32Array,
    readonly certainty: Float32Array,
  ) {}

  /** Internal fast path: the caller guarantees shapes and finiteness. */
  static unsafeCreate(dims: TensorDims, colors: Float32Array, certainty: Float32Array): ChromaticTensor {
    return new ChromaticTensor(dims.rows, dims.cols, dims.layers, colors, certainty);
  }

  /** All colours 0 and certainty `certainty` (default 1). */
  static zeros(rows: number, cols: number, layers: number, certainty = 1): DreamResult<ChromaticTensor> {
    const e = validateDims(rows, cols, layers);
    if (e) return err(e);
    if (!Number.isFinite(certainty))
      return err(invalidParameter("certainty", certainty, "must be a finite number"));
    const cells = rows * cols * layers;
    return ok(
      new ChromaticTensor(
        rows,
        cols,
        layers,
        new Float32Array(cells * 3),
        new Float32Array(cells).fill(certainty),
      ),
    );
  }

  /**
   * From flat arrays (copied). `colors` needs rows*cols*layers*3 finite values; `certainty`
   * rows*cols*layers finite values (default: all 1).
   */
  static fromArrays(
    dims: TensorDims,
    colors: ArrayLike<number>,
    certainty?: ArrayLike<number>,
  ): DreamResult<ChromaticTensor> {
    if (typeof dims !== "object" || dims === null)
      return err(invalidParameter("dims", dims, "must be { rows, cols, layers }"));
    const e = validateDims(dims.rows, dims.cols, dims.layers);
    if (e) return err(e);
    const cells = dims.rows * dims.cols * dims.layers;
    if (colors?.length !== cells * 3)
      return err(dimensionMismatch(cells * 3, colors?.length ?? 0, "ChromaticTensor.fromArrays colors"));
    const c = Float32Array.from(colors);
    const badColor = firstNonFinite(c);
    if (badColor >= 0)
      return err(invalidParameter(`colors[${badColor}]`, colors[badColor], "must be a finite number"));
    let k: Float32Array;
    if (certainty === undefined) k = new Float32Array(cells).fill(1);
    else {
      if (certainty.length !== cells)
        return err(dimensionMismatch(cells, certainty.length, "ChromaticTensor.fromArrays certainty"));
      k = Float32Array.from(certainty);
      const badK = firstNonFinite(k);
      if (badK >= 0)
        return err(invalidParameter(`certainty[${badK}]`, certainty[badK], "must be a finite number"));
    }
    return ok(new ChromaticTensor(dims.rows, dims.cols, dims.layers, c, k));
  }

  /** Uniform random colours in [0, 1) and certainty in [0.1, 1), from a seeded PRNG (any integer seed). */
  static fromSeed(seed: number, rows: number, cols: number, layers: number): DreamResult<ChromaticTensor> {
    if (!Number.isInteger(seed)) return err(invalidParameter("seed", seed, "must be an integer"));
    const e = validateDims(rows, cols, layers);
    if (e) return err(e);
    const rng = seededRandom(seed);
    const cells = rows * cols * layers;
    const colors = new Float32Array(cells * 3);
    for (let i = 0; i < colors.length; i++) colors[i] = rng();
    const certainty = new Float32Array(cells);
    for (let i = 0; i < cells; i++) certainty[i] = 0.1 + 0.9 * rng();
    return ok(new ChromaticTensor(rows, cols, layers, colors, certainty));
  }

  /**
   * Every cell `rgb` plus uniform noise in [-noise, +noise] per channel, clamped to [0, 1];
   * certainty `certainty` (default 1). Seeded, so the same arguments give the same tensor.
   */
  static fromColor(
    rgb: Rgb,
    dims: TensorDims,
    options: { noise?: number; seed?: number; certainty?: number } = {},
  ): DreamResult<ChromaticTensor> {
    if (typeof options !== "object" || options === null)
      return err(invalidParameter("options", options, "must be { noise?, seed?, certainty? }"));
    const { noise = 0, seed = 0, certainty = 1 } = options;
    const rgbError = validateRgb("rgb", rgb);
    if (rgbError) return err(rgbError);
    if (typeof dims !== "object" || dims === null)
      return err(invalidParameter("dims", dims, "must be { rows, cols, layers }"));
    const e = validateDims(dims.rows, dims.cols, dims.layers);
    if (e) return err(e);
    if (!Number.isFinite(noise) || noise < 0)
      return err(invalidParameter("noise", noise, "must be a finite number >= 0"));
    if (!Number.isInteger(seed)) return err(invalidParameter("seed", seed, "must be an integer"));
    if (!Number.isFinite(certainty))
      return err(invalidParameter("certainty", certainty, "must be a finite number"));
    const rng = seededRandom(seed);
    const cells = dims.rows * dims.cols * dims.layers;
    const colors = new Float32Array(cells * 3);
    for (let i = 0; i < cells; i++) {
      for (let ch = 0; ch < 3; ch++) {
        const v = rgb[ch]! + (noise > 0 ? (rng() * 2 - 1) * noise : 0);
        colors[i * 3 + ch] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
    }
    return ok(
      new ChromaticTensor(dims.rows, dims.cols, dims.layers, colors, new Float32Array(cells).fill(certainty)),
    );
  }

  /** rows * cols * layers. */
  get cells(): number {
    return this.rows * this.cols * this.layers;
  }

  /** [rows, cols, layers, 3]. */
  get shape(): readonly [number, number, number, 3] {
    return [this.rows, this.cols, this.layers, 3];
  }

  get dims(): TensorDims {
    return { rows: this.rows, cols: this.cols, layers: this.layers };
  }

  /** True when both tensors have the same rows, cols and layers. */
  sameShape(other: TensorDims): boolean {
    if (typeof other !== "object" || other === null) return false;
    return this.rows === other.rows && this.cols === other.cols && this.layers === other.layers;
  }

  /** The colour of cell (r, c, l). */
  rgbAt(r: number, c: number, l: number): DreamResult<Rgb> {
    for (const [name, v, max] of [
      ["r", r, this.rows],
      ["c", c, this.cols],
      ["l", l, this.layers],
    ] as const) {
      if (!Number.isInteger(v) || v < 0 || v >= max)
        return err(invalidParameter(name, v, `must be an integer in [0, ${max - 1}]`));
    }
    const i = ((r * this.cols + c) * this.layers + l) * 3;
    return ok([this.colors[i]!, this.colors[i + 1]!, this.colors[i + 2]!]);
  }

  /** The mean colour per channel (summed in float64). */
  meanRgb(): Rgb {
    let r = 0;
    let g = 0;
    let b = 0;
    const c = this.colors;
    for (let i = 0; i < c.length; i += 3) {
      r += c[i]!;
      g += c[i + 1]!;
      b += c[i + 2]!;
    }
    const n = this.cells;
    return [r / n, g / n, b / n];
  }

  /** Mean colour, pooled variance and mean certainty in one pass over the colours. */
  statistics(): TensorStatistics {
    const mean = this.meanRgb();
    let ss = 0;
    const c = this.colors;
    for (let i = 0; i < c.length; i += 3) {
      ss += (c[i]! - mean[0]) ** 2 + (c[i + 1]! - mean[1]) ** 2 + (c[i + 2]! - mean[2]) ** 2;
    }
    let k = 0;
    for (let i = 0; i < this.certainty.length; i++) k += this.certainty[i]!;
    return { meanRgb: mean, variance: ss / c.length, meanCertainty: k / this.cells };
  }

  toString(): string {
    const s = this.statistics();
    const m = s.meanRgb.map((x) => x.toFixed(3)).join(", ");
    return `ChromaticTensor(${this.rows}x${this.cols}x${this.layers}, mean RGB [${m}], variance ${s.variance.toFixed(5)})`;
  }
}

/** Checks a colour triple: an array-like of exactly three finite numbers. */
export function validateRgb(parameter: string, rgb: unknown): DreamError | null {
  if (rgb === null || typeof rgb !== "object" || typeof (rgb as ArrayLike<number>).length !== "number") {
    return invalidParameter(parameter, rgb, "must be an array of 3 finite numbers");
  }
  const a = rgb as ArrayLike<unknown>;
  if (a.length !== 3) return dimensionMismatch(3, a.length, parameter);
  for (let i = 0; i < 3; i++) {
    if (typeof a[i] !== "number" || !Number.isFinite(a[i])) {
      return invalidParameter(`${parameter}[${i}]`, a[i], "must be a finite number");
    }
  }
  return null;
}
