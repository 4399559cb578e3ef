// Test data for the pool's tests: noisy colour fields (never all-zero, never ramps) and results.
import { type DreamResult, unwrap } from "@dreampool/errors";
import {
  ChromaticTensor,
  type ColorClass,
  colorClassRgb,
  type Rgb,
  type SolverResult,
  seededRandom,
  type TensorDims,
} from "@dreampool/tensor";
import { DreamPool } from "../dream-pool.js";
import type { DreamPoolOptions } from "../types.js";

export const SMALL = { rows: 4, cols: 4, layers: 2 } as const;

/** A tensor around `rgb` with per-cell noise; different seeds give different fields. */
export function tensorNear(rgb: Rgb, seed: number, noise = 0.08, dims: TensorDims = SMALL): ChromaticTensor {
  return unwrap(ChromaticTensor.fromColor(rgb, dims, { noise, seed }));
}

/** A tensor of a class's base colour, pulled 15% towards grey so no channel sits at exactly 0 or 1. */
export function classTensor(cls: ColorClass, seed: number, noise = 0.08): ChromaticTensor {
  const base = colorClassRgb(cls);
  return tensorNear([0.85 * base[0] + 0.075, 0.85 * base[1] + 0.075, 0.85 * base[2] + 0.075], seed, noise);
}

export function result(coherence: number, energy = 0.5, violation = 0.1): SolverResult {
  return { energy, coherence, violation, meta: { solver: "test" } };
}

/** A random colour from a seeded stream. */
export function randomRgb(rng: () => number): Rgb {
  return [rng(), rng(), rng()];
}

export const rngOf = seededRandom;

export function poolOf(options: DreamPoolOptions = {}): DreamPool {
  return unwrap(DreamPool.create({ clock: () => 1_000_000, ...options }));
}

/** Adds n entries of random colours (coherence 0.9); returns their ids in order. */
export function fill(pool: DreamPool, n: number, seed = 1): string[] {
  const rng = seededRandom(seed);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(unwrap(pool.add(tensorNear(randomRgb(rng), seed * 100_003 + i), result(0.9))));
  }
  return ids;
}

export function errorKind<T>(r: DreamResult<T>): string {
  if (r.ok) throw new Error(`expected an error, got ${String(r.value)}`);
  return r.error.kind;
}

export function idsOf(r: DreamResult<readonly { entry: { id: string } }[]>): string[] {
  return unwrap(r).map((x) => x.entry.id);
}
