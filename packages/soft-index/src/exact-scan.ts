import type { Hit, SearchOptions } from "./contract.js";
import { scoreDot, scoreDotPair, scoreNegativeL2, scoreNegativeL2Pair } from "./scan-kernels.js";
import { TopK } from "./top-k.js";

// Rows are scored in blocks so the score buffers stay in L1 whatever the index size; a multiple
// of the kernels' rows per step (6 and 3), so only the last block has a remainder.
export const BLOCK_ROWS = 1020;

/** What a scan reads: the first `count` rows of the slab and their ids. */
export interface ScanSource {
  readonly slab: Float32Array;
  readonly dim: number;
  readonly count: number;
  readonly ids: readonly string[];
  readonly euclidean: boolean;
}

/** Reusable working memory for one scan of up to two queries at a time. */
export class ScanBuffers {
  readonly scoresA = new Float64Array(BLOCK_ROWS);
  readonly scoresB = new Float64Array(BLOCK_ROWS);
  readonly topA = new TopK(16);
  readonly topB = new TopK(16);
}

/** Returns whether `id` passes; a throwing filter counts as "reject" (and is reported). */
export type FilterGuard = (filter: (id: string) => boolean, id: string) => boolean;

/**
 * Exact top-k of one or two prepared queries (cosine: normalised) over every row. With two,
 * each row is loaded once for both. Filters and minScore are applied as rows are scored.
 */
export function scanTopK(
  source: ScanSource,
  queries: readonly [Float64Array] | readonly [Float64Array, Float64Array],
  k: number,
  options: SearchOptions | undefined,
  buffers: ScanBuffers,
  guard: FilterGuard,
): Hit[][] {
  const { slab, dim, count, euclidean } = source;
  const [queryA, queryB] = queries;
  const { scoresA, scoresB, topA, topB } = buffers;
  const limit = Math.min(k, count);
  topA.reset(limit);
  topB.reset(queryB ? limit : 0);
  for (let from = 0; from < count; from += BLOCK_ROWS) {
    const to = Math.min(count, from + BLOCK_ROWS);
    if (queryB === undefined) {
      (euclidean ? scoreNegativeL2 : scoreDot)(slab, dim, queryA, from, to, scoresA);
    } else {
      (euclidean ? scoreNegativeL2Pair : scoreDotPair)(slab, dim, queryA, queryB, from, to, scoresA, scoresB);
      select(source, scoresB, from, to, topB, options, guard);
    }
    select(source, scoresA, from, to, topA, options, guard);
  }
  const toHits = (top: TopK): Hit[] =>
    top.drain().map(({ id, score }) => ({ id, score, distance: euclidean ? -score : 1 - score }));
  return queryB === undefined ? [toHits(topA)] : [toHits(topA), toHits(topB)];
}

/** Offers rows [from, to) with their scores to `top`. */
function select(
  source: ScanSource,
  scores: Float64Array,
  from: number,
  to: number,
  top: TopK,
  options: SearchOptions | undefined,
  guard: FilterGuard,
): void {
  const ids = source.ids;
  const filter = options?.filter;
  const minScore = options?.minScore ?? Number.NEGATIVE_INFINITY;
  // Rows below the floor cannot enter: one comparison per row in the common case.
  let floor = Math.max(minScore, top.threshold);
  for (let i = 0, n = to - from; i < n; i++) {
    const score = scores[i] as number;
    if (score < floor) continue;
    const row = from + i;
    const id = ids[row] as string;
    if (!top.accepts(score, id)) continue;
    // The filter runs only for rows that would enter the top-k, at most once per row and query.
    if (filter !== undefined && !guard(filter, id)) continue;
    top.push(score, row, id);
    floor = Math.max(minScore, top.threshold);
  }
}
