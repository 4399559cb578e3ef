import type { Metric } from "@dreampool/soft-index";

/** A candidate of a search: hnswlib's distance convention (ip: 1 - dot, l2: squared). */
export interface Candidate {
  readonly id: string;
  readonly nativeDistance: number;
}

/** Best first: smaller distance, then smaller id, so equal scores come out in a fixed order. */
export const compareCandidates = (a: Candidate, b: Candidate): number =>
  a.nativeDistance - b.nativeDistance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * hnswlib's distance between a query and the row at `offset` of a slab, computed in JS (float64
 * accumulation over the stored float32 rows; hnswlib's float32 kernels agree to about 1e-7).
 */
export function nativeDistance(
  metric: Metric,
  query: readonly number[],
  rows: Float32Array,
  offset: number,
): number {
  const n = query.length;
  let acc = 0;
  if (metric === "euclidean") {
    for (let i = 0; i < n; i++) {
      const diff = (query[i] as number) - (rows[offset + i] as number);
      acc += diff * diff;
    }
    return acc;
  }
  for (let i = 0; i < n; i++) acc += (query[i] as number) * (rows[offset + i] as number);
  return 1 - acc;
}

/**
 * Exact top-k over the first `count` rows of a slab (row i belongs to `idAt(i)`), keeping a sorted
 * window of at most k candidates (no full sort): the fallback for selective filters and k >= size.
 */
export function exactTopK(
  metric: Metric,
  query: readonly number[],
  rows: Float32Array,
  count: number,
  idAt: (position: number) => string,
  k: number,
  allow: ((id: string) => boolean) | undefined,
): Candidate[] {
  const dim = query.length;
  const best: Candidate[] = [];
  for (let position = 0; position < count; position++) {
    const id = idAt(position);
    if (allow !== undefined && !allow(id)) continue;
    const candidate = { id, nativeDistance: nativeDistance(metric, query, rows, position * dim) };
    if (best.length === k) {
      if (compareCandidates(candidate, best[k - 1] as Candidate) >= 0) continue;
      best.pop();
    }
    let at = best.length;
    while (at > 0 && compareCandidates(candidate, best[at - 1] as Candidate) < 0) at--;
    best.splice(at, 0, candidate);
  }
  return best;
}
