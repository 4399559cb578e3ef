import { QuerySignature, type WindowFunction } from "@dreampool/embedding";
import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import type { PoolQuery } from "@dreampool/pool";
import { ChromaticTensor, validateRgb } from "@dreampool/tensor";

/** Normalises any accepted query (signature, tensor, colour) to a QuerySignature. */
export function toSignature(query: PoolQuery, window: WindowFunction): DreamResult<QuerySignature> {
  if (query instanceof ChromaticTensor) return QuerySignature.fromTensor(query, { window });
  if (Array.isArray(query) || ArrayBuffer.isView(query)) {
    const problem = validateRgb("query", query);
    if (problem) return err(problem);
    return QuerySignature.fromChroma(query as PoolQuery & readonly [number, number, number]);
  }
  if (typeof query === "object" && query !== null && "chroma" in query) {
    const problem = validateRgb("query.chroma", (query as QuerySignature).chroma);
    if (problem) return err(problem);
    return ok(query as QuerySignature);
  }
  return err(
    invalidParameter("query", query, "must be a QuerySignature, a ChromaticTensor or an RGB triple"),
  );
}
