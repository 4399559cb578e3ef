import { type DreamResult, err, requirePositiveInteger } from "@dreampool/errors";
import { type MmrInput, type MmrSelection, type PreparedMmr, prepareMmr } from "./input.js";
import { argmaxRelevance, runGuarded, SelectionBuilder } from "./selection.js";
import { dotRows, SimilarityKernel } from "./similarity.js";

/** Options of `mmrFast` beyond those of `mmr`. */
export interface FastMmrOptions {
  /**
   * Approximate: consider only the `candidateLimit` most relevant candidates (ties to the lower index).
   * Omit it (the default) and `mmrFast` returns exactly what `mmr` returns.
   */
  candidateLimit?: number;
}

/**
 * MMR by lazy evaluation: the same picks, scores, redundancies and tie rule as `mmr`, with far fewer
 * similarity evaluations. A candidate's score can only fall as picks accumulate (its max similarity to
 * the picked only grows), so a score computed against the first few picks is an upper bound on the
 * current one. Each round settles the candidate with the highest bound, then compares a candidate with
 * the picks it has not seen only while its bound could still beat the best exact score found so far.
 * The first pick is compared with everyone in one streaming pass (no bound is tight yet); after that,
 * on clustered data, most candidates meet only a handful of the k picks. Worst case O(n·k) evaluations
 * like `mmr`, plus an O(n) pass over bounds per round.
 * With `candidateLimit` it first keeps the top-m candidates by relevance: approximate, and on diverse
 * selections (low lambda) it can miss most of the exact picks; measure before using it.
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
  if (k === 1) return selection.finish(selection.size < requestedK ? "candidates" : "k", 0);
  const picks = selection.indices;

  // seen[i]: how many picks (a prefix of the pick order) candidate i has been compared with;
  // partialMax[i]: its max similarity to those, a lower bound on the true max, so
  // bound[i] = lambda·relevance − (1 − lambda)·partialMax is an upper bound on its score, exact once
  // seen[i] equals the number of picks. Picked candidates get bound −∞.
  // Nearly every candidate must meet the first pick anyway (no bound is tight yet), so that round
  // runs as one streaming pass like the exact scan; the lazy rounds follow.
  const seen = new Int32Array(n).fill(1);
  const partialMax = new Float64Array(n);
  const bound = new Float64Array(n);
  kernel.similaritiesTo(first, partialMax);
  let lead = -1;
  for (let i = 0; i < n; i++) {
    bound[i] = i === first ? Number.NEGATIVE_INFINITY : lambda * relevance[i]! - complement * partialMax[i]!;
    if (lead < 0 || bound[i]! > bound[lead]!) lead = i;
  }
  let evaluations = n - 1;

  const { data, dim, inverseNorms } = kernel;
  const custom = typeof kernel.similarity === "function";
  const cosine = kernel.similarity === "cosine";
  /**
   * Compares candidate i with the picks it has not seen, stopping as soon as its bound falls behind
   * (bestScore, best) in MMR order; returns its new bound.
   */
  const refresh = (i: number, bestScore: number, best: number): number => {
    const total = picks.length;
    const weight = lambda * relevance[i]!;
    let max = partialMax[i]!;
    let at = seen[i]!;
    let current = bound[i]!;
    while (at < total) {
      const j = picks[at]!;
      // The kernel's own arithmetic, spelled out so that this hot loop has no call or dispatch.
      const similarity = custom
        ? kernel.between(i, j)
        : cosine
          ? dotRows(data, i * dim, data, j * dim, dim) * (inverseNorms[i]! * inverseNorms[j]!)
          : dotRows(data, i * dim, data, j * dim, dim);
      at++;
      if (similarity > max) max = similarity;
      current = weight - complement * max;
      if (current < bestScore || (current === bestScore && i > best)) break;
    }
    evaluations += at - seen[i]!;
    seen[i] = at;
    partialMax[i] = max;
    bound[i] = current;
    return current;
  };

  // Only candidates whose bound is at least `floor` can win while the best stays at or above it (bounds
  // only fall), so a round scans the `active` list alone. When a round's best drops below the floor, the
  // floor moves a few rounds' worth of decline below it and the list is rebuilt from every candidate.
  const active = new Int32Array(n);
  let activeCount = 0;
  let floor = Number.POSITIVE_INFINITY;
  let firstBest = Number.NaN;
  let rounds = 0;

  while (selection.size < k) {
    // The lead (highest bound, usually the winner) is settled first, so that its exact score prunes
    // everyone whose bound is already lower. The same pass finds the next round's lead.
    let best = lead;
    let bestScore = refresh(lead, Number.NEGATIVE_INFINITY, n);
    if (bestScore < floor) {
      const meanDecline = rounds > 0 ? (firstBest - bestScore) / rounds : 0;
      floor = bestScore - (meanDecline > 0 ? 3 * meanDecline : 1e-9 * (1 + Math.abs(bestScore)));
      activeCount = 0;
      for (let i = 0; i < n; i++) if (bound[i]! >= floor) active[activeCount++] = i;
    }
    let runnerUp = -1;
    let runnerUpBound = Number.NEGATIVE_INFINITY;
    let kept = 0;
    for (let at = 0; at < activeCount; at++) {
      const i = active[at]!;
      let b = bound[i]!;
      if (b < floor) continue; // below the floor for good (until the floor moves)
      active[kept++] = i;
      if (i === lead) continue;
      if (b > bestScore || (b === bestScore && i < best)) {
        b = refresh(i, bestScore, best);
        if (seen[i] === picks.length && (b > bestScore || (b === bestScore && i < best))) {
          // i is up to date and ahead: the new best; the old one competes for next round's lead.
          if (bestScore > runnerUpBound || (bestScore === runnerUpBound && best < runnerUp)) {
            runnerUp = best;
            runnerUpBound = bestScore;
          }
          best = i;
          bestScore = b;
          continue;
        }
      }
      if (b > runnerUpBound || (b === runnerUpBound && i < runnerUp)) {
        runnerUp = i;
        runnerUpBound = b;
      }
    }
    activeCount = kept;
    if (!selection.tryAdd(best, bestScore, partialMax[best]!)) {
      return selection.finish("minDispersion", evaluations);
    }
    bound[best] = Number.NEGATIVE_INFINITY;
    if (rounds === 0) firstBest = bestScore;
    rounds++;
    if (runnerUp < 0 || runnerUpBound === Number.NEGATIVE_INFINITY) {
      // Nobody left above the floor: take the highest bound overall (none left at all ends the loop).
      runnerUp = -1;
      for (let i = 0; i < n; i++) {
        if (bound[i]! > Number.NEGATIVE_INFINITY && (runnerUp < 0 || bound[i]! > bound[runnerUp]!))
          runnerUp = i;
      }
      if (runnerUp < 0) break;
    }
    lead = runnerUp;
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
