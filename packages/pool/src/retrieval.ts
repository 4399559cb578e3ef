import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import { rerankHybrid, type ScoringCandidate } from "@dreampool/scoring";
import type { Rgb } from "@dreampool/tensor";
import { isZero } from "./add-path.js";
import type { EntryRecord } from "./entry-record.js";
import { type PoolState, reentrantCall } from "./pool-state.js";
import { embedQuery, parseQuery } from "./query-embedding.js";
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
  const candidates: ScoringCandidate[] = [];
  const records = new Map<string, EntryRecord>();
  let queryEmbedding: Float32Array | null = null;
  // One candidate per live id; hybrid scores every candidate by its embedding cosine, whichever
  // list it came from, so both lists share one similarity scale.
  const consider = (id: string, score: number): void => {
    if (o.mode === "hybrid" && records.has(id)) return;
    const e = state.entries.get(id);
    if (e === undefined) return;
    records.set(id, e);
    candidates.push({
      id,
      similarity: o.mode === "hybrid" && queryEmbedding !== null ? dot(queryEmbedding, e.embedding) : score,
      utility: e.utilityMean,
      classLabel: e.classLabel,
      lastUsedAt: e.lastUsedAt,
      vector: o.mode === "hard" ? Float32Array.from(e.chroma) : e.embedding,
    });
  };

  const gatherCandidates = (): DreamResult<void> => {
    if (o.mode !== "hard") {
      const embedded = embedQuery(state, parsed.value);
      if (!embedded.ok) return embedded;
      queryEmbedding = embedded.value;
      const hits = state.embeddingIndex.search(queryEmbedding, fetch, guard.filter);
      if (!hits.ok) return hits;
      for (const hit of hits.value) consider(hit.id, hit.score);
    }
    if (o.mode !== "soft") {
      const hits = chromaCandidates(state, parsed.value.chroma, fetch, guard.filter);
      if (!hits.ok) return hits;
      for (const [id, score] of hits.value) consider(id, score);
    }
    return ok(undefined);
  };
  state.filtering = guard.filter !== undefined;
  try {
    const gathered = gatherCandidates();
    if (!gathered.ok) return gathered;
  } finally {
    state.filtering = false;
  }
  if (guard.threw) {
    const message = guard.thrown instanceof Error ? guard.thrown.message : String(guard.thrown);
    return err(invalidParameter("options.filter", "[function]", `must not throw (it threw: ${message})`));
  }

  const ranked = rerankHybrid(candidates, {
    weights: o.weights,
    queryClass: parsed.value.classHint,
    k: o.k,
    now,
    ...(state.config.recencyHalfLifeMs === null || !useRecency
      ? {}
      : { recencyHalfLifeMs: state.config.recencyHalfLifeMs }),
    diversity:
      o.diversity === false
        ? false
        : { method: o.diversity.method, lambda: o.diversity.lambda ?? o.weights.lambda },
  });
  if (!ranked.ok) return ranked;

  const out: ScoredDream[] = [];
  for (const r of ranked.value) {
    const e = records.get(r.id);
    if (e === undefined) continue;
    e.usageCount++;
    e.lastUsedAt = now;
    state.order.touched(e);
    out.push({ entry: e, score: r.score, components: r.components });
  }
  return ok(out);
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
