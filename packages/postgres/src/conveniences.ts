import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import type { PoolQuery, ScoredDream } from "@dreampool/pool";
import type { RetrievalWeights } from "@dreampool/scoring";
import type { ColorClass, Rgb } from "@dreampool/tensor";
import type { PgRetrieveOptions } from "./retrieve-options.js";

// The seed's convenience retrievals, on top of the pool's retrieve, with the in-memory pool's rules.

/** Runs one retrieval; `useRecency` false ranks without the recency term (seed-style). */
export type Retriever = (
  query: PoolQuery,
  options: PgRetrieveOptions,
  useRecency: boolean,
) => Promise<DreamResult<ScoredDream[]>>;

/** Seed-style ranking: similarity alone. */
export const SIMILARITY_ONLY: RetrievalWeights = { alpha: 1, beta: 0, gamma: 0, delta: 0, lambda: 1 };

/** Hard mode ranked by chroma cosine alone, with optional class and utility filters. */
export function similarityOnly(
  run: Retriever,
  rgb: Rgb,
  o: { k: number | undefined; classFilter?: ColorClass; minUtility?: number },
): Promise<DreamResult<ScoredDream[]>> {
  const options: PgRetrieveOptions = {
    mode: "hard",
    weights: SIMILARITY_ONLY,
    overFetch: 1,
    ...(o.k === undefined ? {} : { k: o.k }),
    ...(o.classFilter === undefined ? {} : { classFilter: o.classFilter }),
    ...(o.minUtility === undefined ? {} : { minUtility: o.minUtility }),
  };
  return run(rgb, options, false);
}

/** kPerClass per class, classes in the order given (a class listed twice counts once). */
export async function balanced(
  run: Retriever,
  rgb: Rgb,
  classes: readonly ColorClass[],
  kPerClass: number,
): Promise<DreamResult<ScoredDream[]>> {
  if (!Array.isArray(classes))
    return err(invalidParameter("classes", classes, "must be an array of ColorClass"));
  const out: ScoredDream[] = [];
  for (const cls of new Set(classes)) {
    const part = await similarityOnly(run, rgb, { k: kPerClass, classFilter: cls });
    if (!part.ok) return part;
    out.push(...part.value);
  }
  return ok(out);
}

/** Chroma candidates re-ranked by exact MMR with `lambda`, cut at `minDispersion`. */
export async function diverse(
  run: Retriever,
  rgb: Rgb,
  k: number,
  lambda: number,
  minDispersion: number,
): Promise<DreamResult<ScoredDream[]>> {
  if (typeof minDispersion !== "number" || !(minDispersion >= 0) || !Number.isFinite(minDispersion)) {
    return err(invalidParameter("minDispersion", minDispersion, "must be a finite number >= 0"));
  }
  if (typeof lambda !== "number" || !(lambda >= 0 && lambda <= 1)) {
    return err(invalidParameter("lambda", lambda, "must be a number in [0, 1]"));
  }
  // score = lambda·similarity − (1 − lambda)·max similarity to the picks above: the seed's MMR.
  const weights = { ...SIMILARITY_ONLY, delta: 1 - lambda, lambda };
  const ranked = await run(rgb, { mode: "hard", k, weights, diversity: { method: "exact", lambda } }, false);
  if (!ranked.ok || minDispersion === 0) return ranked;
  return ok(truncateByDispersion(ranked.value, minDispersion));
}

/**
 * Stops the list before the pick that would bring the mean pairwise colour distance of the
 * selection below `minDispersion` (the in-memory pool's retrieveDiverse rule).
 */
export function truncateByDispersion(results: ScoredDream[], minDispersion: number): ScoredDream[] {
  const kept: ScoredDream[] = [];
  let distanceSum = 0;
  for (const candidate of results) {
    let added = 0;
    for (const k of kept)
      added += Math.hypot(...k.entry.chroma.map((c, i) => c - (candidate.entry.chroma[i] ?? 0)));
    const n = kept.length + 1;
    if (n >= 2 && (distanceSum + added) / ((n * (n - 1)) / 2) < minDispersion) break;
    distanceSum += added;
    kept.push(candidate);
  }
  return kept;
}
