import type { Metric } from "@dreampool/soft-index";
import { type Candidate, compareCandidates, exactTopK } from "./exact-scan.js";
import type { LabelTable } from "./label-table.js";
import type { NativeIndex } from "./native.js";

/**
 * A live entry. `position` is its index in the dense entry array and its row in the slab
 * (O(1) swap-removal, even sampling, contiguous exact scans).
 */
export interface LiveEntry {
  readonly id: string;
  readonly label: number;
  position: number;
}

/** What a search reads from the index. */
export interface SearchTarget {
  readonly metric: Metric;
  readonly native: NativeIndex;
  readonly entries: readonly LiveEntry[];
  /** Live labels -> ids (dead labels map to undefined). */
  readonly idByLabel: Pick<LabelTable, "get">;
  /** Stored rows, row i = entries[i] (normalised for cosine), dim floats each. */
  readonly rows: Float32Array;
}

/** Ids sampled (evenly spread over the live entries) to estimate how much of the index a filter allows. */
export const FILTER_SAMPLE = 256;

/**
 * Up to this many live entries every search is an exact scan: with ef >= 64 the graph would visit
 * most of such an index anyway, and the scan is cheaper and exact (see the crossover benchmark).
 */
export const EXACT_SCAN_MAX_SIZE = 256;

/**
 * Top-k candidates for a prepared query (`query` already normalised for cosine), best first.
 * `allow` must not throw (the index wraps user filters). The rule for leaving the graph:
 * 1. size <= EXACT_SCAN_MAX_SIZE, or k >= size (every live entry is asked for): scan exactly;
 * 2. with a filter, sample FILTER_SAMPLE live ids (all of them when there are fewer); if the allowed
 *    fraction is below `exactFallbackRatio`, scan the allowed set exactly — hnswlib would otherwise
 *    walk most of the graph calling the filter through N-API for every node, and lose recall;
 * 3. if the graph returns fewer than min(k, size) hits (filter, or a graph cut off by tombstones),
 *    answer with the exact scan instead, so "k > allowed" always yields every allowed entry.
 */
export function searchCandidates(
  target: SearchTarget,
  query: number[],
  k: number,
  allow: ((id: string) => boolean) | undefined,
  exactFallbackRatio: number,
): { candidates: Candidate[]; exact: boolean } {
  const live = target.entries.length;
  const useGraph =
    live > EXACT_SCAN_MAX_SIZE &&
    k < live &&
    (allow === undefined || allowedFraction(target.entries, allow) >= exactFallbackRatio);
  if (useGraph) {
    const fromGraph = graphTopK(target, query, k, allow);
    if (fromGraph.length >= k) return { candidates: fromGraph, exact: false };
  }
  return { candidates: exactScan(target, query, k, allow), exact: true };
}

function exactScan(
  target: SearchTarget,
  query: number[],
  k: number,
  allow: ((id: string) => boolean) | undefined,
): Candidate[] {
  const { entries } = target;
  const idAt = (position: number) => (entries[position] as LiveEntry).id;
  return exactTopK(target.metric, query, target.rows, entries.length, idAt, k, allow);
}

function allowedFraction(entries: readonly LiveEntry[], allow: (id: string) => boolean): number {
  const sample = Math.min(FILTER_SAMPLE, entries.length);
  const stride = entries.length / sample;
  let allowed = 0;
  for (let i = 0; i < sample; i++) {
    const entry = entries[Math.floor(i * stride)] as LiveEntry;
    if (allow(entry.id)) allowed++;
  }
  return allowed / sample;
}

/**
 * The graph's top-k, with hnswlib's own (float32) distances. We ask for k + 1 so we can see whether
 * the k-th distance ties with the next one; while it does, we ask for more, then order by
 * (distance, id) — ties come out by id. (Rescoring the hits in JS from our copy of the rows would
 * cost k cold rows per query, ~10% of a search; see the README.) This runs once per search right
 * after the native walk, so it touches as little memory as it can: one label-table slot per hit.
 */
function graphTopK(
  target: SearchTarget,
  query: number[],
  k: number,
  allow: ((id: string) => boolean) | undefined,
): Candidate[] {
  const live = target.entries.length;
  const { idByLabel } = target;
  const labelFilter =
    allow === undefined
      ? undefined
      : (label: number) => {
          const id = idByLabel.get(label);
          return id !== undefined && allow(id);
        };
  let asked = Math.min(live, k + 1);
  for (;;) {
    const { neighbors, distances } = target.native.searchKnn(query, asked, labelFilter);
    const tiedPastK = neighbors.length === asked && asked < live && distances[asked - 1] === distances[k - 1];
    if (tiedPastK) {
      asked = Math.min(live, asked * 2);
      continue;
    }
    // Past the k-th hit only its ties matter: they compete with it by id.
    const out: Candidate[] = [];
    for (let i = 0; i < neighbors.length; i++) {
      const nativeDistance = distances[i] as number;
      if (out.length >= k && nativeDistance !== (out[k - 1] as Candidate).nativeDistance) break;
      const id = idByLabel.get(neighbors[i] as number);
      if (id !== undefined) out.push({ id, nativeDistance });
    }
    orderTies(out);
    if (out.length > k) out.length = k;
    return out;
  }
}

/**
 * hnswlib returns ascending distances, so only runs of equal distances need reordering (by id);
 * an insertion sort is one comparison per candidate when there are none.
 */
function orderTies(candidates: Candidate[]): void {
  for (let i = 1; i < candidates.length; i++) {
    const candidate = candidates[i] as Candidate;
    let at = i;
    while (at > 0 && compareCandidates(candidate, candidates[at - 1] as Candidate) < 0) {
      candidates[at] = candidates[at - 1] as Candidate;
      at--;
    }
    candidates[at] = candidate;
  }
}
