import { ENTRY_COLUMNS, type EntryRow } from "./entry-row.js";
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
}

export interface KnnRow extends EntryRow {
  /** pgvector's cosine distance, 1 - cosine similarity (NaN when either vector has zero norm). */
  distance: number;
}

/**
 * Runs one k-NN query in its own transaction so that SET LOCAL settings (ef_search, iterative
 * scans, index bypass) apply to it alone and reset on COMMIT, whichever pooled connection runs it.
 */
export async function knnQuery(
  exec: SqlExecutor,
  names: PoolObjectNames,
  request: KnnRequest,
): Promise<KnnRow[]> {
  const params: unknown[] = [vectorToText(request.query), request.limit];
  const where: string[] = [];
  if (request.classFilter !== null) {
    params.push(request.classFilter);
    where.push(`class_label = $${params.length}`);
  }
  if (request.minUtility !== null) {
    params.push(request.minUtility);
    where.push(`utility_mean >= $${params.length}`);
  }
  const column = request.column === "embedding" ? "embedding" : "chroma";
  // A zero vector has no direction: every cosine with it is 0 (pgvector says NaN), so the
  // order falls back to age, oldest first, as in the in-memory pool.
  const zeroQuery = Array.from(request.query).every((x) => Math.fround(x) === 0);
  // An HNSW scan can only order by the distance itself; scans break ties by age.
  const usesIndex = column === "embedding" && !request.exact;
  const order = zeroQuery ? "seq" : usesIndex ? `${column} <=> $1::vector` : `${column} <=> $1::vector, seq`;
  const text = `SELECT ${ENTRY_COLUMNS}, ${column} <=> $1::vector AS distance
    FROM ${names.dreams} ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY ${order} LIMIT $2`;
  return exec.transaction(async (tx) => {
    if (request.exact) {
      await tx.query("SELECT set_config('enable_indexscan', 'off', true)");
    } else {
      const ef = Math.min(HNSW_LIMITS.efSearch[1], Math.max(request.efSearch, request.limit));
      await tx.query("SELECT set_config('hnsw.ef_search', $1, true)", [String(ef)]);
      // With filters, an HNSW scan alone can run out of matches before `limit`; pgvector 0.8's
      // iterative scan keeps walking the graph (in distance order) until enough rows pass.
      if (where.length > 0) await tx.query("SELECT set_config('hnsw.iterative_scan', 'strict_order', true)");
    }
    const { rows } = await tx.query<KnnRow>(text, params);
    return rows;
  });
}
