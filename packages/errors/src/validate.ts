import { dimensionMismatch, invalidParameter } from "./constructors.js";
import type { DreamError } from "./dream-error.js";

// Shared argument checks: each returns the DreamError to hand back, or null when the value is fine.

/** A finite number (not NaN, not ±Infinity). */
export function requireFinite(parameter: string, value: unknown): DreamError | null {
  return typeof value === "number" && Number.isFinite(value)
    ? null
    : invalidParameter(parameter, value, "must be a finite number");
}

/** An integer within [min, max] (max defaults to Number.MAX_SAFE_INTEGER). */
export function requireInteger(
  parameter: string,
  value: unknown,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): DreamError | null {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    return invalidParameter(parameter, value, `must be an integer ${range}`);
  }
  return null;
}

/** An integer >= 1. */
export const requirePositiveInteger = (parameter: string, value: unknown): DreamError | null =>
  requireInteger(parameter, value, 1);

/** A finite number within [min, max]. */
export function requireInRange(
  parameter: string,
  value: unknown,
  min: number,
  max: number,
): DreamError | null {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    return invalidParameter(parameter, value, `must be a finite number in [${min}, ${max}]`);
  }
  return null;
}

/**
 * A vector of exactly `dim` finite components (dim < 0 accepts any length).
 * Wrong length gives DimensionMismatch; a NaN or infinite component gives InvalidParameter naming its index.
 */
export function requireFiniteVector(
  parameter: string,
  vector: unknown,
  dim: number,
  context: string,
): DreamError | null {
  if (!(vector instanceof Float32Array || vector instanceof Float64Array || Array.isArray(vector))) {
    return invalidParameter(parameter, vector, "must be a Float32Array, Float64Array or number[]");
  }
  const v = vector as ArrayLike<unknown>;
  if (dim >= 0 && v.length !== dim) return dimensionMismatch(dim, v.length, context);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      return invalidParameter(`${parameter}[${i}]`, x, "every component must be a finite number");
    }
  }
  return null;
}
