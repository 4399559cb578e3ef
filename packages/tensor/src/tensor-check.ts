import { type DreamError, dimensionMismatch, invalidParameter } from "@dreampool/errors";
import type { ChromaticTensor } from "./chromatic-tensor.js";
import { validateDims } from "./chromatic-tensor.js";

/**
 * Checks that `value` is a well-formed tensor: valid dims and colour/certainty buffers of the
 * matching lengths. Structural rather than `instanceof`, so a tensor from a second copy of this
 * package is accepted. O(1): it does not scan the values (factories guarantee they are finite).
 */
export function validateTensor(parameter: string, value: unknown): DreamError | null {
  if (typeof value !== "object" || value === null) {
    return invalidParameter(parameter, value, "must be a ChromaticTensor");
  }
  const t = value as Partial<ChromaticTensor>;
  if (!(t.colors instanceof Float32Array) || !(t.certainty instanceof Float32Array)) {
    return invalidParameter(
      parameter,
      value,
      "must be a ChromaticTensor (Float32Array colors and certainty)",
    );
  }
  const dimsError = validateDims(t.rows, t.cols, t.layers);
  if (dimsError) return dimsError;
  const cells = (t.rows as number) * (t.cols as number) * (t.layers as number);
  if (t.colors.length !== cells * 3)
    return dimensionMismatch(cells * 3, t.colors.length, `${parameter}.colors`);
  if (t.certainty.length !== cells)
    return dimensionMismatch(cells, t.certainty.length, `${parameter}.certainty`);
  return null;
}

/** Checks two tensors and that they have the same shape (DimensionMismatch naming the first differing dim). */
export function validateSameShape(a: unknown, b: unknown, context: string): DreamError | null {
  const e = validateTensor("a", a) ?? validateTensor("b", b);
  if (e) return e;
  const ta = a as ChromaticTensor;
  const tb = b as ChromaticTensor;
  for (const dim of ["rows", "cols", "layers"] as const) {
    if (ta[dim] !== tb[dim]) {
      const shapes = `a is ${ta.rows}x${ta.cols}x${ta.layers}, b is ${tb.rows}x${tb.cols}x${tb.layers}`;
      return dimensionMismatch(ta[dim], tb[dim], `${context} (${dim} of b; ${shapes})`);
    }
  }
  return null;
}
