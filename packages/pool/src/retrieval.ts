import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import { rerankHybrid } from "@dreampool/scoring";
import type { Hit } from "@dreampool/soft-index";
import type { Rgb } from "@dreampool/tensor";
import { isZero } from "./add-path.js";
import { CandidatePool } from "./candidate-pool.js";
import { type PoolState, reentrantCall } from "./pool-state.js";
import { embedQuery, type ParsedQuery, parseQuery } from "./query-embedding.js";
import { type ResolvedRetrieveOptions, resolveRetrieveOptions } from "./retrieve-options.js";
import {
  considerWinnable,
  type RankBound,
  rankBoundOf,
  rankHitOrder,
  uniformClassMatch,
} from "./soft-ranking.js";
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
  const queryClass = parsed.value.classHint;
  // Soft mode without diversity or recency, in a pool whose entries all score alike on utility
  // and class: the ranking is the hit order, so the hits are kept for rankHitOrder.
  const classMatch =
    o.mode === "soft" && o.diversity === false && recencyHalfLifeMs === null
      ? uniformClassMatch(state, queryClass)
      : null;
  let softHits: readonly Hit[] | null = null;
  state.filtering = guard.filter !== undefined;
  try {
    const bound =
      o.diversity === false ? rankBoundOf(state, o, queryClass, recencyHalfLifeMs !== null) : null;
    const gathered = gatherCandidates(
      state,
      parsed.value,
      o.mode,
      fetch,
      guard.filter,
      classMatch === null ? pool : null,
      bound,
    );
    if (!gathered.ok) return gathered;
    softHits = gathered.value;
  } finally {
    state.filtering = false;
  }
  if (guard.threw) {
    const message = guard.thrown instanceof Error ? guard.thrown.message : String(guard.thrown);
    return err(invalidParameter("options.filter", "[function]", `must not throw (it threw: ${message})`));
  }

  if (softHits !== null && classMatch !== null) {
    const inHitOrder = rankHitOrder(state, softHits, o, classMatch, now);
    if (inHitOrder !== null) return ok(inHitOrder);
    for (const hit of softHits) pool.consider(hit.id, hit.score); // not best-first: rank them all
  }
  const ranked = rerankHybrid(pool.candidates, {
    weights: o.weights,
    queryClass,
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

/**
 * Fills the candidate pool from the embedding index (soft, hybrid) and the chroma index (hard,
 * hybrid). With `pool` null (soft mode only) it returns the soft hits instead, for rankHitOrder.
 */
function gatherCandidates(
  state: PoolState,
  query: ParsedQuery,
  mode: ResolvedRetrieveOptions["mode"],
  fetch: number,
  filter: IdFilter | undefined,
  pool: CandidatePool | null,
  bound: RankBound | null,
): DreamResult<readonly Hit[] | null> {
  if (mode !== "hard") {
    const embedded = embedQuery(state, query);
    if (!embedded.ok) return embedded;
    const hits = state.embeddingIndex.search(embedded.value, fetch, filter);
    if (!hits.ok) return hits;
    if (pool === null) return hits;
    // Hybrid scores every candidate by its embedding cosine, whichever list it came from, so both
    // lists share one similarity scale.
    if (mode === "hybrid") pool.queryEmbedding = embedded.value;
    if (mode === "soft" && bound !== null) considerWinnable(pool, hits.value, bound);
    else for (const hit of hits.value) pool.consider(hit.id, hit.score);
  }
  if (mode !== "soft" && pool !== null) {
    const hits = chromaCandidates(state, query.chroma, fetch, filter);
    if (!hits.ok) return hits;
    for (const [id, score] of hits.value) pool.consider(id, score);
  }
  return ok(null);
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
