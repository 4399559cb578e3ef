import { type DftPlan, dftPlan } from "./dft-plan.js";

/**
 * Half-plane power spectra |X(u, v)|², v ∈ [0, ⌊cols/2⌋], of several real rows × cols images,
 * by rows then columns on cached per-length plans (fft.js, Bluestein or the direct sum).
 *
 * The row pass transforms real lines two at a time: the DFT Z of a + ib gives both
 * A(k) = (Z(k) + conj Z(−k)) / 2 and B(k) = (Z(k) − conj Z(−k)) / 2i, so the three channels of an
 * 8-row image need 12 transforms instead of 24. Scratch space is kept: not reentrant (nothing
 * here calls user code).
 */
export class PowerTransform2d {
  private readonly half: number;
  private readonly rowPlan: DftPlan;
  private readonly colPlan: DftPlan;
  private readonly rowRe: Float64Array;
  private readonly rowIm: Float64Array;
  private readonly lineRe: Float64Array;
  private readonly lineIm: Float64Array;
  private readonly outRe: Float64Array;
  private readonly outIm: Float64Array;
  /** Which source rows to transform this call. */
  private readonly lines: Int32Array;

  constructor(
    private readonly rows: number,
    private readonly cols: number,
    private readonly images: number,
  ) {
    this.half = Math.floor(cols / 2) + 1;
    this.rowPlan = dftPlan(cols);
    this.colPlan = dftPlan(rows);
    const longest = Math.max(rows, cols);
    this.rowRe = new Float64Array(images * rows * this.half);
    this.rowIm = new Float64Array(images * rows * this.half);
    this.lineRe = new Float64Array(longest);
    this.lineIm = new Float64Array(longest);
    this.outRe = new Float64Array(longest);
    this.outIm = new Float64Array(longest);
    this.lines = new Int32Array(images * rows);
  }

  /**
   * `source` holds `images` planes of rows·cols values; `power` receives `images` planes of
   * rows·(⌊cols/2⌋ + 1) values. `skip[i]` leaves plane i out (its power is set to 0).
   */
  power(source: Float64Array, power: Float64Array, skip: readonly boolean[]): void {
    const { rows, half, images, lines } = this;
    let count = 0;
    for (let i = 0; i < images; i++)
      if (!skip[i]) for (let r = 0; r < rows; r++) lines[count++] = i * rows + r;
    let next = 0;
    for (; next + 1 < count; next += 2) this.pairOfRows(source, lines[next]!, lines[next + 1]!);
    if (next < count) this.singleRow(source, lines[next]!);
    const bins = rows * half;
    for (let i = 0; i < images; i++) {
      if (skip[i]) power.fill(0, i * bins, (i + 1) * bins);
      else this.columns(i, power, i * bins);
    }
  }

  private singleRow(source: Float64Array, line: number): void {
    const { cols, half, lineRe, outRe, outIm, rowRe, rowIm } = this;
    const from = line * cols;
    for (let c = 0; c < cols; c++) lineRe[c] = source[from + c]!;
    this.rowPlan.forwardReal(lineRe, outRe, outIm, half);
    const to = line * half;
    for (let v = 0; v < half; v++) {
      rowRe[to + v] = outRe[v]!;
      rowIm[to + v] = outIm[v]!;
    }
  }

  private pairOfRows(source: Float64Array, a: number, b: number): void {
    const { cols, half, lineRe, lineIm, outRe, outIm, rowRe, rowIm } = this;
    for (let c = 0; c < cols; c++) {
      lineRe[c] = source[a * cols + c]!;
      lineIm[c] = source[b * cols + c]!;
    }
    this.rowPlan.forward(lineRe, lineIm, outRe, outIm);
    const toA = a * half;
    const toB = b * half;
    for (let v = 0; v < half; v++) {
      const m = v === 0 ? 0 : cols - v;
      const zr = outRe[v]!;
      const zi = outIm[v]!;
      const wr = outRe[m]!;
      const wi = outIm[m]!;
      rowRe[toA + v] = (zr + wr) / 2;
      rowIm[toA + v] = (zi - wi) / 2;
      rowRe[toB + v] = (zi + wi) / 2;
      rowIm[toB + v] = (wr - zr) / 2;
    }
  }

  private columns(image: number, power: Float64Array, offset: number): void {
    const { rows, half, lineRe, lineIm, outRe, outIm, rowRe, rowIm } = this;
    const base = image * rows * half;
    for (let v = 0; v < half; v++) {
      for (let u = 0; u < rows; u++) {
        lineRe[u] = rowRe[base + u * half + v]!;
        lineIm[u] = rowIm[base + u * half + v]!;
      }
      this.colPlan.forward(lineRe, lineIm, outRe, outIm);
      for (let u = 0; u < rows; u++)
        power[offset + u * half + v] = outRe[u]! * outRe[u]! + outIm[u]! * outIm[u]!;
    }
  }
}
