import { type DreamResult, err, requirePositiveInteger } from "@dreampool/errors";
import { BoundQueue } from "./bound-queue.js";
import { type MmrInput, type MmrSelection, type PreparedMmr, prepareMmr } from "./input.js";
import { argmaxRelevance, runGuarded, SelectionBuilder } from "./selection.js";
import { dotRows, dotRowsPair, SimilarityKernel } from "./similarity.js";

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
 * current one. The first pick is compared with everyone in one streaming pass (no bound is tight yet);
 * after that, candidates wait in a max-queue keyed by their bounds (`BoundQueue`: value buckets, a
 * small heap over the top ones), and only the first is compared with the picks it has not seen, just
 * until its bound falls behind the runner-up's. A first that is up to date is the winner. So a
 * candidate meets a later pick only while its bound could still beat the round's winner; on clustered
 * data most meet a handful of the k picks. Worst case O(n·k) evaluations like `mmr`; queue work is
 * O(1) per comparison round of a candidate when its bound falls into a bucket the top has not reached,
 * O(log n) at worst; nothing is allocated per round.
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
  // lambda·relevance − (1 − lambda)·partialMax is an upper bound on its score, exact once seen[i]
  // equals the number of picks. Nearly every candidate must meet the first pick anyway (no bound is
  // tight yet), so that round runs as one streaming pass like the exact scan; the lazy rounds follow.
  const seen = new Int32Array(n).fill(1);
  const partialMax = new Float64Array(n);
  kernel.similaritiesTo(first, partialMax);
  const queue = new BoundQueue(n - 1, n);
  for (let i = 0; i < n; i++) {
    if (i !== first) queue.append(i, lambda * relevance[i]! - complement * partialMax[i]!);
  }
  queue.build();
  let evaluations = n - 1;

  const { data, dim, inverseNorms } = kernel;
  const custom = typeof kernel.similarity === "function";
  const pair = new Float64Array(2);
  const cosine = kernel.similarity === "cosine";

  while (selection.size < k && queue.size > 0) {
    // Classic lazy greedy: the queue's first is brought up to date against the picks it has not
    // seen, but only until its bound falls behind the runner-up's; then it sinks and the next first
    // is tried. A first that is up to date is ahead of every other bound, so it is the exact winner.
    let top = queue.topId();
    while (seen[top] !== picks.length) {
      const total = picks.length;
      // The runner-up decides when to stop early; with at most two picks unseen (one pass) it can't.
      const rival = total - seen[top]! > 2 ? queue.rivalSlot() : -1;
      const rivalKey = rival < 0 ? Number.NEGATIVE_INFINITY : queue.keyAt(rival);
      const rivalId = rival < 0 ? n : queue.idAt(rival);
      const weight = lambda * relevance[top]!;
      let max = partialMax[top]!;
      let at = seen[top]!;
      let current = queue.topKey();
      // Two picks per pass over the candidate's row while at least two are unseen (cheaper than two
      // passes; the second similarity is exact too, so it only tightens the bound).
      let behind = false;
      if (!custom) {
        while (at + 1 < total) {
          const j1 = picks[at]!;
          const j2 = picks[at + 1]!;
          dotRowsPair(data, top * dim, data, j1 * dim, j2 * dim, dim, pair);
          let s1 = pair[0]!;
          let s2 = pair[1]!;
          if (cosine) {
            s1 *= inverseNorms[top]! * inverseNorms[j1]!;
            s2 *= inverseNorms[top]! * inverseNorms[j2]!;
          }
          at += 2;
          if (s1 > max) max = s1;
          if (s2 > max) max = s2;
          current = weight - complement * max;
          behind = current < rivalKey || (current === rivalKey && top > rivalId);
          if (behind) break;
        }
      }
      while (!behind && at < total) {
        const j = picks[at]!;
        // The kernel's own arithmetic, spelled out so that this hot loop has no call or dispatch.
        const similarity = custom
          ? kernel.between(top, j)
          : cosine
            ? dotRows(data, top * dim, data, j * dim, dim) * (inverseNorms[top]! * inverseNorms[j]!)
            : dotRows(data, top * dim, data, j * dim, dim);
        at++;
        if (similarity > max) max = similarity;
        current = weight - complement * max;
        if (current < rivalKey || (current === rivalKey && top > rivalId)) break;
      }
      evaluations += at - seen[top]!;
      seen[top] = at;
      partialMax[top] = max;
      queue.updateTop(current);
      top = queue.topId();
    }
    const score = queue.topKey();
    if (!selection.tryAdd(top, score, partialMax[top]!)) {
      return selection.finish("minDispersion", evaluations);
    }
    queue.pop();
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
