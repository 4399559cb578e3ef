import type { Metric } from "@dreampool/soft-index";

/** A candidate of a search: hnswlib's distance convention (ip: 1 - dot, l2: squared). */
export interface Candidate {
  readonly id: string;
  readonly nativeDistance: number;
}

/** Best first: smaller distance, then smaller id, so equal scores come out in a fixed order. */
export const compareCandidates = (a: Candidate, b: Candidate): number =>
  a.nativeDistance - b.nativeDistance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** hnswlib's distance between a query and a stored row, computed in JS (float64 accumulation). */
export function nativeDistance(metric: Metric, query: readonly number[], row: Float32Array): number {
  const n = row.length;
  let acc = 0;
  if (metric === "euclidean") {
    for (let i = 0; i < n; i++) {
      const diff = (query[i] as number) - (row[i] as number);
      acc += diff * diff;
    }
    return acc;
  }
  for (let i = 0; i < n; i++) acc += (query[i] as number) * (row[i] as number);
  return 1 - acc;
}

/**
 * Exact top-k over the given rows, keeping a sorted window of at most k candidates (no full sort):
 * the fallback for selective filters and for k >= size, and the ground truth of the tests.
 */
export function exactTopK(
  metric: Metric,
  query: readonly number[],
  rows: Iterable<{ readonly id: string; readonly vector: Float32Array }>,
  k: number,
  allow: ((id: string) => boolean) | undefined,
): Candidate[] {
  const best: Candidate[] = [];
  for (const row of rows) {
    if (allow !== undefined && !allow(row.id)) continue;
    const candidate = { id: row.id, nativeDistance: nativeDistance(metric, query, row.vector) };
    if (best.length === k) {
      const worst = best[k - 1] as Candidate;
      if (compareCandidates(candidate, worst) >= 0) continue;
      best.pop();
    }
    let at = best.length;
    while (at > 0 && compareCandidates(candidate, best[at - 1] as Candidate) < 0) at--;
    best.splice(at, 0, candidate);
  }
  return best;
}
