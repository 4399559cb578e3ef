import { ENTRY_COLUMNS, type EntryRow, entrySource } from "./entry-row.js";
import type { SqlExecutor } from "./executor.js";
import type { PoolObjectNames } from "./identifier.js";
import { HNSW_LIMITS } from "./options.js";
import { vectorToText } from "./vector-text.js";

/** One k-NN request: which column, the query vector, filters, and whether to bypass the index. */
export interface KnnRequest {
  /** "embedding" (soft, through the HNSW index) or "chroma" (hard, always an exact scan). */
  readonly column: "embedding" | "chroma";
  readonly query: ArrayLike<number>;
  readonly limit: number;
  readonly classFilter: string | null;
  readonly minUtility: number | null;
  /** Bypass every index scan, so the result is the exact k-NN (used for parity and small pools). */
  readonly exact: boolean;
  /** The HNSW candidate list (hnsw.ef_search) for this query. */
  readonly efSearch: number;
  /** Fetch whole entries (a caller's predicate needs them); otherwise only what ranking reads. */
  readonly full: boolean;
  /** Also fetch the embedding (MMR on embeddings reads it). */
  readonly withEmbedding: boolean;
  /** Also compute the cosine distance to this embedding (hybrid ranks both lists by it). */
  readonly embeddingQuery: ArrayLike<number> | null;
}

/** What ranking reads of a candidate; the other EntryRow fields are present when `full`. */
export interface KnnRow extends Partial<EntryRow> {
  id: string;
  /** pgvector's cosine distance, 1 - cosine similarity (NaN when either vector has zero norm). */
  distance: number;
  /** Cosine distance to `embeddingQuery`, when asked for. */
  embedding_distance?: number;
  utility_mean: number | null;
  class_label: string | null;
  last_used_at: number;
  chroma: string;
}

const RANKING_COLUMNS = `d.id, u.utility_mean, d.class_label, u.last_used_at::float8 AS last_used_at,
  d.chroma::text AS chroma`;

/** A k-NN statement and the transaction-local settings it must run under. */
export interface KnnStatement {
  readonly text: string;
  readonly params: unknown[];
  /** [name, value] pairs applied with set_config(name, value, is_local = true). */
  readonly settings: [string, string][];
}

export function knnStatement(names: PoolObjectNames, request: KnnRequest): KnnStatement {
  const params: unknown[] = [vectorToText(request.query), request.limit];
  const where: string[] = [];
  if (request.classFilter !== null) {
    params.push(request.classFilter);
    where.push(`d.class_label = $${params.length}`);
  }
  if (request.minUtility !== null) {
    params.push(request.minUtility);
    where.push(`u.utility_mean >= $${params.length}`);
  }
  const columns = [request.full ? ENTRY_COLUMNS : RANKING_COLUMNS];
  if (request.withEmbedding && !request.full) columns.push("d.embedding::text AS embedding");
  if (request.embeddingQuery !== null) {
    params.push(vectorToText(request.embeddingQuery));
    columns.push(`d.embedding <=> $${params.length}::vector AS embedding_distance`);
  }
  const column = request.column === "embedding" ? "d.embedding" : "d.chroma";
  // A zero vector has no direction: every cosine with it is 0 (pgvector says NaN), so the
  // order falls back to age, oldest first, as in the in-memory pool.
  const zeroQuery = Array.from(request.query).every((x) => Math.fround(x) === 0);
  // An HNSW scan can only order by the distance itself; scans break ties by age.
  const usesIndex = request.column === "embedding" && !request.exact;
  const order = zeroQuery
    ? "d.seq"
    : usesIndex
      ? `${column} <=> $1::vector`
      : `${column} <=> $1::vector, d.seq`;
  const text = `SELECT ${columns.join(", ")}, ${column} <=> $1::vector AS distance
    FROM ${entrySource(names)} ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY ${order} LIMIT $2`;
  const settings: [string, string][] = [];
  if (request.exact) {
    settings.push(["enable_indexscan", "off"]);
  } else if (usesIndex) {
    const ef = Math.min(HNSW_LIMITS.efSearch[1], Math.max(request.efSearch, request.limit));
    settings.push(["hnsw.ef_search", String(ef)]);
    // With filters, an HNSW scan alone can run out of matches before `limit`; pgvector 0.8's
    // iterative scan keeps walking the graph (in distance order) until enough rows pass.
    if (where.length > 0) settings.push(["hnsw.iterative_scan", "strict_order"]);
  }
  return { text, params, settings };
}

/**
 * Runs one k-NN query in its own transaction so that its settings (ef_search, iterative scan,
 * index bypass) are SET LOCAL: they apply to it alone and reset on COMMIT, whichever pooled
 * connection runs it (and behind a transaction-mode pooler).
 */
export async function knnQuery(
  exec: SqlExecutor,
  names: PoolObjectNames,
  request: KnnRequest,
): Promise<KnnRow[]> {
  const statement = knnStatement(names, request);
  return exec.transaction(async (tx) => {
    for (const [name, value] of statement.settings) {
      await tx.query("SELECT set_config($1, $2, true)", [name, value]);
    }
    const { rows } = await tx.query<KnnRow>(statement.text, statement.params);
    return rows;
  });
}

/**
 * Counts one use of each returned entry (usage_count, last_used_at) and reads the entries back
 * in the same statement: the rows ranking chose, as they are after this retrieval.
 */
export async function touchAndRead(
  exec: SqlExecutor,
  names: PoolObjectNames,
  ids: readonly string[],
  now: number,
): Promise<EntryRow[]> {
  const { rows } = await exec.query<EntryRow>(
    `UPDATE ${names.usage} u SET usage_count = u.usage_count + 1, last_used_at = $2::bigint
       FROM ${names.dreams} d
      WHERE u.id = ANY($1::text[]) AND d.id = u.id
      RETURNING ${ENTRY_COLUMNS}`,
    [ids, now],
  );
  return rows;
}
