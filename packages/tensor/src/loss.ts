import { type DreamResult, dimensionMismatch, err, invalidParameter, ok } from "@dreampool/errors";
import { ChromaticTensor } from "./chromatic-tensor.js";
import { validateSameShape, validateTensor } from "./tensor-check.js";

/** Mean squared error over all colour values of two same-shaped tensors (float64 sum). */
export function mseLoss(current: ChromaticTensor, target: ChromaticTensor): DreamResult<number> {
  const e = validateSameShape(current, target, "mseLoss");
  if (e) return err(e);
  let sum = 0;
  for (let i = 0; i < current.colors.length; i++) {
    const d = current.colors[i]! - target.colors[i]!;
    sum += d * d;
  }
  return ok(sum / current.colors.length);
}

/**
 * One gradient-descent step: colours − rate·grad (grad laid out like `t.colors`, e.g. a
 * `SolverResult.grad`), optionally clamped to [0, 1]. Certainty is copied.
 */
export function gradientStep(
  t: ChromaticTensor,
  grad: Float32Array | Float64Array,
  rate: number,
  options: { clampToUnit?: boolean } = {},
): DreamResult<ChromaticTensor> {
  const e = validateTensor("t", t);
  if (e) return err(e);
  const candidate: unknown = grad;
  if (!(candidate instanceof Float32Array || candidate instanceof Float64Array))
    return err(invalidParameter("grad", grad, "must be a Float32Array (or Float64Array) like t.colors"));
  if (grad.length !== t.colors.length)
    return err(dimensionMismatch(t.colors.length, grad.length, "gradientStep grad"));
  if (typeof rate !== "number" || !Number.isFinite(rate) || rate < 0)
    return err(invalidParameter("rate", rate, "must be a finite number >= 0"));
  const clampToUnit = options?.clampToUnit ?? false;
  const colors = new Float32Array(t.colors.length);
  for (let i = 0; i < colors.length; i++) {
    const g = grad[i]!;
    if (!Number.isFinite(g)) return err(invalidParameter(`grad[${i}]`, g, "must be a finite number"));
    const v = t.colors[i]! - rate * g;
    colors[i] = clampToUnit ? (v < 0 ? 0 : v > 1 ? 1 : v) : v;
    if (!Number.isFinite(colors[i]!))
      return err(invalidParameter(`rate*grad[${i}]`, rate * g, "must keep the colour finite in float32"));
  }
  return ok(ChromaticTensor.unsafeCreate(t, colors, Float32Array.from(t.certainty)));
}
