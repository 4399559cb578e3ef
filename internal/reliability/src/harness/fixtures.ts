import {
  ChromaticTensor,
  COLOR_CLASSES,
  type ColorClass,
  type SolverResult,
  seededRandom,
} from "dreampool/tensor";

// Seeded, non-degenerate data: every dream has its own base colour with per-cell noise.

export const DIMS = { rows: 4, cols: 4, layers: 2 } as const;

export function dreamTensor(
  seed: number,
  dims: { rows: number; cols: number; layers: number } = DIMS,
): ChromaticTensor {
  const rng = seededRandom(seed * 7919 + 17);
  const rgb = [0.05 + 0.9 * rng(), 0.05 + 0.9 * rng(), 0.05 + 0.9 * rng()] as const;
  const t = ChromaticTensor.fromColor(rgb, dims, { noise: 0.2, seed });
  if (!t.ok) throw t.error;
  return t.value;
}

export function dreamResult(seed: number, coherence?: number): SolverResult {
  const rng = seededRandom(seed + 101);
  return {
    energy: 0.5 + rng(),
    coherence: coherence ?? 0.76 + 0.24 * rng(),
    violation: 0.1 * rng(),
    meta: { seed },
  };
}

export const classFor = (seed: number): ColorClass =>
  COLOR_CLASSES[seed % COLOR_CLASSES.length] as ColorClass;
