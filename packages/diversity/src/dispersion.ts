import {
  type DreamError,
  type DreamResult,
  dimensionMismatch,
  err,
  invalidParameter,
  ok,
} from "@dreampool/errors";

/** Pairwise Euclidean distances of a point set; all zero for fewer than two points. */
export interface DiversityStats {
  count: number;
  meanDistance: number;
  minDistance: number;
  maxDistance: number;
}

/** Euclidean distance between two equally long vectors. */
export function euclideanDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) {
    const diff = a[j]! - b[j]!;
    sum += diff * diff;
  }
  return Math.sqrt(sum);
}

function validatePoints(points: readonly ArrayLike<number>[], context: string): DreamError | null {
  if (!Array.isArray(points)) return invalidParameter("points", points, "must be an array of vectors");
  const dim = points[0]?.length ?? 0;
  for (let i = 0; i < points.length; i++) {
    const point: unknown = points[i];
    if (!(Array.isArray(point) || (ArrayBuffer.isView(point) && !(point instanceof DataView)))) {
      return invalidParameter(`points[${i}]`, point, "must be a number[] or a typed array");
    }
    const vector = point as ArrayLike<unknown>;
    if (vector.length !== dim) return dimensionMismatch(dim, vector.length, `${context}: points[${i}]`);
    for (let j = 0; j < dim; j++) {
      const x = vector[j];
      if (typeof x !== "number" || !Number.isFinite(x)) {
        return invalidParameter(`points[${i}][${j}]`, x, "every component must be a finite number");
      }
    }
  }
  return null;
}

/**
 * Count, mean, min and max pairwise Euclidean distance of `points` (e.g. chroma triples).
 * Fewer than two points give zeros. Points of different lengths give DimensionMismatch; NaN gives
 * InvalidParameter.
 */
export function diversityStats(points: readonly ArrayLike<number>[]): DreamResult<DiversityStats> {
  const problem = validatePoints(points, "diversityStats");
  if (problem) return err(problem);
  const count = points.length;
  if (count < 2) return ok({ count, meanDistance: 0, minDistance: 0, maxDistance: 0 });
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      const distance = euclideanDistance(points[i]!, points[j]!);
      sum += distance;
      if (distance < min) min = distance;
      if (distance > max) max = distance;
    }
  }
  return ok({ count, meanDistance: sum / ((count * (count - 1)) / 2), minDistance: min, maxDistance: max });
}

/** Mean pairwise Euclidean distance of `points`; 0 for fewer than two. */
export function dispersion(points: readonly ArrayLike<number>[]): DreamResult<number> {
  const stats = diversityStats(points);
  return stats.ok ? ok(stats.value.meanDistance) : stats;
}
