import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import type { RetrievalWeights } from "@dreampool/scoring";
import { type ColorClass, isColorClass, type Rgb } from "@dreampool/tensor";
import type { PoolState } from "./pool-state.js";
import { retrieveFrom } from "./retrieval.js";
import type { RetrieveOptions, ScoredDream } from "./types.js";

// The seed's retrieval methods, on the same machinery as retrieve(): hard-mode candidates ranked
// by rerankHybrid with weights that keep only similarity (and, for retrieveDiverse, MMR).

/** Retrieval weights that rank by similarity alone (the seed's retrieve_similar semantics). */
const SIMILARITY_ONLY: RetrievalWeights = { alpha: 1, beta: 0, gamma: 0, delta: 0, lambda: 1 };

/** Colour-cosine ranking, optionally filtered; recency off, no over-fetch (the order is the similarity order). */
export function retrieveSimilar(
  state: PoolState,
  rgb: Rgb,
  k: number,
  filters: Pick<RetrieveOptions, "classFilter" | "minUtility"> | null,
): DreamResult<ScoredDream[]> {
  return retrieveFrom(
    state,
    rgb,
    { mode: "hard", k, weights: SIMILARITY_ONLY, overFetch: 1, ...filters },
    false,
  );
}

export function retrieveBalanced(
  state: PoolState,
  rgb: Rgb,
  classes: readonly ColorClass[],
  kPerClass: number,
): DreamResult<ScoredDream[]> {
  if (!Array.isArray(classes))
    return err(invalidParameter("classes", classes, "must be an array of ColorClass"));
  // Every class is checked before the first retrieval, so a bad one leaves usage untouched.
  for (let i = 0; i < classes.length; i++) {
    if (!isColorClass(classes[i])) {
      return err(invalidParameter(`classes[${i}]`, classes[i], "must be a ColorClass"));
    }
  }
  const out: ScoredDream[] = [];
  for (const cls of new Set(classes)) {
    const part = retrieveSimilar(state, rgb, kPerClass, { classFilter: cls });
    if (!part.ok) return part;
    out.push(...part.value);
  }
  return ok(out);
}

export function retrieveDiverse(
  state: PoolState,
  rgb: Rgb,
  k: number,
  lambda: number,
  minDispersion: number,
): DreamResult<ScoredDream[]> {
  if (typeof minDispersion !== "number" || !(minDispersion >= 0) || !Number.isFinite(minDispersion)) {
    return err(invalidParameter("minDispersion", minDispersion, "must be a finite number >= 0"));
  }
  if (typeof lambda !== "number" || !(lambda >= 0 && lambda <= 1)) {
    return err(invalidParameter("lambda", lambda, "must be a number in [0, 1]"));
  }
  // score = lambda·similarity − (1 − lambda)·max similarity to the picks above: the seed's MMR.
  const weights = { ...SIMILARITY_ONLY, delta: 1 - lambda, lambda };
  const ranked = retrieveFrom(
    state,
    rgb,
    { mode: "hard", k, weights, diversity: { method: "exact", lambda } },
    false,
  );
  if (!ranked.ok || minDispersion === 0) return ranked;
  return ok(truncateByDispersion(ranked.value, minDispersion));
}

/** Keeps the longest prefix whose mean pairwise chroma distance stays at or above `minDispersion`. */
function truncateByDispersion(results: ScoredDream[], minDispersion: number): ScoredDream[] {
  const kept: ScoredDream[] = [];
  let distanceSum = 0;
  for (const candidate of results) {
    let added = 0;
    for (const k of kept)
      added += Math.hypot(...k.entry.chroma.map((c, i) => c - (candidate.entry.chroma[i] as number)));
    const n = kept.length + 1;
    if (n >= 2 && (distanceSum + added) / ((n * (n - 1)) / 2) < minDispersion) break;
    distanceSum += added;
    kept.push(candidate);
  }
  return kept;
}
