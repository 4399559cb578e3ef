import type { Rgb } from "@dreampool/tensor";
import type { SpectralFeatures } from "./spectral-features.js";

// Each feature group is written as a unit vector (or zeros when a query lacks it) that the mapper
// then multiplies by the group's weight. Groups an entry always has are "lifted": a group's scaled
// features f (each in [-1, 1]) get one more coordinate √(R² − |f|²), R² = (number of features) + 1,
// which puts every entry's group on the same sphere. So every entry embedding has the same norm
// before the final normalisation, and a query that lacks a group (zeros there) changes no entry's
// score relative to another: the ranking is decided by the groups the query has. The "+ 1" keeps
// the extra coordinate >= 1, so it changes smoothly (no steep slope at the rim of the sphere).

export const CHROMA_WIDTH = 4;
export const SPECTRAL_WIDTH = 7;
export const CLASS_WIDTH = 11;
export const UTILITY_WIDTH = 3;

/** RMS amplitudes (√meanPsd) mapped to −1 and +1 on a log scale; outside, clamped. */
export const RMS_FLOOR = 1e-3;
export const RMS_CEILING = 0.5;

const clampSigned = (x: number): number => (x < -1 ? -1 : x > 1 ? 1 : x);
const toSigned = (unit: number): number => clampSigned(2 * unit - 1);

/** Writes `features` lifted onto the sphere of radius √(n + 1), scaled to unit length, times `weight`. */
function writeLifted(out: Float64Array, at: number, features: readonly number[], weight: number): void {
  const radiusSquared = features.length + 1;
  let normSquared = 0;
  for (const f of features) normSquared += f * f;
  const scale = weight / Math.sqrt(radiusSquared);
  for (let i = 0; i < features.length; i++) out[at + i] = features[i]! * scale;
  out[at + features.length] = Math.sqrt(radiusSquared - normSquared) * scale;
}

/** Mean RGB, clamped to [0, 1] and centred on mid-grey. Always present. */
export function writeChroma(out: Float64Array, at: number, rgb: Rgb, weight: number): void {
  writeLifted(out, at, [toSigned(rgb[0]), toSigned(rgb[1]), toSigned(rgb[2])], weight);
}

/** The six spectral values the mapper uses, each in [−1, 1]. */
export function spectralCoordinates(s: SpectralFeatures): number[] {
  const rms = Math.sqrt(Math.max(0, s.meanPsd));
  const logRms =
    rms <= RMS_FLOOR
      ? -1
      : clampSigned((2 * Math.log(rms / RMS_FLOOR)) / Math.log(RMS_CEILING / RMS_FLOOR) - 1);
  const [d0, d1, d2] = s.dominantFrequency;
  const meanDominant = (d0 + d1 + d2) / 3 / Math.SQRT2;
  return [
    toSigned(s.entropy),
    toSigned(s.lowEnergy),
    toSigned(s.midEnergy),
    toSigned(s.highEnergy),
    logRms,
    toSigned(meanDominant),
  ];
}

/** Spectral group; `null` (a query without spectral features) writes zeros. */
export function writeSpectral(
  out: Float64Array,
  at: number,
  spectral: SpectralFeatures | null,
  weight: number,
): void {
  if (spectral === null) out.fill(0, at, at + SPECTRAL_WIDTH);
  else writeLifted(out, at, spectralCoordinates(spectral), weight);
}

/**
 * Class group: ten centred one-hot coordinates (e_i − 0.1, scaled to unit length: the same class
 * scores 1, a different class −1/9) plus an eleventh "unlabelled" axis orthogonal to all classes.
 * An unlabelled entry sits on that axis (same norm, similarity 0 with every class hint); a query
 * without a class hint writes zeros.
 */
export function writeClass(
  out: Float64Array,
  at: number,
  classIndex: number | null,
  weight: number,
  isQuery: boolean,
): void {
  out.fill(0, at, at + CLASS_WIDTH);
  if (classIndex === null) {
    if (!isQuery) out[at + 10] = weight;
    return;
  }
  const scale = weight / Math.sqrt(0.9);
  for (let i = 0; i < 10; i++) out[at + i] = ((i === classIndex ? 1 : 0) - 0.1) * scale;
}

/**
 * Entry utility group: its running-mean utility u ∈ [−1, 1] and its class weight from the bias
 * source mapped to 2w − 1, both 0 (neutral) when unknown, lifted so the norm never varies.
 */
export function writeEntryUtility(
  out: Float64Array,
  at: number,
  utility: number | null,
  classWeight: number | null,
  weight: number,
): void {
  writeLifted(out, at, [utility ?? 0, classWeight === null ? 0 : toSigned(classWeight)], weight);
}

/**
 * Query utility group: a direction, not a point. The utility prior p asks for entries with a high
 * (p > 0) or low (p < 0) utility; with a bias source the query asks for entries whose class the
 * source weighs highly. Absent both, zeros: no entry is favoured.
 */
export function writeQueryUtility(
  out: Float64Array,
  at: number,
  utilityPrior: number | null,
  hasBias: boolean,
  weight: number,
): void {
  const scale = weight / Math.sqrt(UTILITY_WIDTH);
  out[at] = (utilityPrior ?? 0) * scale;
  out[at + 1] = hasBias ? scale : 0;
  out[at + 2] = 0;
}
