import { type DreamResult, ok } from "@dreampool/errors";
import { ChromaticTensor } from "./chromatic-tensor.js";
import type { ColorClass, Rgb } from "./color-class.js";
import { ColorDataset, type ColorSample, shuffleInPlace, validateGeneratorSettings } from "./dataset.js";
import { seededRandom } from "./random.js";

/** Options of `generatePrimaryColorDataset`; the defaults are the reference's. */
export interface PrimaryDatasetOptions {
  /** Samples per primary class (default 100). */
  readonly samplesPerClass?: number;
  /** Tensor shape (default 16 x 16 x 4). */
  readonly rows?: number;
  readonly cols?: number;
  readonly layers?: number;
  /** Half-width of the uniform noise added last (default 0.05). */
  readonly noise?: number;
  /** Any integer (default 42). */
  readonly seed?: number;
}

const PRIMARIES: readonly [ColorClass, Rgb][] = [
  ["Red", [0.9, 0.1, 0.1]],
  ["Green", [0.1, 0.9, 0.1]],
  ["Blue", [0.1, 0.1, 0.9]],
];

/**
 * A harder three-class dataset (reference §1.3, primary patterns): each sample blends its class's
 * primary colour (0.9 on the dominant channel, 0.1 elsewhere) with a random background,
 * `w·primary + (1 − w)·background` with one intensity w ~ U[0.7, 1] per sample, then adds uniform
 * noise and clamps to [0, 1]; certainty is uniform in [0.5, 1]. Labels are Red, Green and Blue.
 * Shuffled and deterministic per seed, like `generateColorDataset`.
 */
export function generatePrimaryColorDataset(options: PrimaryDatasetOptions = {}): DreamResult<ColorDataset> {
  const settings = validateGeneratorSettings(options, PRIMARIES.length, 0.05);
  if (!settings.ok) return settings;
  const { samplesPerClass, dims, cells, noise, seed } = settings.value;
  const rng = seededRandom(seed);
  const samples: ColorSample[] = [];
  for (const [label, primary] of PRIMARIES) {
    for (let s = 0; s < samplesPerClass; s++) {
      const intensity = 0.7 + 0.3 * rng();
      const colors = new Float32Array(cells * 3);
      for (let i = 0; i < colors.length; i++) {
        const background = rng();
        const v = intensity * primary[i % 3]! + (1 - intensity) * background + (2 * rng() - 1) * noise;
        colors[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
      const certainty = new Float32Array(cells);
      for (let i = 0; i < cells; i++) certainty[i] = 0.5 + 0.5 * rng();
      samples.push({ tensor: ChromaticTensor.unsafeCreate(dims, colors, certainty), label });
    }
  }
  shuffleInPlace(samples, rng);
  return ok(ColorDataset.unsafeCreate(samples));
}
