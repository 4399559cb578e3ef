import { DEFAULT_RECENCY_WEIGHT, type RetrievalWeights } from "@dreampool/scoring";
import type { Hit } from "@dreampool/soft-index";
import type { ColorClass } from "@dreampool/tensor";
import { type CandidatePool, lookUpRecords } from "./candidate-pool.js";
import type { EntryRecord } from "./entry-record.js";
import type { PoolState } from "./pool-state.js";
import type { ResolvedRetrieveOptions } from "./retrieve-options.js";
import type { ScoredDream } from "./types.js";

/** What ranking needs to know to rule a soft candidate out before its record is read. */
export interface RankBound {
  readonly k: number;
  readonly weights: RetrievalWeights;
  readonly queryClass: ColorClass | null;
  /**
   * The most a candidate's utility, class and recency terms can add: the pool-wide bounds on
   * utility and class match (ScoreTermBounds), recency 1.
   */
  readonly maxExtra: number;
}

export function rankBoundOf(
  state: PoolState,
  o: ResolvedRetrieveOptions,
  queryClass: ColorClass | null,
  recency: boolean,
): RankBound {
  const { beta, gamma } = o.weights;
  const bounds = state.scoreBounds;
  const maxExtra =
    beta * bounds.maxUtility() +
    gamma * bounds.maxClassMatch(queryClass) +
    (recency ? DEFAULT_RECENCY_WEIGHT : 0);
  return { k: o.k, weights: o.weights, queryClass, maxExtra };
}

// Bounds closer than this are not trusted to rule a candidate out (float rounding of the two sums).
const BOUND_MARGIN = 1e-9;

/**
 * Considers the soft hits that can still make the top k, and skips the rest without reading their
 * records (each read is a hash lookup and a cold object: most of the pool's time over the raw
 * search). Exact: rerankHybrid's base is α·s' + β·u + γ·c (+ recency weight·r) with s' the
 * similarity min-max normalised over the candidates, u, c and r in [0, 1]. Hits come best first,
 * so s' only falls: once α·s'_i plus the most the other terms can add (the pool-wide bounds of
 * ScoreTermBounds) is below the k-th best lower bound α·s'_j + β·u_j + γ·c_j (recency dropped, it
 * is >= 0) of the candidates read so far, no later hit can enter the top k. The last hit (the
 * minimum similarity) then joins as a floor candidate, without its record, so the min-max
 * normalisation, and with it every returned score, is exactly what the full list would give.
 * A pool whose entries all score alike on utility and class (no feedback yet, say) reads k records.
 * Falls back to reading every hit when the hits are not best-first, a record is missing or the
 * similarities are all equal.
 */
export function considerWinnable(pool: CandidatePool, hits: readonly Hit[], bound: RankBound): void {
  const n = hits.length;
  const max = n > 0 ? (hits[0] as Hit).score : 0;
  const min = n > 0 ? (hits[n - 1] as Hit).score : 0;
  const range = max - min;
  if (n <= bound.k + 1 || !(range > BOUND_MARGIN)) {
    for (const hit of hits) pool.consider(hit.id, hit.score);
    return;
  }
  const { alpha, beta, gamma } = bound.weights;
  const { k, queryClass, maxExtra } = bound;
  // The first k hits are always read (no cut before k records): look them up together.
  const ahead = pool.lookAhead(hits, Math.min(k, n - 1));
  // The k best lower bounds so far, descending.
  const best: number[] = [];
  let previous = max;
  for (let i = 0; i < n - 1; i++) {
    const hit = hits[i] as Hit;
    if (hit.score > previous) {
      for (let j = i; j < n; j++) pool.consider((hits[j] as Hit).id, (hits[j] as Hit).score);
      return;
    }
    previous = hit.score;
    const normalized = (hit.score - min) / range;
    if (best.length === k && alpha * normalized + maxExtra < (best[k - 1] as number) - BOUND_MARGIN) {
      const last = hits[n - 1] as Hit;
      pool.addFloor(last.id, last.score, queryClass);
      return;
    }
    const e = pool.consider(hit.id, hit.score, ahead[i]);
    if (e === undefined) {
      for (let j = i + 1; j < n; j++) pool.consider((hits[j] as Hit).id, (hits[j] as Hit).score);
      return;
    }
    const utility = e.utilityMean === null ? 0.5 : (e.utilityMean + 1) / 2;
    const classMatch =
      queryClass === null || e.classLabel === null ? 0.5 : e.classLabel === queryClass ? 1 : 0;
    const lower = alpha * normalized + beta * utility + gamma * classMatch;
    let at = best.length < k ? best.length : k - 1;
    if (best.length === k && (best[k - 1] as number) >= lower) continue;
    while (at > 0 && (best[at - 1] as number) < lower) {
      best[at] = best[at - 1] as number;
      at--;
    }
    best[at] = lower;
  }
  const last = hits[n - 1] as Hit;
  pool.consider(last.id, last.score);
}

// scoring's rerankHybrid treats a similarity range narrower than this as constant (all normalise to 1).
const CONSTANT_RANGE = 1e-9;

/**
 * The class match every live entry shares when no entry has feedback (utility then 0.5 for all)
 * and all match the query's class alike; null otherwise. With it, and recency and diversity off,
 * a soft retrieval's ranking is the hit order (rankHitOrder).
 */
export function uniformClassMatch(state: PoolState, queryClass: ColorClass | null): number | null {
  return state.scoreBounds.anyFeedback ? null : state.scoreBounds.uniformClassMatch(queryClass);
}

/**
 * Soft results when every live entry scores alike on utility (0.5) and class match (`classMatch`),
 * with recency and diversity off: base = α·s' + β·0.5 + γ·c rises with the similarity
 * (floating-point rounding is monotone too) and ties go to the earlier candidate, so the top k
 * are the first k hits. Returns exactly what ranking every hit with rerankHybrid returns — the same
 * components, computed by the same expressions — reading only the k records it returns and
 * building no candidate objects, and marks the results used (usageCount + 1, lastUsedAt = now).
 * Null, with nothing changed, when the hits are not best-first or a record is missing (the caller
 * then ranks in full). The retrieval tests check it against rerankHybrid.
 */
export function rankHitOrder(
  state: PoolState,
  hits: readonly Hit[],
  o: ResolvedRetrieveOptions,
  classMatch: number,
  now: number,
): ScoredDream[] | null {
  const n = hits.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let previous = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const s = (hits[i] as Hit).score;
    if (s > previous) return null;
    previous = s;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const count = Math.min(o.k, n);
  const records = lookUpRecords(state.entries, hits, count);
  for (let i = 0; i < count; i++) if (records[i] === undefined) return null;
  const range = max - min;
  const { alpha, beta, gamma } = o.weights;
  const utility = 0.5;
  const out: ScoredDream[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const similarity = (hits[i] as Hit).score;
    const similarityNormalized = range > CONSTANT_RANGE ? (similarity - min) / range : 1;
    const base = alpha * similarityNormalized + beta * utility + gamma * classMatch;
    const e = records[i] as EntryRecord;
    e.usageCount++;
    e.lastUsedAt = now;
    state.order.touched(e);
    out[i] = {
      entry: e,
      score: base,
      components: {
        similarity,
        similarityNormalized,
        utility,
        classMatch,
        recency: 1,
        base,
        diversityPenalty: 0,
      },
    };
  }
  return out;
}
