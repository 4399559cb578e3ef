import {
  type DreamError,
  type DreamResult,
  dimensionMismatch,
  err,
  invalidParameter,
  ok,
  requireInRange,
  requirePositiveInteger,
} from "@dreampool/errors";
import { type Similarity, SimilarityKernel } from "./similarity.js";

/** What MMR selects from. Give either `relevance` (one score per candidate) or `query`. */
export interface MmrInput {
  /** The n candidates: one flat row-major buffer of n·dim, or one Float32Array per candidate. */
  vectors: Float32Array | readonly Float32Array[];
  /** Row length of a flat `vectors` buffer; inferred from `query` or `relevance` when omitted. */
  dim?: number;
  /** Relevance of each candidate (length n), e.g. a re-ranker's score. */
  relevance?: ArrayLike<number>;
  /** The query; relevance is then similarity(query, candidate). */
  query?: Float32Array;
  /** How many to select (>= 1; more than n selects all n). */
  k: number;
  /** Relevance weight in [0, 1]: 1 is pure relevance, 0 pure diversity. */
  lambda: number;
  /** Default "cosine". "dot" is the same for unit vectors and cheaper. */
  similarity?: Similarity;
  /**
   * Stop before a pick that would bring the mean pairwise Euclidean distance of the selected vectors
   * below this value, so the result always satisfies it. 0 (the default) never stops.
   */
  minDispersion?: number;
}

/** The selection, in pick order. */
export interface MmrSelection {
  /** Candidate indices in the order they were picked. */
  indices: number[];
  /** MMR score of each pick when it was picked: lambda·relevance − (1 − lambda)·redundancy. */
  scores: number[];
  /** Max similarity of each pick to those picked before it (0 for the first pick: nothing to repeat). */
  redundancy: number[];
  /** Why the selection ended: k reached, candidates exhausted, or the minDispersion floor. */
  stoppedBy: "k" | "candidates" | "minDispersion";
  /** Similarity evaluations spent on redundancy (the cost the fast variant saves). */
  similarityEvaluations: number;
}

/** Validated input: a kernel over the flat candidates, relevance per candidate and the knobs. */
export interface PreparedMmr {
  kernel: SimilarityKernel;
  relevance: Float64Array;
  /** min(k, n). */
  k: number;
  /** k as asked for (may exceed n). */
  requestedK: number;
  lambda: number;
  minDispersion: number;
}

function isVectorList(vectors: unknown): vectors is readonly Float32Array[] {
  return Array.isArray(vectors);
}

function flatten(
  vectors: unknown,
  dimHint: number | undefined,
  context: string,
): DreamResult<{ data: Float32Array; count: number; dim: number }> {
  if (isVectorList(vectors)) {
    const dim = vectors[0]?.length ?? dimHint ?? 0;
    const data = new Float32Array(vectors.length * dim);
    for (let i = 0; i < vectors.length; i++) {
      const v: unknown = vectors[i];
      if (!(v instanceof Float32Array))
        return err(invalidParameter(`vectors[${i}]`, v, "must be a Float32Array"));
      if (v.length !== dim) return err(dimensionMismatch(dim, v.length, `${context}: vectors[${i}]`));
      data.set(v, i * dim);
    }
    if (dim < 1 && vectors.length > 0) {
      return err(invalidParameter("vectors[0]", vectors[0], "rows must have at least one component"));
    }
    return ok({ data, count: vectors.length, dim });
  }
  if (!(vectors instanceof Float32Array)) {
    return err(
      invalidParameter("vectors", vectors, "must be a flat Float32Array or an array of Float32Array"),
    );
  }
  if (vectors.length === 0 && dimHint === undefined) return ok({ data: vectors, count: 0, dim: 0 });
  const dim = dimHint ?? 0;
  if (!Number.isInteger(dim) || dim < 1) {
    return err(
      invalidParameter("dim", dimHint, "must be given (or implied by query or relevance) for flat vectors"),
    );
  }
  if (vectors.length % dim !== 0) {
    return err(invalidParameter("vectors", vectors, `length must be a multiple of dim = ${dim}`));
  }
  return ok({ data: vectors, count: vectors.length / dim, dim });
}

function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

