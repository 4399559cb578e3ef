import type { EmbeddingMapper, WindowFunction } from "@dreampool/embedding";
import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import type { DreamEntry, PoolQuery, ScoredDream } from "@dreampool/pool";
import { type BiasProfile, rerankHybrid, type ScoringCandidate } from "@dreampool/scoring";
import { readCounters } from "./capacity.js";
import { entryFromRow } from "./entry-row.js";
import type { SqlExecutor } from "./executor.js";
import type { PoolObjectNames } from "./identifier.js";
import type { PgPoolSettings } from "./options.js";
import { toSignature } from "./query.js";
import { type KnnRow, knnQuery } from "./retrieval-sql.js";
import type { ResolvedRetrieve } from "./retrieve-options.js";

export interface RetrievalContext {
  readonly exec: SqlExecutor;
  readonly names: PoolObjectNames;
  readonly settings: PgPoolSettings;
  readonly mapper: EmbeddingMapper;
  readonly bias: BiasProfile;
  readonly spectralWindow: WindowFunction;
}

/** 1 − cosine distance; a zero-norm vector (pgvector gives NaN) has similarity 0, as in the pool. */
const similarityOf = (distance: number): number => (Number.isFinite(distance) ? 1 - distance : 0);

/** Whether this query should bypass the HNSW index. */
async function useExactScan(ctx: RetrievalContext, o: ResolvedRetrieve): Promise<boolean> {
  if (o.exact !== null) return o.exact;
  if (ctx.settings.index === "exact") return true;
  if (ctx.settings.index === "hnsw") return false;
  return (await readCounters(ctx.exec, ctx.names)).entryCount < ctx.settings.autoHnswThreshold;
}

/**
 * k-NN in SQL (k · overFetch candidates per list, class and utility filters inside the query),
 * then the in-memory pool's pipeline in the client: predicate filter, rerankHybrid (similarity,
 * utility, class match, recency, optional MMR), usage stats. hard ranks by chroma cosine, soft by
 * embedding cosine, and hybrid takes the union of both lists ranked by embedding cosine, exactly
 * as the in-memory pool does, so both backends return the same results on the same data.
 */
export async function runRetrieval(
  ctx: RetrievalContext,
  query: PoolQuery,
  o: ResolvedRetrieve,
  /** false for the seed-style convenience methods, which rank by similarity alone. */
  useRecency = true,
): Promise<DreamResult<ScoredDream[]>> {
  const signature = toSignature(query, ctx.spectralWindow);
  if (!signature.ok) return signature;
  const sig = signature.value;
  const limit = o.k * o.overFetch;
  const exact = await useExactScan(ctx, o);
  const base = {
    limit,
    classFilter: o.classFilter,
    minUtility: o.minUtility,
    exact,
    efSearch: ctx.settings.hnsw.ef,
  };
  let queryEmbedding: Float32Array | null = null;
  const rows = new Map<string, KnnRow>();
  if (o.mode !== "hard") {
    const encoded = ctx.mapper.encodeQuery(sig, ctx.bias);
    if (!encoded.ok) return encoded;
    queryEmbedding = encoded.value;
    for (const row of await knnQuery(ctx.exec, ctx.names, {
      ...base,
      column: "embedding",
      query: queryEmbedding,
    })) {
      rows.set(row.id, row);
    }
  }
  if (o.mode !== "soft") {
    for (const row of await knnQuery(ctx.exec, ctx.names, { ...base, column: "chroma", query: sig.chroma })) {
      if (!rows.has(row.id)) rows.set(row.id, row);
    }
  }

  const entries = new Map<string, DreamEntry>();
  const candidates: ScoringCandidate[] = [];
  for (const row of rows.values()) {
    const entry = entryFromRow(row);
    if (!entry.ok) return entry;
    const e = entry.value;
    if (o.filter !== null) {
      let keep: boolean;
      try {
        keep = o.filter(e) === true;
      } catch (thrown) {
        const message = thrown instanceof Error ? thrown.message : String(thrown);
        return err(invalidParameter("options.filter", "[function]", `must not throw (it threw: ${message})`));
      }
      if (!keep) continue;
    }
    entries.set(e.id, e);
    // Hybrid ranks every candidate by its embedding similarity, whichever list it came from.
    const similarity =
      o.mode === "hybrid" && queryEmbedding !== null
        ? dot(queryEmbedding, e.embedding)
        : similarityOf(row.distance);
    candidates.push({
      id: e.id,
      similarity,
      utility: e.utility.mean,
      classLabel: e.classLabel,
      lastUsedAt: e.lastUsedAt,
      vector: o.mode === "hard" ? Float32Array.from(e.chroma) : e.embedding,
    });
  }
  if (candidates.length === 0) return ok([]);
  const ranked = rerankHybrid(candidates, {
    weights: o.weights,
    queryClass: sig.classHint,
    k: o.k,
    now: o.now,
    ...(ctx.settings.recencyHalfLifeMs === null || !useRecency
      ? {}
      : { recencyHalfLifeMs: ctx.settings.recencyHalfLifeMs }),
    diversity:
      o.diversity === false
        ? false
        : { method: o.diversity.method, lambda: o.diversity.lambda ?? o.weights.lambda },
  });
  if (!ranked.ok) return ranked;
  const ids = ranked.value.map((r) => r.id);
  // Usage stats in one UPDATE for the whole result (LRU eviction and the recency term read them).
  if (ids.length > 0) {
    await ctx.exec.query(
      `UPDATE ${ctx.names.dreams} SET usage_count = usage_count + 1, last_used_at = $2::bigint WHERE id = ANY($1::text[])`,
      [ids, Math.round(o.now)],
    );
  }
  const out: ScoredDream[] = [];
  for (const r of ranked.value) {
    const entry = entries.get(r.id);
    if (entry === undefined) continue;
    out.push({
      entry: { ...entry, usageCount: entry.usageCount + 1, lastUsedAt: Math.round(o.now) },
      score: r.score,
      components: r.components,
    });
  }
  return ok(out);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}
