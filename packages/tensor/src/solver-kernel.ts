import type { TensorDims } from "./chromatic-tensor.js";
import { COLOR_EPSILON, hueDegrees } from "./color-math.js";

// The native solver's maths on a flat colour array in tensor memory order. Generic over
// ArrayLike<number> so that the gradient test can run it on float64 copies; all sums are float64.

export interface NativeSolverParams {
  /** Weight of the total variation term. */
  readonly lambdaTv: number;
  /** Weight of the saturation penalty. */
  readonly lambdaSat: number;
  /** The saturation every cell is pulled towards, in [0, 1]. */
  readonly targetSaturation: number;
  /** Neighbour distance above which a colour jump counts as a discontinuity (violation). */
  readonly discontinuityThreshold: number;
}

export interface EnergyTerms {
  /** Σ over forward neighbour pairs (r+1 and c+1, same layer) of the RGB distance. */
  readonly totalVariation: number;
  /** Mean over cells of (HSV saturation − target)². */
  readonly saturationPenalty: number;
  /** lambdaTv · totalVariation + lambdaSat · saturationPenalty. */
  readonly energy: number;
  /** min(1, violation count / cells): out-of-gamut cells, over-saturation, discontinuities. */
  readonly violation: number;
}

/** Adds one forward pair's distance; with `grad`, its TV derivative (skipped below 1e-6). */
function pairDistance(
  colors: ArrayLike<number>,
  i: number,
  j: number,
  grad: Float64Array | null,
  lambdaTv: number,
): number {
  const dr = colors[i]! - colors[j]!;
  const dg = colors[i + 1]! - colors[j + 1]!;
  const db = colors[i + 2]! - colors[j + 2]!;
  const d = Math.sqrt(dr * dr + dg * dg + db * db);
  if (grad !== null && d >= COLOR_EPSILON) {
    const k = lambdaTv / d;
    grad[i] = grad[i]! + k * dr;
    grad[i + 1] = grad[i + 1]! + k * dg;
    grad[i + 2] = grad[i + 2]! + k * db;
    grad[j] = grad[j]! - k * dr;
    grad[j + 1] = grad[j + 1]! - k * dg;
    grad[j + 2] = grad[j + 2]! - k * db;
  }
  return d;
}

/**
 * Energy terms and violation; when `grad` (length cells·3, zeroed, tensor layout) is given, adds
 * ∂energy/∂colour into it. TV is not differentiable where two neighbours coincide: such pairs
 * (distance < 1e-6) contribute no gradient. Saturation is not differentiable where channels tie
 * for the maximum or minimum: the first maximal and the last minimal channel take the derivative.
 */
export function energyTerms(
  colors: ArrayLike<number>,
  dims: TensorDims,
  params: NativeSolverParams,
  grad: Float64Array | null,
): EnergyTerms {
  const { rows, cols, layers } = dims;
  const cells = rows * cols * layers;
  const { lambdaTv, lambdaSat, targetSaturation, discontinuityThreshold } = params;
  const colStride = layers * 3;
  const rowStride = cols * colStride;
  let totalVariation = 0;
  let violationCount = 0;

  // Vertical pairs (r, c, l)–(r+1, c, l): every colour index of the first rows-1 rows.
  for (let i = 0; i < (rows - 1) * rowStride; i += 3) {
    const d = pairDistance(colors, i, i + rowStride, grad, lambdaTv);
    totalVariation += d;
    if (d > discontinuityThreshold) violationCount += 0.5;
  }
  // Horizontal pairs (r, c, l)–(r, c+1, l): the first cols-1 columns of every row.
  for (let rowStart = 0; rowStart < rows * rowStride; rowStart += rowStride) {
    for (let i = rowStart; i < rowStart + (cols - 1) * colStride; i += 3) {
      const d = pairDistance(colors, i, i + colStride, grad, lambdaTv);
      totalVariation += d;
      if (d > discontinuityThreshold) violationCount += 0.5;
    }
  }

  let squaredDeviation = 0;
  const satScale = (2 * lambdaSat) / cells;
  for (let i = 0; i < cells * 3; i += 3) {
    const x0 = colors[i]!;
    const x1 = colors[i + 1]!;
    const x2 = colors[i + 2]!;
    if (x0 < 0 || x0 > 1 || x1 < 0 || x1 > 1 || x2 < 0 || x2 > 1) violationCount += 1;
    // First maximal and last minimal channel: distinct even when all three are equal.
    let hi = 0;
    let max = x0;
    if (x1 > max) {
      hi = 1;
      max = x1;
    }
    if (x2 > max) {
      hi = 2;
      max = x2;
    }
    let lo = 2;
    let min = x2;
    if (x1 < min) {
      lo = 1;
      min = x1;
    }
    if (x0 < min) {
      lo = 0;
      min = x0;
    }
    // Below the epsilon saturation is defined as 0: constant, so no gradient either.
    const saturation = max < COLOR_EPSILON ? 0 : (max - min) / max;
    if (saturation > 0.95) violationCount += saturation - 0.95;
    const deviation = saturation - targetSaturation;
    squaredDeviation += deviation * deviation;
    if (grad !== null && max >= COLOR_EPSILON) {
      // saturation = 1 − min/max: ∂/∂max = min/max², ∂/∂min = −1/max.
      const k = satScale * deviation;
      grad[i + hi] = grad[i + hi]! + (k * min) / (max * max);
      grad[i + lo] = grad[i + lo]! - k / max;
    }
  }
  const saturationPenalty = squaredDeviation / cells;
  return {
    totalVariation,
    saturationPenalty,
    energy: lambdaTv * totalVariation + lambdaSat * saturationPenalty,
    violation: Math.min(1, violationCount / cells),
  };
}

