import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import {
  DEFAULT_RECENCY_WEIGHT,
  type RetrievalWeights,
  rerankHybrid,
  type ScoringCandidate,
} from "@dreampool/scoring";
import type { Hit } from "@dreampool/soft-index";
import { COLOR_CLASSES, type ColorClass, type Rgb } from "@dreampool/tensor";
import { isZero } from "./add-path.js";
import type { EntryRecord } from "./entry-record.js";
import { type PoolState, reentrantCall } from "./pool-state.js";
import { embedQuery, type ParsedQuery, parseQuery } from "./query-embedding.js";
import { type ResolvedRetrieveOptions, resolveRetrieveOptions } from "./retrieve-options.js";
import type { PoolQuery, RetrieveOptions, ScoredDream } from "./types.js";

type IdFilter = (id: string) => boolean;

/**
 * The id filter handed to the indices: class, utility and the caller's predicate, checked by id
 * (undefined when nothing filters, so the indices take their unfiltered path). A throwing
 * predicate rejects the rest and is reported after the search as InvalidParameter.
 */
class CandidateGuard {
  readonly filter: IdFilter | undefined;
  threw = false;
  thrown: unknown = undefined;

  constructor(state: PoolState, o: ResolvedRetrieveOptions) {
    const { classFilter, minUtility, filter } = o;
    if (classFilter === null && minUtility === null && filter === null) {
      this.filter = undefined;
      return;
    }
    this.filter = (id) => {
      const e = state.entries.get(id);
      if (e === undefined || this.threw) return false;
      if (classFilter !== null && e.classLabel !== classFilter) return false;
      if (minUtility !== null && (e.utilityMean === null || e.utilityMean < minUtility)) return false;
      if (filter === null) return true;
      try {
        return filter(e) === true;
      } catch (thrown) {
        this.threw = true;
        this.thrown = thrown;
        return false;
      }
    };
  }
}

/**
 * Runs one retrieval. Candidates come from the chroma index (hard), the embedding index (soft) or
 * both (hybrid, de-duplicated), k · overFetch of each, with every filter applied inside the index
 * search; all candidates are then ranked by scoring's rerankHybrid, so every mode returns scores on
 * one scale. Returned entries get usageCount + 1 and lastUsedAt = now.
 */
export function retrieveFrom(
  state: PoolState,
  query: PoolQuery,
  options: RetrieveOptions | undefined,
  /** false for the seed-style convenience methods, which rank by similarity alone. */
  useRecency = true,
): DreamResult<ScoredDream[]> {
  if (state.filtering) return err(reentrantCall("retrieve"));
  const resolved = resolveRetrieveOptions(options, state.config);
  if (!resolved.ok) return resolved;
  const o = resolved.value;
  const parsed = parseQuery(query);
  if (!parsed.ok) return parsed;
  const now = o.now ?? state.clock();
  if (!Number.isFinite(now)) return err(invalidParameter("clock()", now, "must return a finite number"));
  if (state.entries.size === 0) return ok([]);

  const fetch = Math.min(state.entries.size, o.k * o.overFetch);
  const guard = new CandidateGuard(state, o);
  const recencyHalfLifeMs = useRecency ? state.config.recencyHalfLifeMs : null;
  const pool = new CandidatePool(state, o.mode, o.diversity !== false, recencyHalfLifeMs !== null);
  state.filtering = guard.filter !== undefined;
  try {
    const bound =
      o.diversity === false
        ? rankBoundOf(state, o, parsed.value.classHint, recencyHalfLifeMs !== null)
        : null;
    const gathered = gatherCandidates(state, parsed.value, o.mode, fetch, guard.filter, pool, bound);
    if (!gathered.ok) return gathered;
  } finally {
    state.filtering = false;
  }
  if (guard.threw) {
    const message = guard.thrown instanceof Error ? guard.thrown.message : String(guard.thrown);
    return err(invalidParameter("options.filter", "[function]", `must not throw (it threw: ${message})`));
  }

  const ranked = rerankHybrid(pool.candidates, {
    weights: o.weights,
    queryClass: parsed.value.classHint,
    k: o.k,
    now,
    recencyHalfLifeMs,
    diversity:
      o.diversity === false
        ? false
        : { method: o.diversity.method, lambda: o.diversity.lambda ?? o.weights.lambda },
  });
  if (!ranked.ok) return ranked;

  const out: ScoredDream[] = new Array(ranked.value.length);
  let count = 0;
  for (const r of ranked.value) {
    const e = pool.recordOf(r.id);
    if (e === undefined) continue;
    e.usageCount++;
    e.lastUsedAt = now;
    state.order.touched(e);
    out[count++] = { entry: e, score: r.score, components: r.components };
  }
  out.length = count;
  return ok(out);
}

