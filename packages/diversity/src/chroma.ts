import { type DreamResult, err, invalidParameter } from "@dreampool/errors";
import type { MmrSelection } from "./input.js";
import { mmr } from "./mmr.js";

/** MMR over chroma signatures (mean RGB triples), the pool's "hard" mode. */
export interface ChromaMmrInput {
  /** One [r, g, b] triple per candidate. */
  candidates: readonly ArrayLike<number>[];
  /** The query's [r, g, b]; relevance is cosine(query, candidate), 0 for a black (zero) triple. */
  query: ArrayLike<number>;
  k: number;
  lambda: number;
  minDispersion?: number;
}

function toTriple(value: unknown, parameter: string): Float32Array | DreamResult<never> {
  const list = value as ArrayLike<unknown> | null;
  if (typeof list !== "object" || list === null || list.length !== 3) {
    return err(invalidParameter(parameter, value, "must be an [r, g, b] triple"));
  }
  const out = new Float32Array(3);
  for (let c = 0; c < 3; c++) {
    const x = list[c];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      return err(invalidParameter(`${parameter}[${c}]`, x, "must be a finite number"));
    }
    out[c] = x;
  }
  return out;
}

/** `mmr` with cosine similarity over 3-d chroma triples (indices refer to `candidates`). */
export function mmrChroma(input: ChromaMmrInput): DreamResult<MmrSelection> {
  if (typeof input !== "object" || input === null || !Array.isArray(input.candidates)) {
    return err(invalidParameter("candidates", input?.candidates, "must be an array of [r, g, b] triples"));
  }
  const query = toTriple(input.query, "query");
  if (!(query instanceof Float32Array)) return query;
  const flat = new Float32Array(input.candidates.length * 3);
  for (let i = 0; i < input.candidates.length; i++) {
    const triple = toTriple(input.candidates[i], `candidates[${i}]`);
    if (!(triple instanceof Float32Array)) return triple;
    flat.set(triple, i * 3);
  }
  return mmr({
    vectors: flat,
    dim: 3,
    query,
    k: input.k,
    lambda: input.lambda,
    similarity: "cosine",
    ...(input.minDispersion === undefined ? {} : { minDispersion: input.minDispersion }),
  });
}