export interface CoherenceTerms {
  /** 1 − (Σ_ch |mean_ch − 0.5|) / 1.5, floored at 0. */
  readonly colorBalance: number;
  /** 1 − min(σ_hue / 180, 1) over chromatic cells; 1 when no cell has a hue. */
  readonly hueHarmony: number;
  /** Circular mean hue in degrees [0, 360), or null when no cell has a hue. */
  readonly meanHue: number | null;
  /** 0.6 · colorBalance + 0.4 · hueHarmony, in [0, 1]. */
  readonly coherence: number;
}

const DEG = Math.PI / 180;

/**
 * Colour balance and hue harmony. The hue mean is circular (the direction of the mean unit
 * vector), so hues 350° and 10° average to 0°, not 180°; achromatic cells (max − min < 1e-6)
 * have no hue and are left out of the hue statistics.
 */
export function coherenceTerms(colors: ArrayLike<number>, cells: number): CoherenceTerms {
  let sumR = 0;
  let sumG = 0;
  let sumB = 0;
  let sumSin = 0;
  let sumCos = 0;
  let chromatic = 0;
  const hues = new Float64Array(cells);
  for (let cell = 0; cell < cells; cell++) {
    const i = cell * 3;
    const r = colors[i]!;
    const g = colors[i + 1]!;
    const b = colors[i + 2]!;
    sumR += r;
    sumG += g;
    sumB += b;
    if (Math.max(r, g, b) - Math.min(r, g, b) >= COLOR_EPSILON) {
      const h = hueDegrees(r, g, b);
      hues[chromatic++] = h;
      sumSin += Math.sin(h * DEG);
      sumCos += Math.cos(h * DEG);
    }
  }
  const offCentre =
    Math.abs(sumR / cells - 0.5) + Math.abs(sumG / cells - 0.5) + Math.abs(sumB / cells - 0.5);
  const colorBalance = Math.max(0, 1 - offCentre / 1.5);
  let hueHarmony = 1;
  let meanHue: number | null = null;
  if (chromatic > 0) {
    const mean = Math.atan2(sumSin, sumCos) / DEG;
    meanHue = (mean + 360) % 360;
    let squared = 0;
    for (let k = 0; k < chromatic; k++) {
      // Both angles are in [0, 360): no modulo needed (this is angularDifference, inlined).
      const d = Math.abs(hues[k]! - meanHue);
      const a = d > 180 ? 360 - d : d;
      squared += a * a;
    }
    hueHarmony = 1 - Math.min(Math.sqrt(squared / chromatic) / 180, 1);
  }
  return { colorBalance, hueHarmony, meanHue, coherence: 0.6 * colorBalance + 0.4 * hueHarmony };
}
