import type { EmbeddingMapper, WindowFunction } from "@dreampool/embedding";
import { type DreamResult, err, indexCorrupted, invalidParameter, ok } from "@dreampool/errors";
import type { DreamEntry, PoolQuery, ScoredDream } from "@dreampool/pool";
import { type BiasProfile, rerankHybrid, type ScoringCandidate } from "@dreampool/scoring";
import { isColorClass } from "@dreampool/tensor";
import { readCounters } from "./capacity.js";
import { type EntryRow, entryFromRow } from "./entry-row.js";
import type { SqlExecutor } from "./executor.js";
import type { PoolObjectNames } from "./identifier.js";
import type { PgPoolSettings } from "./options.js";
import { toSignature } from "./query.js";
import { type KnnRow, knnQuery, touchAndRead } from "./retrieval-sql.js";
import type { ResolvedRetrieve } from "./retrieve-options.js";
import { vectorFromText } from "./vector-text.js";

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
  let queryEmbedding: Float32Array | null = null;
  if (o.mode !== "hard") {
    const encoded = ctx.mapper.encodeQuery(sig, ctx.bias);
    if (!encoded.ok) return encoded;
    queryEmbedding = encoded.value;
  }
  const base = {
    limit,
    classFilter: o.classFilter,
    minUtility: o.minUtility,
    exact,
    efSearch: ctx.settings.hnsw.ef,
    full: o.filter !== null,
    withEmbedding: o.mode !== "hard" && o.diversity !== false,
    // Hybrid ranks every candidate by its embedding similarity, whichever list it came from.
    embeddingQuery: o.mode === "hybrid" ? queryEmbedding : null,
  };
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
  if (o.mode !== "soft") {
    for (const row of await knnQuery(ctx.exec, ctx.names, { ...base, column: "chroma", query: sig.chroma })) {
      if (!rows.has(row.id)) rows.set(row.id, row);
    }
  }

  const candidates: ScoringCandidate[] = [];
  for (const row of rows.values()) {
    if (o.filter !== null) {
      const entry = entryFromRow(row as EntryRow);
      if (!entry.ok) return entry;
      let keep: boolean;
      try {
        keep = o.filter(entry.value) === true;
      } catch (thrown) {
        const message = thrown instanceof Error ? thrown.message : String(thrown);
        return err(invalidParameter("options.filter", "[function]", `must not throw (it threw: ${message})`));
      }
      if (!keep) continue;
    }
    const candidate = toCandidate(row, o);
    if (!candidate.ok) return candidate;
    candidates.push(candidate.value);
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
  if (ranked.value.length === 0) return ok([]);
  // One statement counts the use and reads the chosen entries back (LRU and recency read usage).
  const touched = await touchAndRead(
    ctx.exec,
    ctx.names,
    ranked.value.map((r) => r.id),
    Math.round(o.now),
  );
  const entries = new Map<string, DreamEntry>();
  for (const row of touched) {
    const entry = entryFromRow(row);
    if (!entry.ok) return entry;
    entries.set(entry.value.id, entry.value);
  }
  const out: ScoredDream[] = [];
  for (const r of ranked.value) {
    // An entry evicted by another process between ranking and reading is dropped, never resurrected.
    const entry = entries.get(r.id);
    if (entry !== undefined) out.push({ entry, score: r.score, components: r.components });
  }
  return ok(out);
}

/** Without MMR the candidates' vectors are never read. */
const NO_VECTOR = new Float32Array(0);

function toCandidate(row: KnnRow, o: ResolvedRetrieve): DreamResult<ScoringCandidate> {
  const classLabel = row.class_label !== null && isColorClass(row.class_label) ? row.class_label : null;
  let vector: Float32Array = NO_VECTOR;
  if (o.diversity !== false) {
    const parsed = vectorFromText(o.mode === "hard" ? row.chroma : row.embedding);
    if (parsed === null)
      return err(
        indexCorrupted(`entry ${row.id}: its ${o.mode === "hard" ? "chroma" : "embedding"} is not a vector`),
      );
    vector = parsed;
  }
  const distance = o.mode === "hybrid" ? (row.embedding_distance ?? Number.NaN) : row.distance;
  return ok({
    id: row.id,
    similarity: similarityOf(distance),
    utility: row.utility_mean,
    classLabel,
    lastUsedAt: row.last_used_at,
    vector,
  });
}
