import { type DreamResult, dimensionMismatch, err, invalidParameter, ok } from "@dreampool/errors";
import { type ChromaticTensor, validateDims } from "@dreampool/tensor";
import { type SpectralGrid, spectralGrid } from "./spectral-grid.js";
import { resolveWindow, type SpectralOptions, type WindowFunction, windowCoefficients } from "./window.js";

/** Checks that `t` looks like a ChromaticTensor whose colours are all finite. */
export function validateTensor(parameter: string, t: unknown): DreamResult<ChromaticTensor> {
  if (t === null || typeof t !== "object")
    return err(invalidParameter(parameter, t, "must be a ChromaticTensor"));
  const { rows, cols, layers, colors } = t as ChromaticTensor;
  const dimsError = validateDims(rows, cols, layers);
  if (dimsError) return err(dimsError);
  if (!(colors instanceof Float32Array))
    return err(invalidParameter(`${parameter}.colors`, colors, "must be a Float32Array"));
  if (colors.length !== rows * cols * layers * 3)
    return err(dimensionMismatch(rows * cols * layers * 3, colors.length, `${parameter}.colors`));
  return ok(t as ChromaticTensor);
}

function firstNonFinite(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return i;
  return -1;
}

/**
 * Fills `grid.power` with the half-plane power |X(u, v)|² of each channel's layer-mean image, after
 * removing the window-weighted mean (so the DC bin is zero, and the window does not leak the mean
 * into the low bins) and applying the window. A channel that is exactly constant gets zero power.
 * Returns the grid (shared scratch: read it before the next call) and Σw² of the 2-D window.
 */
export function analyseTensor(
  t: ChromaticTensor,
  window: WindowFunction,
): DreamResult<{ grid: SpectralGrid; windowPower: number }> {
  const valid = validateTensor("tensor", t);
  if (!valid.ok) return valid;
  const { rows, cols, layers, colors } = t;
  const grid = spectralGrid(rows, cols);
  const { image, windowed, power } = grid;
  const pixels = rows * cols;

  // Layer means, channel-planar; track each channel's range to spot constant images.
  let minR = Number.POSITIVE_INFINITY;
  let maxR = Number.NEGATIVE_INFINITY;
  let minG = Number.POSITIVE_INFINITY;
  let maxG = Number.NEGATIVE_INFINITY;
  let minB = Number.POSITIVE_INFINITY;
  let maxB = Number.NEGATIVE_INFINITY;
  const inverseLayers = 1 / layers;
  let finite = true;
  for (let p = 0; p < pixels; p++) {
    const base = p * layers * 3;
    let r = 0;
    let g = 0;
    let b = 0;
    for (let l = 0; l < layers; l++) {
      const i = base + l * 3;
      r += colors[i]!;
      g += colors[i + 1]!;
      b += colors[i + 2]!;
    }
    r *= inverseLayers;
    g *= inverseLayers;
    b *= inverseLayers;
    image[p] = r;
    image[pixels + p] = g;
    image[2 * pixels + p] = b;
    if (r < minR) minR = r;
    if (r > maxR) maxR = r;
    if (g < minG) minG = g;
    if (g > maxG) maxG = g;
    if (b < minB) minB = b;
    if (b > maxB) maxB = b;
    finite = finite && Number.isFinite(r + g + b);
  }
  if (!finite) {
    const bad = firstNonFinite(colors);
    return err(invalidParameter(`tensor.colors[${bad}]`, colors[bad], "must be a finite number"));
  }

  const wr = windowCoefficients(window, rows);
  const wc = windowCoefficients(window, cols);
  let sumWr = 0;
  let sumWr2 = 0;
  for (let r = 0; r < rows; r++) {
    sumWr += wr[r]!;
    sumWr2 += wr[r]! * wr[r]!;
  }
  let sumWc = 0;
  let sumWc2 = 0;
  for (let c = 0; c < cols; c++) {
    sumWc += wc[c]!;
    sumWc2 += wc[c]! * wc[c]!;
  }

  const constant = grid.constant;
  constant[0] = minR === maxR;
  constant[1] = minG === maxG;
  constant[2] = minB === maxB;
  for (let ch = 0; ch < 3; ch++) {
    if (constant[ch]) continue;
    const plane = ch * pixels;
    let weighted = 0;
    for (let r = 0; r < rows; r++) {
      let rowSum = 0;
      for (let c = 0; c < cols; c++) rowSum += wc[c]! * image[plane + r * cols + c]!;
      weighted += wr[r]! * rowSum;
    }
    const mean = weighted / (sumWr * sumWc);
    for (let r = 0; r < rows; r++) {
      const w = wr[r]!;
      const at = plane + r * cols;
      for (let c = 0; c < cols; c++) windowed[at + c] = (image[at + c]! - mean) * w * wc[c]!;
    }
  }
  grid.transform.power(windowed, power, constant);
  return ok({ grid, windowPower: sumWr2 * sumWc2 });
}

/** The power spectral density of each channel on the full frequency plane. */
export interface PowerSpectrum {
  readonly rows: number;
  readonly cols: number;
  readonly window: WindowFunction;
  /**
   * Per channel (R, G, B), rows·cols values: PSD[u·cols + v] = |X(u, v)|² / Σw², where X is the DFT
   * of the windowed, mean-free layer-mean image (bin u is frequency u, or u − rows above rows/2).
   * The DC bin is 0; the mean over all bins is the windowed variance of the image.
   */
  readonly psd: readonly [Float64Array, Float64Array, Float64Array];
}

/** The full power spectrum, for inspection and tests (the features need only `extractSpectralFeatures`). */
export function computePowerSpectrum(
  t: ChromaticTensor,
  options?: SpectralOptions,
): DreamResult<PowerSpectrum> {
  const window = resolveWindow(options);
  if (!window.ok) return window;
  const analysed = analyseTensor(t, window.value);
  if (!analysed.ok) return analysed;
  const { grid, windowPower } = analysed.value;
  const { rows, cols, halfCols, bins, power } = grid;
  const planes = [0, 1, 2].map((ch) => {
    const psd = new Float64Array(rows * cols);
    for (let u = 0; u < rows; u++) {
      for (let v = 0; v < halfCols; v++) {
        const p = power[ch * bins + u * halfCols + v]! / windowPower;
        psd[u * cols + v] = p;
        // The mirror bin (−u, −v) of a real image has the same power.
        psd[((rows - u) % rows) * cols + ((cols - v) % cols)] = p;
      }
    }
    return psd;
  });
  return ok({ rows, cols, window: window.value, psd: [planes[0]!, planes[1]!, planes[2]!] });
}
