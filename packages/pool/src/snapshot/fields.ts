import type { SpectralFeatures } from "@dreampool/embedding";
import { COLOR_CLASSES, type ColorClass } from "@dreampool/tensor";

// How entry fields are laid out in a snapshot (shared by the encoder and the decoder).

const NO_CLASS = 255;

export const classToByte = (label: ColorClass | null): number =>
  label === null ? NO_CLASS : COLOR_CLASSES.indexOf(label);

/** The class of a stored byte: null for "none", undefined for a byte that is not a class. */
export const classFromByte = (b: number): ColorClass | null | undefined =>
  b === NO_CLASS ? null : COLOR_CLASSES[b];

/** The eight numbers of SpectralFeatures, in stored order. */
export const spectralNumbers = (s: SpectralFeatures): number[] => [
  s.entropy,
  s.dominantFrequency[0],
  s.dominantFrequency[1],
  s.dominantFrequency[2],
  s.lowEnergy,
  s.midEnergy,
  s.highEnergy,
  s.meanPsd,
];

export function spectralFromNumbers(s: readonly number[]): SpectralFeatures {
  return {
    entropy: s[0] as number,
    dominantFrequency: [s[1] as number, s[2] as number, s[3] as number],
    lowEnergy: s[4] as number,
    midEnergy: s[5] as number,
    highEnergy: s[6] as number,
    meanPsd: s[7] as number,
  };
}
