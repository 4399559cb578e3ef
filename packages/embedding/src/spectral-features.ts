import { type DreamResult, err, invalidParameter, ok, requireFinite } from "@dreampool/errors";
import type { ChromaticTensor } from "@dreampool/tensor";
import { BAND_LOW, BAND_MID, type SpectralGrid } from "./spectral-grid.js";
import { analyseTensor } from "./spectrum.js";
import { resolveWindow, type SpectralOptions } from "./window.js";

/**
 * What the spectrum of a tensor says, in numbers that do not grow with the tensor's size.
 * Computed from the layer-mean image of each channel (R, G, B), with its weighted mean removed and a
 * window applied, through a 2-D DFT. "Energy" below means power at every bin except DC.
 */
export interface SpectralFeatures {
  /**
   * Shannon entropy of the R+G+B power spectrum, divided by its maximum: in [0, 1], 1 for white
   * noise, ln 2 / ln 63 for one pure sinusoid on 8×8. Taken over the non-DC bins on grids up to 8×8
   * and over a fixed 8×8 partition of the normalised frequency plane on larger ones, so that it does
   * not fall as the grid grows.
   */
  readonly entropy: number;
  /**
   * Per channel, the normalised radial frequency ρ of the strongest non-DC bin: ρ = 1 is the Nyquist
   * frequency along an axis, √2 the corner. 0 means the channel has no non-DC energy.
   */
  readonly dominantFrequency: readonly [number, number, number];
  /** Share of the energy at ρ < 1/3. low + mid + high = 1 (all 0 for an image without variation). */
  readonly lowEnergy: number;
  /** Share of the energy at 1/3 ≤ ρ < 2/3. */
  readonly midEnergy: number;
  /** Share of the energy at ρ ≥ 2/3. */
  readonly highEnergy: number;
  /**
   * Mean power spectral density, averaged over channels: Σ|X|² / (N·Σw²) with N = rows·cols and w
   * the 2-D window. By Parseval this is the (window-weighted) variance of the layer-mean image, so it
   * does not grow with the size: in [0, 0.25] for colours in [0, 1].
   */
  readonly meanPsd: number;
}

/** The number of values the mapper takes from a SpectralFeatures (its spectral group). */
export const SPECTRAL_FEATURE_COUNT = 6;

/** The features of a tensor's spectrum (see SpectralFeatures). */
export function extractSpectralFeatures(
  t: ChromaticTensor,
  options?: SpectralOptions,
): DreamResult<SpectralFeatures> {
  const window = resolveWindow(options);
  if (!window.ok) return window;
  const analysed = analyseTensor(t, window.value);
  if (!analysed.ok) return analysed;
  return ok(summarise(analysed.value.grid, analysed.value.windowPower));
}

function summarise(grid: SpectralGrid, windowPower: number): SpectralFeatures {
  const { bins, band, rho, binWeight, power, cell, mirrorCell, cellEnergy, liveCells } = grid;
  let low = 0;
  let mid = 0;
  let high = 0;
  let best0 = 0;
  let best1 = 0;
  let best2 = 0;
  let rho0 = 0;
  let rho1 = 0;
  let rho2 = 0;
  cellEnergy.fill(0);
  // One pass over the half plane: band shares, entropy cells and each channel's strongest bin.
  for (let b = 0; b < bins; b++) {
    const weight = binWeight[b]!;
    if (weight === 0) continue; // DC
    const p0 = power[b]!;
    const p1 = power[bins + b]!;
    const p2 = power[2 * bins + b]!;
    const pooled = p0 + p1 + p2;
    const which = band[b]!;
    if (which === BAND_LOW) low += weight * pooled;
    else if (which === BAND_MID) mid += weight * pooled;
    else high += weight * pooled;
    cellEnergy[cell[b]!]! += pooled;
    if (mirrorCell[b]! >= 0) cellEnergy[mirrorCell[b]!]! += pooled;
    // Ties (the mirror bins of a real image share ρ anyway) go to the lower frequency.
    const r = rho[b]!;
    if (p0 > best0 || (p0 === best0 && p0 > 0 && r < rho0)) [best0, rho0] = [p0, r];
    if (p1 > best1 || (p1 === best1 && p1 > 0 && r < rho1)) [best1, rho1] = [p1, r];
    if (p2 > best2 || (p2 === best2 && p2 > 0 && r < rho2)) [best2, rho2] = [p2, r];
  }
  const total = low + mid + high;
  const dominantFrequency: [number, number, number] = [rho0, rho1, rho2];
  if (total === 0) {
    return { entropy: 0, dominantFrequency, lowEnergy: 0, midEnergy: 0, highEnergy: 0, meanPsd: 0 };
  }
  let entropy = 0;
  for (let c = 0; c < cellEnergy.length; c++) {
    const p = cellEnergy[c]! / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  const maxEntropy = Math.log(liveCells);
  return {
    entropy: maxEntropy > 0 ? clampUnit(entropy / maxEntropy) : 0,
    dominantFrequency,
    lowEnergy: low / total,
    midEnergy: mid / total,
    highEnergy: high / total,
    meanPsd: total / (3 * (grid.rows * grid.cols) * windowPower),
  };
}

const clampUnit = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

const SCALAR_FIELDS = ["entropy", "lowEnergy", "midEnergy", "highEnergy", "meanPsd"] as const;

/** Checks a SpectralFeatures value supplied by a caller: every field a finite number. */
export function validateSpectralFeatures(parameter: string, value: unknown): DreamResult<SpectralFeatures> {
  if (value === null || typeof value !== "object")
    return err(invalidParameter(parameter, value, "must be a SpectralFeatures object"));
  const f = value as Record<string, unknown>;
  for (const key of SCALAR_FIELDS) {
    // Names are built only on failure: this runs once per encode.
    if (typeof f[key] !== "number" || !Number.isFinite(f[key])) {
      return err(
        requireFinite(`${parameter}.${key}`, f[key]) ?? invalidParameter(parameter, value, "is invalid"),
      );
    }
  }
  const dominant = f.dominantFrequency as ArrayLike<unknown> | undefined;
  if (dominant === null || typeof dominant !== "object" || dominant.length !== 3)
    return err(
      invalidParameter(`${parameter}.dominantFrequency`, dominant, "must be an array of 3 finite numbers"),
    );
  for (let i = 0; i < 3; i++) {
    if (typeof dominant[i] !== "number" || !Number.isFinite(dominant[i])) {
      return err(
        invalidParameter(`${parameter}.dominantFrequency[${i}]`, dominant[i], "must be a finite number"),
      );
    }
  }
  return ok(value as SpectralFeatures);
}
