import { type DreamError, invalidParameter, requireFiniteVector, requireInteger } from "@dreampool/errors";
import type { Metric, SearchOptions } from "./contract.js";
import { METRICS } from "./contract.js";

// Argument checks shared by the index methods. Each returns the DreamError to hand back, or null.

const FLOAT32_MAX = 3.4028234663852886e38;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Ids are non-empty strings that survive a UTF-8 round trip (snapshots store them as UTF-8). */
export function checkId(parameter: string, id: unknown): DreamError | null {
  if (typeof id !== "string" || id.length === 0)
    return invalidParameter(parameter, id, "must be a non-empty string");
  if (LONE_SURROGATE.test(id)) {
    return invalidParameter(parameter, id, "must be well-formed UTF-16 (no lone surrogates)");
  }
  return null;
}

export function checkMetric(parameter: string, metric: unknown): DreamError | null {
  return METRICS.includes(metric as Metric)
    ? null
    : invalidParameter(parameter, metric, `must be one of ${METRICS.map((m) => `"${m}"`).join(", ")}`);
}

/** k: an integer >= 1 (k larger than the index is fine: all live entries come back). */
export function checkK(k: unknown): DreamError | null {
  return requireInteger("k", k, 1);
}

export function checkSearchOptions(options: SearchOptions | undefined): DreamError | null {
  if (options === undefined) return null;
  if (typeof options !== "object" || options === null) {
    return invalidParameter("options", options, "must be an object or undefined");
  }
  const { filter, minScore } = options;
  if (filter !== undefined && typeof filter !== "function") {
    return invalidParameter("options.filter", filter, "must be a function (id) => boolean");
  }
  if (minScore !== undefined && (typeof minScore !== "number" || Number.isNaN(minScore))) {
    return invalidParameter("options.minScore", minScore, "must be a number (not NaN)");
  }
  return null;
}

/**
 * Checks a vector (length, finite components that stay finite as float32) and, for cosine,
 * a non-zero norm, since a zero vector has no direction to compare.
 */
export function checkVector(
  parameter: string,
  vector: unknown,
  dim: number,
  metric: Metric,
  context: string,
): DreamError | null {
  // Fast path for the common case (a finite Float32Array of the right length), one loop, so
  // validation stays a small fraction of a search over a small index.
  if (vector instanceof Float32Array && vector.length === dim) {
    let nonZero = false;
    let finite = true;
    for (let i = 0; i < dim; i++) {
      const x = vector[i] as number;
      if (x - x !== 0) finite = false; // NaN and ±Infinity give NaN
      if (x !== 0) nonZero = true;
    }
    if (finite && (nonZero || metric !== "cosine")) return null;
  }
  const bad = requireFiniteVector(parameter, vector, dim, context);
  if (bad) return bad;
  const v = vector as ArrayLike<number>;
  let zero = true;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    if (x > FLOAT32_MAX || x < -FLOAT32_MAX) {
      return invalidParameter(
        `${parameter}[${i}]`,
        x,
        "must fit in a float32 (|x| <= 3.4028234663852886e38)",
      );
    }
    if (x !== 0) zero = false;
  }
  if (zero && metric === "cosine") {
    return invalidParameter(parameter, vector, "must have a non-zero norm for the cosine metric");
  }
  return null;
}

/** The scan-path option: a boolean, or omitted (SIMD where available). */
export function checkSimd(simd: unknown): DreamError | null {
  return simd === undefined || typeof simd === "boolean"
    ? null
    : invalidParameter("simd", simd, "must be a boolean (or omitted: SIMD where available)");
}