/** Stands in for the vector of a candidate that only carries the minimum similarity (never read). */
const NO_VECTOR = new Float32Array(0);

/**
 * The candidates of one retrieval and their records, side by side (candidate i is record i), so
 * the ranked ids map back to records without a second lookup in the pool's entry map. Only hybrid
 * mode, whose two lists overlap, keeps an id → position map to de-duplicate. The one exception is
 * a floor candidate (addFloor), always last and without a record.
 */
class CandidatePool {
  readonly candidates: ScoringCandidate[] = [];
  private readonly records: EntryRecord[] = [];
  private readonly seen: Map<string, number> | null;
  /** Set in hybrid mode: every candidate is then scored by its embedding cosine. */
  queryEmbedding: Float32Array | null = null;

  constructor(
    private readonly state: PoolState,
    private readonly mode: ResolvedRetrieveOptions["mode"],
    /** Only the duplicate penalty reads a candidate's vector: hard mode builds chroma rows for it then. */
    private readonly withDiversity: boolean,
    /**
     * Only recency reads a candidate's last use. The field is a boxed double, one more cold load
     * per candidate, so without recency it is not read (0 stands in; ranking ignores it then).
     */
    private readonly withRecency: boolean,
  ) {
    this.seen = mode === "hybrid" ? new Map() : null;
  }

  /** Adds the live entry `id` as a candidate and returns its record (undefined: not live, or seen). */
  consider(id: string, score: number): EntryRecord | undefined {
    if (this.seen?.has(id)) return undefined;
    const e = this.state.entries.get(id);
    if (e === undefined) return undefined;
    this.seen?.set(id, this.records.length);
    this.records.push(e);
    const q = this.queryEmbedding;
    this.candidates.push({
      id,
      similarity: q !== null ? dot(q, e.embedding) : score,
      utility: e.utilityMean,
      classLabel: e.classLabel,
      lastUsedAt: this.withRecency ? e.lastUsedAt : 0,
      // The stored embedding itself (never copied); hard mode's chroma rows only for the penalty.
      vector: this.mode === "hard" && this.withDiversity ? Float32Array.from(e.chroma) : e.embedding,
    });
    return e;
  }

  /**
   * A candidate that carries only the minimum similarity of the fetched list, so the min-max
   * normalisation of the others is what the whole list gives, without reading its record. Its
   * other terms are the lowest possible (utility −1, class match 0, or 0.5 when the query has no
   * class, which every candidate then gets), so it scores no more than the real entry would.
   * Only for a hit that provably cannot make the top k (considerWinnable): ties go to the earlier
   * candidate, and it is last, so it is never ranked; if it were, recordOf finds no record for it.
   */
  addFloor(id: string, similarity: number, queryClass: ColorClass | null): void {
    this.candidates.push({
      id,
      similarity,
      utility: -1,
      classLabel: queryClass === null ? null : otherClass(queryClass),
      lastUsedAt: 0,
      vector: NO_VECTOR,
    });
  }

