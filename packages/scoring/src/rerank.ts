import { mmr, mmrFast } from "@dreampool/diversity";
import {
  type DreamError,
  type DreamResult,
  err,
  invalidParameter,
  ok,
  requireFinite,
  requireInRange,
  requirePositiveInteger,
} from "@dreampool/errors";
import { type ColorClass, isColorClass } from "@dreampool/tensor";
import {
  checkCandidate,
  type RankedCandidate,
  type ScoreComponents,
  type ScoringCandidate,
} from "./candidate.js";
import { type RetrievalWeights, validateWeights } from "./weights.js";

/** The duplicate penalty: MMR over the candidates' vectors, exact or lazy (same picks, fewer comparisons). */
export interface HybridDiversity {
  method: "exact" | "fast";
  /** Relevance weight in [0, 1] (1 = no diversity). Default: weights.lambda. */
  lambda?: number;
}

export interface RerankOptions {
  weights: RetrievalWeights;
  /** The query's class, or null when unknown (every class match is then neutral, 0.5). */
  queryClass: ColorClass | null;
  /** Results wanted (>= 1). Give more candidates than k: any of them can win through utility or class. */
  k: number;
  /** Current time in ms since the epoch; required when recency is on. */
  now?: number;
  /** Turns recency on: an entry used `h` ms ago gets recency 1/2. null or omitted: off. */
  recencyHalfLifeMs?: number | null;
  /** Weight of recency in the base score, in [0, 1]. Default 0.1 when recency is on. */
  recencyWeight?: number;
  /** Default false. */
  diversity?: HybridDiversity | false;
}

/** Similarity ranges narrower than this count as constant (every candidate then normalises to 1). */
const CONSTANT_RANGE = 1e-9;
export const DEFAULT_RECENCY_WEIGHT = 0.1;

interface Resolved {
  weights: RetrievalWeights;
  recency: { halfLifeMs: number; weight: number; now: number } | null;
  diversity: { method: "exact" | "fast"; lambda: number } | null;
}

function resolveOptions(options: RerankOptions): DreamResult<Resolved> {
  if (typeof options !== "object" || options === null) {
    return err(invalidParameter("options", options, "must be an object { weights, queryClass, k, ... }"));
  }
  const weights = validateWeights(options.weights);
  if (!weights.ok) return weights;
  const problem: DreamError | null =
    requirePositiveInteger("k", options.k) ??
    (options.queryClass == null || isColorClass(options.queryClass)
      ? null
      : invalidParameter("queryClass", options.queryClass, "must be a ColorClass or null"));
  if (problem) return err(problem);
  let recency: Resolved["recency"] = null;
  if (options.recencyHalfLifeMs != null) {
    const halfLife = options.recencyHalfLifeMs;
    if (typeof halfLife !== "number" || !Number.isFinite(halfLife) || halfLife <= 0) {
      return err(invalidParameter("recencyHalfLifeMs", halfLife, "must be a finite number > 0"));
    }
    const weight = options.recencyWeight ?? DEFAULT_RECENCY_WEIGHT;
    const recencyProblem =
      requireInRange("recencyWeight", weight, 0, 1) ??
      (options.now === undefined
        ? invalidParameter("now", options.now, "is required when recencyHalfLifeMs is set")
        : requireFinite("now", options.now));
    if (recencyProblem) return err(recencyProblem);
    recency = { halfLifeMs: halfLife, weight, now: options.now as number };
  } else if (options.recencyWeight != null) {
    return err(invalidParameter("recencyWeight", options.recencyWeight, "needs recencyHalfLifeMs"));
  }
  let diversity: Resolved["diversity"] = null;
  const d = options.diversity;
  if (d !== undefined && d !== false) {
    if (typeof d !== "object" || d === null || (d.method !== "exact" && d.method !== "fast")) {
      return err(invalidParameter("diversity", d, 'must be false or { method: "exact" | "fast", lambda? }'));
    }
    const lambda = d.lambda ?? weights.value.lambda;
    const lambdaProblem = requireInRange("diversity.lambda", lambda, 0, 1);
    if (lambdaProblem) return err(lambdaProblem);
    diversity = { method: d.method, lambda };
  }
  return ok({ weights: weights.value, recency, diversity });
}

/**
 * Re-ranks an over-fetched candidate list and returns the best k, each with its score components.
 *
 *   base  = alpha·s' + beta·u + gamma·c (+ recencyWeight·r)
 *   score = lambda·base − delta·(max cosine of its vector to the results ranked above)   (diversity on)
 *   score = base                                                                          (diversity off)
 *
 * s' is the similarity min-max normalised across ALL candidates, u = (utility + 1)/2 (0.5 without
 * feedback), c the class match (1 / 0 / 0.5 unknown), r = 2^(−age/half-life). With diversity on, the
 * order is greedy MMR with relevance = base and MMR lambda = lambda/(lambda + delta), which ranks by
 * exactly the score above; every result, the first included, is on that one scale (the first has no
 * penalty). Ties go to the earlier candidate.
 */
