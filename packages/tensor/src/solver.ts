import { type DreamResult, err, invalidConfiguration, invalidParameter, ok } from "@dreampool/errors";
import type { ChromaticTensor } from "./chromatic-tensor.js";
import { coherenceTerms, energyTerms, type NativeSolverParams } from "./solver-kernel.js";
import { validateTensor } from "./tensor-check.js";

/** What a solver says about one candidate state. */
export interface SolverResult {
  /** Lower is better. */
  readonly energy: number;
  /** In [0, 1]; higher is better. The pool stores a dream when it reaches its coherence threshold. */
  readonly coherence: number;
  /** In [0, 1]; the share of cells that break a constraint. */
  readonly violation: number;
  /** ∂energy/∂colours, laid out like `tensor.colors` (present when asked for). */
  readonly grad?: Float32Array;
  /** Optional per-cell mask (the native solver does not produce one). */
  readonly mask?: Float32Array;
  /** Solver-specific numbers, e.g. the energy's terms and the parameters used. */
  readonly meta: Record<string, number | string | boolean>;
}

/** Anything that scores tensors. */
export interface Solver {
  readonly name: string;
  evaluate(t: ChromaticTensor, withGrad: boolean): DreamResult<SolverResult>;
}

export type { NativeSolverParams } from "./solver-kernel.js";

/** The reference's defaults. */
export const DEFAULT_NATIVE_SOLVER_PARAMS: NativeSolverParams = Object.freeze({
  lambdaTv: 1,
  lambdaSat: 0.1,
  targetSaturation: 0.5,
  discontinuityThreshold: 0.3,
});

const CHECKS: Record<keyof NativeSolverParams, { ok: (v: number) => boolean; reason: string }> = {
  lambdaTv: { ok: (v) => v >= 0, reason: "must be a finite number >= 0" },
  lambdaSat: { ok: (v) => v >= 0, reason: "must be a finite number >= 0" },
  targetSaturation: { ok: (v) => v >= 0 && v <= 1, reason: "must be a finite number in [0, 1]" },
  discontinuityThreshold: { ok: (v) => v > 0, reason: "must be a finite number > 0" },
};

/**
 * The native colour-field solver (reference §1.2, with its bugs fixed):
 * energy = lambdaTv · TV + lambdaSat · P, where TV sums the RGB distances between forward
 * neighbours within a layer and P is the mean squared deviation of each cell's HSV saturation from
 * the target; coherence = 0.6 · colour balance + 0.4 · hue harmony (circular hue mean);
 * violation = share of out-of-gamut, over-saturated (> 0.95) and discontinuous cells, capped at 1.
 * The gradient is the exact derivative of the energy, laid out like the tensor's colours.
 */
export class ChromaticNativeSolver implements Solver {
  readonly name = "ChromaticNativeSolver";

  private constructor(readonly params: NativeSolverParams) {}

  /** Validates `params` (InvalidConfiguration naming the field) over the defaults. */
  static create(params: Partial<NativeSolverParams> = {}): DreamResult<ChromaticNativeSolver> {
    if (typeof params !== "object" || params === null)
      return err(invalidConfiguration("params", params, "must be an object of solver parameters"));
    const resolved = { ...DEFAULT_NATIVE_SOLVER_PARAMS };
    for (const key of Object.keys(CHECKS) as (keyof NativeSolverParams)[]) {
      const value: unknown = params[key];
      if (value === undefined) continue;
      const check = CHECKS[key];
      if (typeof value !== "number" || !Number.isFinite(value) || !check.ok(value))
        return err(invalidConfiguration(key, value, check.reason));
      resolved[key] = value;
    }
    return ok(new ChromaticNativeSolver(Object.freeze(resolved)));
  }

  /** Scores `t`; with `withGrad`, also returns ∂energy/∂colours (same layout as `t.colors`). */
  evaluate(t: ChromaticTensor, withGrad: boolean): DreamResult<SolverResult> {
    const e = validateTensor("t", t);
    if (e) return err(e);
    if (typeof withGrad !== "boolean")
      return err(invalidParameter("withGrad", withGrad, "must be a boolean"));
    const grad = withGrad ? new Float64Array(t.colors.length) : null;
    const terms = energyTerms(t.colors, t, this.params, grad);
    const harmony = coherenceTerms(t.colors, t.certainty.length);
    if (!Number.isFinite(terms.energy) || !Number.isFinite(harmony.coherence)) {
      // Float64 sums of finite float32 values cannot overflow, so a non-finite result always
      // traces back to a non-finite colour (only reachable through unsafeCreate).
      const bad = t.colors.findIndex((v) => !Number.isFinite(v));
      return err(invalidParameter(`t.colors[${bad}]`, t.colors[bad], "must be a finite number"));
    }
    const grad32 = grad ? new Float32Array(grad) : null;
    if (grad32) {
      for (let i = 0; i < grad32.length; i++) {
        // Far out-of-gamut colours (e.g. max 1e-6 beside min −1e38) have derivatives beyond float32.
        if (!Number.isFinite(grad32[i]!)) {
          return err(
            invalidParameter(`t.colors[${i}]`, t.colors[i], "must keep the gradient within float32 range"),
          );
        }
      }
    }
    const p = this.params;
    const meta: Record<string, number | string | boolean> = {
      solver: this.name,
      total_variation: terms.totalVariation,
      saturation_penalty: terms.saturationPenalty,
      lambda_tv: p.lambdaTv,
      lambda_sat: p.lambdaSat,
      target_saturation: p.targetSaturation,
      discontinuity_threshold: p.discontinuityThreshold,
      color_balance: harmony.colorBalance,
      hue_harmony: harmony.hueHarmony,
    };
    if (harmony.meanHue !== null) meta.mean_hue = harmony.meanHue;
    const result: SolverResult = {
      energy: terms.energy,
      coherence: harmony.coherence,
      violation: terms.violation,
      meta,
      ...(grad32 ? { grad: grad32 } : {}),
    };
    return ok(result);
  }
}
