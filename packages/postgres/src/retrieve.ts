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

interface Candidate {
  entry: DreamEntry;
  similarity: number;
  vector: Float32Array;
}

/** 1 − cosine distance; a zero-norm vector (pgvector gives NaN) has similarity 0, as in the pool. */
const similarityOf = (distance: number): number => (Number.isFinite(distance) ? 1 - distance : 0);

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Whether this query should bypass the HNSW index. */
async function useExactScan(ctx: RetrievalContext, o: ResolvedRetrieve): Promise<boolean> {
  if (o.exact !== null) return o.exact;
  if (ctx.settings.index === "exact") return true;
  if (ctx.settings.index === "hnsw") return false;
  return (await readCounters(ctx.exec, ctx.names)).entryCount < ctx.settings.autoHnswThreshold;
}

/**
 * k-NN in SQL (over-fetching k · overFetch candidates, filters applied in the query), then the
 * client-side pipeline of the in-memory pool: predicate filter, rerankHybrid (similarity, utility,
 * class match, recency, optional MMR), usage stats. hard ranks by chroma cosine, soft by embedding
 * cosine, hybrid takes the union of both candidate sets scored by the mean of the two cosines.
 */
export async function runRetrieval(
  ctx: RetrievalContext,
  query: PoolQuery,
  o: ResolvedRetrieve,
): Promise<DreamResult<ScoredDream[]>> {
  const signature = toSignature(query, ctx.spectralWindow);
  if (!signature.ok) return signature;
  const sig = signature.value;
  const limit = Math.ceil(o.k * o.overFetch);
  const exact = await useExactScan(ctx, o);
  const base = {
    limit,
    classFilter: o.classFilter,
    minUtility: o.minUtility,
    exact,
    efSearch: ctx.settings.hnsw.ef,
  };
  let queryEmbedding: Float32Array | null = null;
  if (o.mode !== "hard") {
    const encoded = ctx.mapper.encodeQuery(sig, ctx.bias);
    if (!encoded.ok) return encoded;
    queryEmbedding = encoded.value;
  }
  const rows = new Map<string, KnnRow>();
  if (queryEmbedding !== null) {
    for (const row of await knnQuery(ctx.exec, ctx.names, {
      ...base,
      column: "embedding",
      query: queryEmbedding,
    })) {
      rows.set(row.id, row);
    }
  }
  const hardRows =
    o.mode === "soft"
      ? []
      : await knnQuery(ctx.exec, ctx.names, { ...base, column: "chroma", query: sig.chroma });
  for (const row of hardRows) if (!rows.has(row.id)) rows.set(row.id, row);

  const candidates: Candidate[] = [];
  for (const row of rows.values()) {
    const entry = entryFromRow(row);
    if (!entry.ok) return entry;
    if (o.filter !== null) {
      let keep: boolean;
      try {
        keep = o.filter(entry.value) === true;
      } catch (thrown) {
        return err(
          invalidParameter(
            "options.filter",
            o.filter,
            `threw: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
          ),
        );
      }
      if (!keep) continue;
    }
    const e = entry.value;
    const hard = cosine(sig.chroma, e.chroma);
    const soft = queryEmbedding === null ? 0 : cosine(queryEmbedding, e.embedding);
    const similarity =
      o.mode === "hard"
        ? similarityOf(row.distance)
        : o.mode === "soft"
          ? similarityOf(row.distance)
          : (hard + soft) / 2;
    candidates.push({
      entry: e,
      similarity,
      vector: o.mode === "hard" ? Float32Array.from(e.chroma) : e.embedding,
    });
  }
  const scoring: ScoringCandidate[] = candidates.map((c) => ({
    id: c.entry.id,
    similarity: c.similarity,
    utility: c.entry.utility.mean,
    classLabel: c.entry.classLabel,
    lastUsedAt: c.entry.lastUsedAt,
    vector: c.vector,
  }));
  if (scoring.length === 0) return ok([]);
  const ranked = rerankHybrid(scoring, {
    weights: o.weights,
    queryClass: sig.classHint,
    k: o.k,
    now: o.now,
    ...(ctx.settings.recencyHalfLifeMs === null ? {} : { recencyHalfLifeMs: ctx.settings.recencyHalfLifeMs }),
    diversity: o.diversity,
  });
  if (!ranked.ok) return ranked;
  const byId = new Map(candidates.map((c) => [c.entry.id, c.entry]));
  const ids = ranked.value.map((r) => r.id);
  // Usage stats: one UPDATE for the whole result (LRU eviction and the recency term read them).
  if (ids.length > 0) {
    await ctx.exec.query(
      `UPDATE ${ctx.names.dreams} SET usage_count = usage_count + 1, last_used_at = greatest(last_used_at, $2::bigint)
       WHERE id = ANY($1::text[])`,
      [ids, Math.round(o.now)],
    );
  }
  const out: ScoredDream[] = [];
  for (const r of ranked.value) {
    const entry = byId.get(r.id);
    if (entry === undefined) continue;
    out.push({
      entry: {
        ...entry,
        usageCount: entry.usageCount + 1,
        lastUsedAt: Math.max(entry.lastUsedAt, Math.round(o.now)),
      },
      score: r.score,
      components: r.components,
    });
  }
  return ok(out);
}
