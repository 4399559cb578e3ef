import {
  type ChromaticNativeSolver,
  ChromaticTensor,
  criticalState,
  type DreamResult,
  err,
  ok,
  type SolverResult,
} from "dreampool";
import type { TensorDims } from "dreampool/tensor";

/**
 * The objective a dream descends: J(x) = E(x)/cells + mu·‖x − target‖²/cells, where E is the native
 * solver's energy (total variation plus saturation penalty). The solver alone would flatten any
 * field towards one smooth colour; the data term keeps a dream of class c near class c's colours,
 * so what the pool stores is a smoothed version of a target rather than a generic grey.
 */
export interface DreamSettings {
  /** Weight of the data term. */
  readonly mu: number;
  /** Step size of x ← clamp(x − lr·cells·∇J, 0, 1). */
  readonly learningRate: number;
  /** Gradient steps per dream. */
  readonly steps: number;
}

export const DEFAULT_DREAM_SETTINGS: DreamSettings = Object.freeze({ mu: 1, learningRate: 0.01, steps: 30 });

/** The tensor shape every demo tensor has: 8 × 8 cells, 4 layers. */
export const DEMO_DIMS: TensorDims = Object.freeze({ rows: 8, cols: 8, layers: 4 });

export interface Evaluation {
  /** J(x). */
  readonly objective: number;
  /** The solver's verdict on x (energy, coherence, violation, gradient of the energy). */
  readonly result: SolverResult;
}

/** J(x) and the solver's result (with the energy gradient). */
export function evaluateObjective(
  solver: ChromaticNativeSolver,
  x: ChromaticTensor,
  target: ChromaticTensor,
  mu: number,
): DreamResult<Evaluation> {
  const evaluated = solver.evaluate(x, true);
  if (!evaluated.ok) return evaluated;
  let distance = 0;
  for (let i = 0; i < x.colors.length; i++) {
    const d = (x.colors[i] as number) - (target.colors[i] as number);
    distance += d * d;
  }
  const cells = x.cells;
  return ok({ objective: evaluated.value.energy / cells + (mu * distance) / cells, result: evaluated.value });
}

export interface Descent {
  readonly tensor: ChromaticTensor;
  /** The solver's result for the final tensor (without gradient, to keep stored entries small). */
  readonly result: SolverResult;
  /** J before each step and after the last: steps + 1 values. */
  readonly trajectory: number[];
}

/** Projected gradient descent on J from `start`, `settings.steps` steps, colours clamped to [0, 1]. */
export function descend(
  solver: ChromaticNativeSolver,
  start: ChromaticTensor,
  target: ChromaticTensor,
  settings: DreamSettings,
): DreamResult<Descent> {
  const { mu, learningRate, steps } = settings;
  let x = start;
  const trajectory: number[] = [];
  let evaluated = evaluateObjective(solver, x, target, mu);
  for (let step = 0; ; step++) {
    if (!evaluated.ok) return evaluated;
    trajectory.push(evaluated.value.objective);
    const { grad, ...result } = evaluated.value.result;
    // The stored result carries no gradient: the pool keeps what it is given.
    if (step === steps) return ok({ tensor: x, result, trajectory });
    if (!grad) return err(criticalState("descend", "the solver returned no gradient"));
    const colors = new Float32Array(x.colors.length);
    for (let i = 0; i < colors.length; i++) {
      const xi = x.colors[i] as number;
      // lr·cells·∂J/∂x = lr·(∂E/∂x + 2·mu·(x − target)).
      const v = xi - learningRate * ((grad[i] as number) + 2 * mu * (xi - (target.colors[i] as number)));
      colors[i] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
    x = ChromaticTensor.unsafeCreate(x, colors, x.certainty);
    evaluated = evaluateObjective(solver, x, target, mu);
  }
}