function impliedDim(input: MmrInput): number | undefined {
  if (input.dim !== undefined) return input.dim;
  if (input.query instanceof Float32Array) return input.query.length;
  const n = input.relevance?.length;
  if (input.vectors instanceof Float32Array && n !== undefined && n > 0) return input.vectors.length / n;
  return undefined;
}

function checkKnobs(input: MmrInput): DreamError | null {
  if (typeof input !== "object" || input === null)
    return invalidParameter("input", input, "must be an object");
  const similarity = input.similarity ?? "cosine";
  if (similarity !== "cosine" && similarity !== "dot" && typeof similarity !== "function") {
    return invalidParameter("similarity", similarity, 'must be "cosine", "dot" or a function');
  }
  return (
    requirePositiveInteger("k", input.k) ??
    requireInRange("lambda", input.lambda, 0, 1) ??
    (input.minDispersion === undefined
      ? null
      : requireInRange("minDispersion", input.minDispersion, 0, Number.MAX_VALUE))
  );
}

function nonFiniteVectorError(data: Float32Array, dim: number): DreamError | null {
  const bad = firstNonFinite(data);
  if (bad < 0) return null;
  const where = `vectors[${Math.floor(bad / dim)}][${bad % dim}]`;
  return invalidParameter(where, data[bad], "every component must be a finite number");
}

function checkRelevance(relevance: unknown, count: number, context: string): DreamError | null {
  const list = relevance as ArrayLike<unknown> | null;
  if (typeof list !== "object" || list === null || typeof list.length !== "number") {
    return invalidParameter("relevance", relevance, "must be an array of numbers");
  }
  if (list.length !== count) return dimensionMismatch(count, list.length, `${context}: relevance`);
  const nonFinite = firstNonFinite(list as ArrayLike<number>);
  return nonFinite < 0
    ? null
    : invalidParameter(`relevance[${nonFinite}]`, list[nonFinite], "must be a finite number");
}

function checkQuery(query: unknown, dim: number, context: string): DreamError | null {
  if (!(query instanceof Float32Array)) {
    return invalidParameter("query", query, "give a Float32Array query or a relevance array");
  }
  if (query.length !== dim) return dimensionMismatch(dim, query.length, `${context}: query`);
  const nonFinite = firstNonFinite(query);
  return nonFinite < 0
    ? null
    : invalidParameter(`query[${nonFinite}]`, query[nonFinite], "every component must be a finite number");
}

/** Checks every field of an MmrInput and builds the kernel; bad input gives the DreamError naming it. */
export function prepareMmr(input: MmrInput, context: string): DreamResult<PreparedMmr> {
  const knobs = checkKnobs(input);
  if (knobs) return err(knobs);
  if (input.relevance !== undefined && input.query !== undefined) {
    return err(invalidParameter("query", input.query, "give either relevance or query, not both"));
  }
  const flat = flatten(input.vectors, impliedDim(input), context);
  if (!flat.ok) return flat;
  const { data, count, dim } = flat.value;
  const byQuery = input.relevance === undefined;
  const inputProblem = byQuery
    ? checkQuery(input.query, dim, context)
    : checkRelevance(input.relevance, count, context);
  if (inputProblem) return err(inputProblem);
  const similarity = input.similarity ?? "cosine";
  const kernel = new SimilarityKernel(
    data,
    count,
    dim,
    similarity,
    byQuery ? (input.query as Float32Array) : undefined,
  );
  // Finite vectors are proven by the cosine norms, or by a finite dot with a finite query; only the
  // remaining cases (and failures, to name the component) pay for a separate scan.
  const relevance = byQuery
    ? kernel.toQuery(input.query as Float32Array)
    : Float64Array.from(input.relevance!);
  const provenFinite =
    kernel.knownFinite || (byQuery && similarity === "dot" && firstNonFinite(relevance) < 0);
  if (!provenFinite) {
    const vectorProblem = nonFiniteVectorError(data, dim);
    if (vectorProblem) return err(vectorProblem);
  }
  return ok({
    kernel,
    relevance,
    k: Math.min(input.k, count),
    requestedK: input.k,
    lambda: input.lambda,
    minDispersion: input.minDispersion ?? 0,
  });
}
