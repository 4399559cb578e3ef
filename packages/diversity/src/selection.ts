import { attempt, type DreamError, type DreamResult, invalidParameter, ok } from "@dreampool/errors";
import type { MmrSelection, PreparedMmr } from "./input.js";
import type { SimilarityKernel } from "./similarity.js";

/**
 * The picks so far, with the running sum of pairwise Euclidean distances so that the minDispersion
 * check costs O(picks·dim) per pick instead of recomputing every pair.
 */
export class SelectionBuilder {
  readonly indices: number[] = [];
  readonly scores: number[] = [];
  readonly redundancy: number[] = [];
  private distanceSum = 0;

  constructor(
    private readonly kernel: SimilarityKernel,
    private readonly minDispersion: number,
  ) {}

  get size(): number {
    return this.indices.length;
  }

  /**
   * Adds candidate `index` unless that would bring the mean pairwise distance below minDispersion;
   * returns whether it was added.
   */
  tryAdd(index: number, score: number, redundancy: number): boolean {
    if (this.minDispersion > 0 && this.indices.length > 0) {
      let added = 0;
      for (const other of this.indices) added += this.distance(index, other);
      const count = this.indices.length + 1;
      const mean = (this.distanceSum + added) / ((count * (count - 1)) / 2);
      if (mean < this.minDispersion) return false;
      this.distanceSum += added;
    }
    this.indices.push(index);
    this.scores.push(score);
    this.redundancy.push(redundancy);
    return true;
  }

  finish(stoppedBy: MmrSelection["stoppedBy"], similarityEvaluations: number): MmrSelection {
    return {
      indices: this.indices,
      scores: this.scores,
      redundancy: this.redundancy,
      stoppedBy,
      similarityEvaluations,
    };
  }

  private distance(i: number, j: number): number {
    const { data, dim } = this.kernel;
    let sum = 0;
    for (let c = 0; c < dim; c++) {
      const diff = data[i * dim + c]! - data[j * dim + c]!;
      sum += diff * diff;
    }
    return Math.sqrt(sum);
  }
}

/** Index of the largest relevance; ties go to the lower index. */
export function argmaxRelevance(relevance: Float64Array, allowed?: Uint8Array): number {
  let best = -1;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < relevance.length; i++) {
    if (allowed && allowed[i] === 0) continue;
    if (best < 0 || relevance[i]! > bestValue) {
      best = i;
      bestValue = relevance[i]!;
    }
  }
  return best;
}

/**
 * Prepares and runs a selection; a custom similarity that throws or returns a non-finite number
 * becomes an InvalidParameter error instead of an exception.
 */
export function runGuarded(
  prepare: () => DreamResult<PreparedMmr>,
  select: (p: PreparedMmr) => MmrSelection,
): DreamResult<MmrSelection> {
  const outcome = attempt(
    () => {
      const prepared = prepare();
      return prepared.ok ? ok(select(prepared.value)) : prepared;
    },
    (thrown): DreamError => invalidParameter("similarity", "[function]", `threw: ${String(thrown)}`),
  );
  return outcome.ok ? outcome.value : outcome;
}