  /** The record of a candidate id: a scan of at most k · overFetch ids (same string objects). */
  recordOf(id: string): EntryRecord | undefined {
    const at = this.seen?.get(id);
    if (at !== undefined) return this.records[at];
    const { candidates } = this;
    // records may be one shorter than candidates (a floor candidate): records[i] is then undefined.
    for (let i = 0; i < candidates.length; i++) {
      if ((candidates[i] as ScoringCandidate).id === id) return this.records[i];
    }
    return undefined;
  }
}

/** What ranking needs to know to rule a soft candidate out before its record is read. */
interface RankBound {
  readonly k: number;
  readonly weights: RetrievalWeights;
  readonly queryClass: ColorClass | null;
  /**
   * The most a candidate's utility, class and recency terms can add: the pool-wide bounds on
   * utility and class match (ScoreTermBounds), recency 1.
   */
  readonly maxExtra: number;
}

function rankBoundOf(
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

/** Some class other than `c` (a floor candidate's class: class match 0). */
function otherClass(c: ColorClass): ColorClass {
  return (COLOR_CLASSES[0] === c ? COLOR_CLASSES[1] : COLOR_CLASSES[0]) as ColorClass;
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
function considerWinnable(pool: CandidatePool, hits: readonly Hit[], bound: RankBound): void {
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
    const e = pool.consider(hit.id, hit.score);
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

/** Fills the candidate pool from the embedding index (soft, hybrid) and the chroma index (hard, hybrid). */
function gatherCandidates(
  state: PoolState,
  query: ParsedQuery,
  mode: ResolvedRetrieveOptions["mode"],
  fetch: number,
  filter: IdFilter | undefined,
  pool: CandidatePool,
  bound: RankBound | null,
): DreamResult<void> {
  if (mode !== "hard") {
    const embedded = embedQuery(state, query);
    if (!embedded.ok) return embedded;
    const hits = state.embeddingIndex.search(embedded.value, fetch, filter);
    if (!hits.ok) return hits;
    // Hybrid scores every candidate by its embedding cosine, whichever list it came from, so both
    // lists share one similarity scale.
    if (mode === "hybrid") pool.queryEmbedding = embedded.value;
    if (mode === "soft" && bound !== null) considerWinnable(pool, hits.value, bound);
    else for (const hit of hits.value) pool.consider(hit.id, hit.score);
  }
  if (mode !== "soft") {
    const hits = chromaCandidates(state, query.chroma, fetch, filter);
    if (!hits.ok) return hits;
    for (const [id, score] of hits.value) pool.consider(id, score);
  }
  return ok(undefined);
}

/**
 * Hard-mode candidates: cosine of mean colours through the chroma index. An all-zero colour has no
 * direction, so its cosine with anything is 0 (as in the reference): zero-chroma entries join with
 * similarity 0, and a zero query gives every entry similarity 0 (oldest first).
 */
function chromaCandidates(
  state: PoolState,
  chroma: Rgb,
  fetch: number,
  filter: IdFilter | undefined,
): DreamResult<[string, number][]> {
  const pass = (id: string) => filter === undefined || filter(id);
  if (isZero(chroma)) {
    const out: [string, number][] = [];
    for (const id of state.entries.keys()) {
      if (out.length >= fetch) break;
      if (pass(id)) out.push([id, 0]);
    }
    return ok(out);
  }
  const out: [string, number][] = [];
  if (state.chromaIndex.size > 0) {
    const hits = state.chromaIndex.search(Float32Array.from(chroma), fetch, filter ? { filter } : undefined);
    if (!hits.ok) return hits;
    for (const hit of hits.value) out.push([hit.id, hit.score]);
  }
  if (state.zeroChroma.size > 0) {
    for (const id of state.zeroChroma) if (pass(id)) out.push([id, 0]);
    out.sort((a, b) => b[1] - a[1]);
    out.length = Math.min(out.length, fetch);
  }
  return ok(out);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
