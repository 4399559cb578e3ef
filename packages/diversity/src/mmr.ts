import type { DreamResult } from "@dreampool/errors";
import { type MmrInput, type MmrSelection, type PreparedMmr, prepareMmr } from "./input.js";
import { argmaxRelevance, runGuarded, SelectionBuilder } from "./selection.js";

/**
 * Maximal marginal relevance, exact. Picks k candidates one at a time, each maximising
 *   lambda · relevance − (1 − lambda) · max similarity to the already picked,
 * so lambda = 1 is pure relevance and lambda = 0 pure diversity. The first pick is the most relevant.
 * Ties go to the lower index. Each candidate keeps a running max that is updated only against the newest
 * pick: O(n·k) similarity evaluations, the same picks as recomputing everything (LangChain's convention).
 */
export function mmr(input: MmrInput): DreamResult<MmrSelection> {
  return runGuarded(() => prepareMmr(input, "mmr"), selectExact);
}

/** The exact greedy loop over validated input. */
export function selectExact(prepared: PreparedMmr): MmrSelection {
  const { kernel, relevance, k, requestedK, lambda, minDispersion } = prepared;
  const n = kernel.count;
  const complement = 1 - lambda;
  const selection = new SelectionBuilder(kernel, minDispersion);
  if (n === 0) return selection.finish("candidates", 0);
  const runningMax = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const toNewest = new Float64Array(n);
  const picked = new Uint8Array(n);
  let evaluations = 0;
  const first = argmaxRelevance(relevance);
  selection.tryAdd(first, lambda * relevance[first]!, 0);
  picked[first] = 1;
  let newest = first;
  while (selection.size < k) {
    kernel.similaritiesTo(newest, toNewest);
    evaluations += n - selection.size;
    const best = foldNewest(toNewest, runningMax, picked, relevance, lambda);
    if (
      !selection.tryAdd(best, lambda * relevance[best]! - complement * runningMax[best]!, runningMax[best]!)
    ) {
      return selection.finish("minDispersion", evaluations);
    }
    picked[best] = 1;
    newest = best;
  }
  return selection.finish(selection.size < requestedK ? "candidates" : "k", evaluations);
}

/**
 * Folds the newest pick's similarities into every running max and returns the best-scoring unpicked
 * candidate (ties to the lower index). Its own function so that the n-long loop is optimised as a
 * whole, rather than by on-stack replacement inside a caller whose later code has no type feedback
 * yet (which made V8 deoptimise the exact scan on every call in the benchmark).
 */
function foldNewest(
  toNewest: Float64Array,
  runningMax: Float64Array,
  picked: Uint8Array,
  relevance: Float64Array,
  lambda: number,
): number {
  const complement = 1 - lambda;
  let best = -1;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < toNewest.length; i++) {
    if (picked[i] === 1) continue;
    const similarity = toNewest[i]!;
    if (similarity > runningMax[i]!) runningMax[i] = similarity;
    const score = lambda * relevance[i]! - complement * runningMax[i]!;
    if (best < 0 || score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}
