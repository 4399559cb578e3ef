import { type DreamResult, err, requirePositiveInteger } from "@dreampool/errors";
import { type MmrInput, type MmrSelection, type PreparedMmr, prepareMmr } from "./input.js";
import { argmaxRelevance, runGuarded, SelectionBuilder } from "./selection.js";
import { SimilarityKernel } from "./similarity.js";

/** Options of `mmrFast` beyond those of `mmr`. */
export interface FastMmrOptions {
  /**
   * Approximate: consider only the `candidateLimit` most relevant candidates (ties to the lower index).
   * Omit it (the default) and `mmrFast` returns exactly what `mmr` returns.
   */
  candidateLimit?: number;
}

/**
 * MMR by lazy evaluation: the same picks, scores and tie rule as `mmr`, with far fewer similarity
 * evaluations. A candidate's score can only fall as picks accumulate (its max similarity to the picked
 * only grows), so a stale score is an upper bound. Candidates wait in a max-heap of such bounds; only the
 * top is brought up to date, and it is picked once it is up to date and still on top. Candidates whose
 * bound never reaches the top are never compared with later picks. Worst case O(n·k) evaluations like
 * `mmr`, plus O(log n) heap work per refresh.
 * With `candidateLimit` it first keeps the top-m by relevance, which is approximate.
 */
export function mmrFast(input: MmrInput & FastMmrOptions): DreamResult<MmrSelection> {
  const limit = input?.candidateLimit;
  if (limit !== undefined) {
    const problem = requirePositiveInteger("candidateLimit", limit);
    if (problem) return err(problem);
  }
  return runGuarded(
    () => prepareMmr(input, "mmrFast"),
    (prepared) =>
      limit !== undefined && limit < prepared.kernel.count
        ? selectFromMostRelevant(prepared, limit)
        : selectLazy(prepared),
  );
}

/** The lazy greedy loop over validated input; returns exactly what `selectExact` returns. */
export function selectLazy(prepared: PreparedMmr): MmrSelection {
  const { kernel, relevance, k, requestedK, lambda, minDispersion } = prepared;
  const n = kernel.count;
  const complement = 1 - lambda;
  const selection = new SelectionBuilder(kernel, minDispersion);
  if (n === 0) return selection.finish("candidates", 0);
  const first = argmaxRelevance(relevance);
  selection.tryAdd(first, lambda * relevance[first]!, 0);
  const picks = selection.indices;

  // seen[i]: how many picks (a prefix of the pick order) candidate i has been compared with;
  // partialMax[i]: its max similarity to those, a lower bound on the true max, so
  // bound[i] = lambda·relevance − (1 − lambda)·partialMax is an upper bound on its score, exact once
  // seen[i] equals the number of picks. Picked candidates get bound −∞.
  const seen = new Int32Array(n);
  const partialMax = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const bound = new Float64Array(n);
  // Before any comparison the bound rests on the kernel's floor (cosine >= −1), or is +∞.
  const initialBound =
    complement === 0
      ? 0
      : Number.isFinite(kernel.lowerBound)
        ? -complement * kernel.lowerBound
        : Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) bound[i] = lambda * relevance[i]! + initialBound;
  bound[first] = Number.NEGATIVE_INFINITY;
  let evaluations = 0;

  /** Compares candidate i with the picks it has not seen, until its bound falls behind (best, bestIndex). */
  const refresh = (i: number, best: number, bestIndex: number): void => {
    const total = picks.length;
    const weight = lambda * relevance[i]!;
    let max = partialMax[i]!;
    let at = seen[i]!;
    let current = bound[i]!;
    while (at < total) {
      const similarity = kernel.between(i, picks[at]!);
      at++;
      if (similarity > max) max = similarity;
      current = weight - complement * max;
      if (current < best || (current === best && i > bestIndex)) break;
    }
    evaluations += at - seen[i]!;
    seen[i] = at;
    partialMax[i] = max;
    bound[i] = current;
  };

  while (selection.size < k) {
    // The candidate with the highest bound is the likeliest winner: settle it first, so that its
    // exact score prunes everyone whose bound is already lower.
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (bound[i]! > bestScore) {
        best = i;
        bestScore = bound[i]!;
      }
    }
    refresh(best, Number.NEGATIVE_INFINITY, n);
    bestScore = bound[best]!;
    const total = picks.length;
    for (let i = 0; i < n; i++) {
      const b = bound[i]!;
      if (i === best || b < bestScore || (b === bestScore && i > best)) continue;
      refresh(i, bestScore, best);
      // Up to date and still not behind: the new leader (ties go to the lower index).
      if (seen[i] === total && (bound[i]! > bestScore || (bound[i] === bestScore && i < best))) {
        best = i;
        bestScore = bound[i]!;
      }
    }
    if (!selection.tryAdd(best, bestScore, partialMax[best]!)) {
      return selection.finish("minDispersion", evaluations);
    }
    bound[best] = Number.NEGATIVE_INFINITY;
  }
  return selection.finish(selection.size < requestedK ? "candidates" : "k", evaluations);
}

/** Candidate thinning: lazy MMR over the `limit` most relevant candidates, indices mapped back. */
function selectFromMostRelevant(prepared: PreparedMmr, limit: number): MmrSelection {
  const { kernel, relevance } = prepared;
  const order = Array.from({ length: kernel.count }, (_, i) => i);
  order.sort((a, b) => relevance[b]! - relevance[a]! || a - b);
  // Back to index order, so that ties still go to the lower original index.
  const kept = order.slice(0, limit).sort((a, b) => a - b);
  const dim = kernel.dim;
  const data = new Float32Array(limit * dim);
  for (let row = 0; row < limit; row++) {
    const original = kept[row]!;
    data.set(kernel.data.subarray(original * dim, (original + 1) * dim), row * dim);
  }
  const subset = selectLazy({
    ...prepared,
    kernel: new SimilarityKernel(data, limit, dim, kernel.similarity),
    relevance: Float64Array.from(kept, (i) => relevance[i]!),
    k: Math.min(prepared.k, limit),
  });
  return { ...subset, indices: subset.indices.map((row) => kept[row]!) };
}
