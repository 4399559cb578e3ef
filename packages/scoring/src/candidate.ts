import { type DreamError, dimensionMismatch, invalidParameter, requireFinite } from "@dreampool/errors";
import { type ColorClass, isColorClass } from "@dreampool/tensor";

/** One over-fetched hit to re-rank. */
export interface ScoringCandidate {
  readonly id: string;
  /** The index's similarity to the query (any scale: it is min-max normalised across the candidates). */
  readonly similarity: number;
  /** The entry's running mean utility in [−1, 1], or null when it has no feedback yet. */
  readonly utility: number | null;
  readonly classLabel: ColorClass | null;
  /** Milliseconds since the epoch. */
  readonly lastUsedAt: number;
  /** For the duplicate penalty: the embedding (or the chroma in hard mode); one length for all. */
  readonly vector: Float32Array;
}

/** Why a candidate ranked where it did. */
export interface ScoreComponents {
  /** As given. */
  readonly similarity: number;
  /** Min-max normalised over all candidates to [0, 1] (1 for all when they are equal). */
  readonly similarityNormalized: number;
  /** (utility + 1) / 2 in [0, 1]; 0.5 when the entry has no feedback. */
  readonly utility: number;
  /** 1 same class as the query, 0 different, 0.5 when either is unknown. */
  readonly classMatch: number;
  /** 2^(−age / half-life) in (0, 1]; 1 when recency is off. */
  readonly recency: number;
  /** alpha·similarityNormalized + beta·utility + gamma·classMatch + recencyWeight·recency. */
  readonly base: number;
  /** delta · max similarity to the results ranked above (0 for the first, and without diversity). */
  readonly diversityPenalty: number;
}

export interface RankedCandidate {
  readonly id: string;
  /** lambda·base − diversityPenalty with diversity on; base without. */
  readonly score: number;
  readonly components: ScoreComponents;
}

/** Checks one candidate; `withVector` also checks its vector (only the duplicate penalty reads it). */
export function checkCandidate(
  candidate: unknown,
  index: number,
  vectorLength: number,
  withVector: boolean,
): DreamError | null {
  // The name is built only for an error (this runs for every candidate of every retrieval).
  const at = (): string => `candidates[${index}]`;
  if (typeof candidate !== "object" || candidate === null) {
    return invalidParameter(at(), candidate, "must be a ScoringCandidate object");
  }
  const c = candidate as Partial<Record<keyof ScoringCandidate, unknown>>;
  if (typeof c.id !== "string") return invalidParameter(`${at()}.id`, c.id, "must be a string");
  if (!isFiniteNumber(c.similarity)) return requireFinite(`${at()}.similarity`, c.similarity);
  if (!isFiniteNumber(c.lastUsedAt)) return requireFinite(`${at()}.lastUsedAt`, c.lastUsedAt);
  if (c.utility !== null) {
    const u = c.utility;
    if (typeof u !== "number" || !Number.isFinite(u) || u < -1 || u > 1) {
      return invalidParameter(`${at()}.utility`, u, "must be null or a finite number in [-1, 1]");
    }
  }
  if (c.classLabel !== null && !isColorClass(c.classLabel)) {
    return invalidParameter(`${at()}.classLabel`, c.classLabel, "must be a ColorClass or null");
  }
  if (!withVector) return null;
  const v = c.vector;
  if (!(v instanceof Float32Array)) return invalidParameter(`${at()}.vector`, v, "must be a Float32Array");
  if (v.length !== vectorLength)
    return dimensionMismatch(vectorLength, v.length, `rerankHybrid: ${at()}.vector`);
  for (let j = 0; j < v.length; j++) {
    if (!Number.isFinite(v[j]))
      return invalidParameter(`${at()}.vector[${j}]`, v[j], "must be a finite number");
  }
  return null;
}

const isFiniteNumber = (x: unknown): boolean => typeof x === "number" && Number.isFinite(x);