export function rerankHybrid(
  candidates: readonly ScoringCandidate[],
  options: RerankOptions,
): DreamResult<RankedCandidate[]> {
  const resolved = resolveOptions(options);
  if (!resolved.ok) return resolved;
  const { weights, recency, diversity } = resolved.value;
  if (!Array.isArray(candidates)) return err(invalidParameter("candidates", candidates, "must be an array"));
  const n = candidates.length;
  const vectorLength = (candidates[0] as Partial<ScoringCandidate> | undefined)?.vector?.length ?? 0;
  for (let i = 0; i < n; i++) {
    const problem = checkCandidate(candidates[i], i, vectorLength, diversity !== null);
    if (problem) return err(problem);
  }
  if (n === 0) return ok([]);

  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const c of candidates) {
    if (c.similarity < min) min = c.similarity;
    if (c.similarity > max) max = c.similarity;
  }
  const range = max - min;
  const queryClass = options.queryClass ?? null;
  const componentsOf = (c: ScoringCandidate): ScoreComponents => {
    const similarityNormalized = range > CONSTANT_RANGE ? (c.similarity - min) / range : 1;
    const utility = c.utility === null ? 0.5 : (c.utility + 1) / 2;
    const classMatch =
      queryClass === null || c.classLabel === null ? 0.5 : c.classLabel === queryClass ? 1 : 0;
    const age = recency ? Math.max(0, recency.now - c.lastUsedAt) : 0;
    const recencyValue = recency ? 2 ** (-age / recency.halfLifeMs) : 1;
    const base =
      weights.alpha * similarityNormalized +
      weights.beta * utility +
      weights.gamma * classMatch +
      (recency ? recency.weight * recencyValue : 0);
    return {
      similarity: c.similarity,
      similarityNormalized,
      utility,
      classMatch,
      recency: recencyValue,
      base,
      diversityPenalty: 0,
    };
  };

  const k = Math.min(options.k, n);
  if (diversity === null) return ok(topByBase(candidates, k, componentsOf));
  const components = candidates.map(componentsOf);
  const { lambda } = diversity;
  const { delta } = weights;
  // lambda·base − delta·maxSim = (lambda + delta)·(λ'·base − (1 − λ')·maxSim) with λ' = lambda/(lambda + delta),
  // so MMR with λ' picks exactly by the one-scale score. lambda = delta = 0 leaves nothing to weigh: rank by base.
  const mmrLambda = lambda + delta > 0 ? lambda / (lambda + delta) : 1;
  const input = {
    vectors: candidates.map((c) => c.vector),
    relevance: components.map((c) => c.base),
    k,
    lambda: mmrLambda,
    similarity: "cosine" as const,
  };
  const selection = diversity.method === "fast" ? mmrFast(input) : mmr(input);
  if (!selection.ok) return selection;
  const { indices, redundancy } = selection.value;
  return ok(
    indices.map((i, rank) => {
      const diversityPenalty = delta * redundancy[rank]!;
      const parts = { ...components[i]!, diversityPenalty };
      return { id: candidates[i]!.id, score: lambda * parts.base - diversityPenalty, components: parts };
    }),
  );
}

/**
 * The k best candidates by base score (ties to the earlier candidate) without building score
 * components for the losers: one pass keeps the k best (base, position) pairs in insertion order,
 * then only the winners get their components object.
 */
function topByBase(
  candidates: readonly ScoringCandidate[],
  k: number,
  componentsOf: (c: ScoringCandidate) => ScoreComponents,
): RankedCandidate[] {
  const winners: ScoreComponents[] = [];
  const positions: number[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const parts = componentsOf(candidates[i] as ScoringCandidate);
    if (winners.length === k && (winners[k - 1] as ScoreComponents).base >= parts.base) continue;
    // Insert after every kept one with base >= this base: equal bases keep candidate order.
    let at = winners.length === k ? k - 1 : winners.length;
    while (at > 0 && (winners[at - 1] as ScoreComponents).base < parts.base) {
      winners[at] = winners[at - 1] as ScoreComponents;
      positions[at] = positions[at - 1] as number;
      at--;
    }
    winners[at] = parts;
    positions[at] = i;
  }
  const out: RankedCandidate[] = new Array(winners.length);
  for (let r = 0; r < winners.length; r++) {
    const parts = winners[r] as ScoreComponents;
    out[r] = {
      id: (candidates[positions[r] as number] as ScoringCandidate).id,
      score: parts.base,
      components: parts,
    };
  }
  return out;
}
