import { type DreamError, invalidParameter, requireFiniteVector } from "@dreampool/errors";

/**
 * Checks a caller's vector before anything native sees it (hnswlib accepts NaN silently). Under
 * cosine the zero vector has no direction, so it is refused rather than scored 0 against everything.
 */
export function checkVector(
  parameter: string,
  vector: unknown,
  dim: number,
  context: string,
  rejectZero: boolean,
): DreamError | null {
  if (!(vector instanceof Float32Array)) {
    return invalidParameter(parameter, vector, "must be a Float32Array");
  }
  if (vector.length === dim) {
    // One pass on the hot path: the sum of squares is finite iff every component is (float32
    // components cannot overflow it), and positive iff some component is non-zero.
    let sum = 0;
    for (let i = 0; i < dim; i++) {
      const x = vector[i] as number;
      sum += x * x;
    }
    if (Number.isFinite(sum) && (sum > 0 || !rejectZero)) return null;
  }
  const problem = requireFiniteVector(parameter, vector, dim, context);
  if (problem || !rejectZero) return problem;
  return invalidParameter(parameter, vector, "must not be the zero vector under the cosine metric");
}

/** 1 / ||v|| in float64, or 1 for the zero vector (which then stays zero: cosine score 0 to all). */
function inverseNorm(vector: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i] as number;
    sum += x * x;
  }
  return sum > 0 ? 1 / Math.sqrt(sum) : 1;
}

/** The row we store (and hand to hnswlib): a copy, unit length when `normalise`. */
export function storedCopy(vector: Float32Array, normalise: boolean): Float32Array {
  const out = new Float32Array(vector.length);
  const scale = normalise ? inverseNorm(vector) : 1;
  for (let i = 0; i < vector.length; i++) out[i] = (vector[i] as number) * scale;
  return out;
}

/**
 * Validates a search query and returns the factor that makes it unit length under cosine (1 under the
 * other metrics), from the same single pass that checks it; or the DreamError checkVector would give.
 * (hnswlib's ip space does not normalise, and our "cosine" runs on ip over unit rows, so the query is
 * scaled exactly once, here.)
 */
export function queryScale(
  parameter: string,
  vector: unknown,
  dim: number,
  context: string,
  cosine: boolean,
): number | DreamError {
  if (vector instanceof Float32Array && vector.length === dim) {
    let sum = 0;
    for (let i = 0; i < dim; i++) {
      const x = vector[i] as number;
      sum += x * x;
    }
    if (Number.isFinite(sum)) {
      if (!cosine) return 1;
      if (sum > 0) return 1 / Math.sqrt(sum);
    }
  }
  return (
    checkVector(parameter, vector, dim, context, cosine) ??
    invalidParameter(parameter, vector, "must be a finite vector") // unreachable: the pass above failed
  );
}

/**
 * Writes `vector * scale` into the reused `scratch` array that hnswlib needs (it rejects typed
 * arrays). An index loop costs ~0.25 us at d = 64, Array.from ~2.4 us.
 */
export function fillScratch(scratch: number[], vector: Float32Array, scale: number): number[] {
  if (scale === 1) for (let i = 0; i < vector.length; i++) scratch[i] = vector[i] as number;
  else for (let i = 0; i < vector.length; i++) scratch[i] = (vector[i] as number) * scale;
  return scratch;
}

export function checkSearchOptions(options: unknown): DreamError | null {
  if (typeof options !== "object" || options === null) {
    return invalidParameter("options", options, "must be an object { filter?, minScore? }");
  }
  const { filter, minScore } = options as { filter?: unknown; minScore?: unknown };
  if (filter !== undefined && typeof filter !== "function") {
    return invalidParameter("options.filter", filter, "must be a function (id) => boolean");
  }
  if (minScore !== undefined && (typeof minScore !== "number" || Number.isNaN(minScore))) {
    return invalidParameter("options.minScore", minScore, "must be a number (not NaN)");
  }
  return null;
}
