import type { DreamResult } from "@dreampool/errors";
import { type MmrInput, type MmrSelection, type PreparedMmr, prepareMmr } from "./input.js";
import { argmaxRelevance, runGuarded, SelectionBuilder } from "./selection.js";

/**
 * MMR the textbook way: every round recomputes each candidate's max similarity to everything picked
 * so far, O(n·k²) evaluations. Same formula, first pick and tie rule as `mmr`. It exists as the
 * reference the exact and fast variants are tested and benchmarked against; use `mmr` in real code.
 */
export function mmrNaive(input: MmrInput): DreamResult<MmrSelection> {
  return runGuarded(() => prepareMmr(input, "mmrNaive"), selectNaive);
}

function selectNaive(prepared: PreparedMmr): MmrSelection {
  const { kernel, relevance, k, requestedK, lambda, minDispersion } = prepared;
  const n = kernel.count;
  const selection = new SelectionBuilder(kernel, minDispersion);
  if (n === 0) return selection.finish("candidates", 0);
  const picked = new Uint8Array(n);
  let evaluations = 0;
  const first = argmaxRelevance(relevance);
  selection.tryAdd(first, lambda * relevance[first]!, 0);
  picked[first] = 1;
  while (selection.size < k) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    let bestRedundancy = 0;
    for (let i = 0; i < n; i++) {
      if (picked[i] === 1) continue;
      let redundancy = Number.NEGATIVE_INFINITY;
      for (const j of selection.indices) redundancy = Math.max(redundancy, kernel.between(i, j));
      evaluations += selection.size;
      const score = lambda * relevance[i]! - (1 - lambda) * redundancy;
      if (best < 0 || score > bestScore) {
        best = i;
        bestScore = score;
        bestRedundancy = redundancy;
      }
    }
    if (!selection.tryAdd(best, bestScore, bestRedundancy))
      return selection.finish("minDispersion", evaluations);
    picked[best] = 1;
  }
  return selection.finish(selection.size < requestedK ? "candidates" : "k", evaluations);
}
