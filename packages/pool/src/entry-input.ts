import { type DreamError, dimensionMismatch, invalidParameter } from "@dreampool/errors";
import { type ChromaticTensor, type ColorClass, isColorClass, type SolverResult } from "@dreampool/tensor";
import type { Meta } from "./types.js";

// Checks on what callers hand to the add path. Each returns the DreamError to report, or null.
// A tensor may come from another copy of @dreampool/tensor, so it is checked structurally.

const MAX_META_KEYS = 256;
const MAX_META_STRING = 4096;

/** A ChromaticTensor with consistent shapes and finite colours and certainty. */
export function checkTensor(parameter: string, tensor: unknown): DreamError | null {
  if (typeof tensor !== "object" || tensor === null) {
    return invalidParameter(parameter, tensor, "must be a ChromaticTensor");
  }
  const t = tensor as Partial<ChromaticTensor>;
  if (!(t.colors instanceof Float32Array) || !(t.certainty instanceof Float32Array)) {
    return invalidParameter(
      parameter,
      tensor,
      "must be a ChromaticTensor (colors and certainty Float32Arrays)",
    );
  }
  // Structural, but the pool calls the tensor's methods (meanRgb): a look-alike without them
  // would throw a TypeError deep in the add path instead of failing here.
  if (typeof t.meanRgb !== "function") {
    return invalidParameter(parameter, tensor, "must be a ChromaticTensor (it has no meanRgb method)");
  }
  const { rows, cols, layers } = t;
  for (const [name, v] of [
    ["rows", rows],
    ["cols", cols],
    ["layers", layers],
  ] as const) {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
      return invalidParameter(`${parameter}.${name}`, v, "must be an integer >= 1");
    }
  }
  const cells = (rows as number) * (cols as number) * (layers as number);
  if (t.colors.length !== cells * 3)
    return dimensionMismatch(cells * 3, t.colors.length, `${parameter}.colors`);
  if (t.certainty.length !== cells)
    return dimensionMismatch(cells, t.certainty.length, `${parameter}.certainty`);
  const badColor = firstNonFinite(t.colors);
  if (badColor >= 0)
    return invalidParameter(`${parameter}.colors[${badColor}]`, t.colors[badColor], "must be finite");
  const badCertainty = firstNonFinite(t.certainty);
  if (badCertainty >= 0) {
    return invalidParameter(
      `${parameter}.certainty[${badCertainty}]`,
      t.certainty[badCertainty],
      "must be finite",
    );
  }
  return null;
}

/** A SolverResult: finite energy, coherence and violation; grad/mask shaped like the colours; flat meta. */
export function checkResult(parameter: string, result: unknown, colorLength: number): DreamError | null {
  if (typeof result !== "object" || result === null) {
    return invalidParameter(
      parameter,
      result,
      "must be a SolverResult { energy, coherence, violation, meta }",
    );
  }
  const r = result as Partial<SolverResult>;
  for (const field of ["energy", "coherence", "violation"] as const) {
    const v = r[field];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      return invalidParameter(`${parameter}.${field}`, v, "must be a finite number");
    }
  }
  for (const field of ["grad", "mask"] as const) {
    const v = r[field];
    if (v === undefined) continue;
    if (!(v instanceof Float32Array))
      return invalidParameter(`${parameter}.${field}`, v, "must be a Float32Array");
    if (v.length !== colorLength) return dimensionMismatch(colorLength, v.length, `${parameter}.${field}`);
    const bad = firstNonFinite(v);
    if (bad >= 0) return invalidParameter(`${parameter}.${field}[${bad}]`, v[bad], "must be finite");
  }
  return r.meta === undefined ? null : checkMeta(`${parameter}.meta`, r.meta);
}

/** Flat metadata: at most 256 keys, values finite numbers, booleans or strings up to 4096 chars. */
export function checkMeta(parameter: string, meta: unknown): DreamError | null {
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) {
    return invalidParameter(parameter, meta, "must be a plain object of numbers, strings and booleans");
  }
  const keys = Object.keys(meta);
  if (keys.length > MAX_META_KEYS) {
    return invalidParameter(parameter, `${keys.length} keys`, `must have at most ${MAX_META_KEYS} keys`);
  }
  for (const key of keys) {
    const v = (meta as Record<string, unknown>)[key];
    const fine =
      typeof v === "boolean" ||
      (typeof v === "number" && Number.isFinite(v)) ||
      (typeof v === "string" && v.length <= MAX_META_STRING);
    if (!fine) {
      return invalidParameter(
        `${parameter}.${key}`,
        v,
        `must be a finite number, a boolean or a string of at most ${MAX_META_STRING} characters`,
      );
    }
  }
  return null;
}

export function checkClassLabel(parameter: string, label: unknown): DreamError | null {
  if (label === null || label === undefined || isColorClass(label)) return null;
  return invalidParameter(parameter, label, "must be a ColorClass (Red, Green, …, Black) or null");
}

/** Copies a meta object so later changes by the caller do not reach the pool. */
export function copyMeta(meta: Meta | undefined): Meta {
  return meta === undefined ? {} : Object.freeze({ ...meta });
}

/** The label as stored: null when absent. */
export const labelOf = (label: ColorClass | null | undefined): ColorClass | null => label ?? null;

function firstNonFinite(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i] as number)) return i;
  return -1;
}
