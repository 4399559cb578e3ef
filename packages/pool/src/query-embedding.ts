import { type EmbeddingMapper, QuerySignature } from "@dreampool/embedding";
import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import type { BiasProfile } from "@dreampool/scoring";
import {
  type ChromaticTensor,
  COLOR_CLASSES,
  type ColorClass,
  type Rgb,
  validateRgb,
} from "@dreampool/tensor";
import { checkTensor } from "./entry-input.js";
import type { PoolState } from "./pool-state.js";
import type { PoolQuery } from "./types.js";

/** A query as the retrieval path sees it. */
export type ParsedQuery =
  | { readonly kind: "rgb"; readonly chroma: Rgb; readonly classHint: null }
  | {
      readonly kind: "signature";
      readonly chroma: Rgb;
      readonly classHint: ColorClass | null;
      readonly signature: QuerySignature;
    }
  | {
      readonly kind: "tensor";
      readonly chroma: Rgb;
      readonly classHint: null;
      readonly tensor: ChromaticTensor;
    };

/** Tells a colour, a tensor and a QuerySignature apart, and checks each. */
export function parseQuery(query: PoolQuery): DreamResult<ParsedQuery> {
  if (Array.isArray(query) || query instanceof Float32Array || query instanceof Float64Array) {
    const bad = validateRgb("query", query);
    if (bad) return err(bad);
    const q = query as ArrayLike<number>;
    return ok({ kind: "rgb", chroma: [q[0] as number, q[1] as number, q[2] as number], classHint: null });
  }
  if (typeof query !== "object" || query === null) {
    return err(
      invalidParameter("query", query, "must be a QuerySignature, a ChromaticTensor or an [r, g, b] colour"),
    );
  }
  if ("colors" in query) {
    const bad = checkTensor("query", query);
    if (bad) return err(bad);
    const tensor = query as ChromaticTensor;
    return ok({ kind: "tensor", chroma: tensor.meanRgb(), classHint: null, tensor });
  }
  const signature = query as QuerySignature;
  const bad = validateRgb("query.chroma", signature.chroma);
  if (bad) return err(bad);
  const hint = signature.classHint ?? null;
  if (hint !== null && !COLOR_CLASSES.includes(hint)) {
    return err(invalidParameter("query.classHint", hint, "must be a ColorClass or null"));
  }
  return ok({ kind: "signature", chroma: signature.chroma, classHint: hint, signature });
}

/**
 * The query's embedding, through the QueryCache. A tensor is keyed on its shape and quantised
 * colours (getOrComputeForTensor: a hit skips the FFT); a signature or colour on its quantised
 * fields (getOrCompute). Both under `state.cacheFingerprint`, so neither a different encoder nor
 * a changed bias serves a stale vector.
 */
export function embedQuery(state: PoolState, query: ParsedQuery): DreamResult<Float32Array> {
  const fingerprint = state.cacheFingerprint;
  const bias = state.bias;
  if (query.kind === "tensor") {
    const t = query.tensor;
    return state.cache.getOrComputeForTensor(t, fingerprint, () => {
      const signature = QuerySignature.fromTensor(t, { window: state.config.spectralWindow });
      return signature.ok ? state.mapper.encodeQuery(signature.value, bias) : signature;
    });
  }
  const signature =
    query.kind === "signature" ? ok(query.signature) : QuerySignature.fromChroma(query.chroma);
  if (!signature.ok) return signature;
  const s = signature.value;
  // A QuerySignature is a CacheableQuery as it is (the cache reads SpectralFeatures in place).
  return state.cache.getOrCompute(s, fingerprint, () => state.mapper.encodeQuery(s, bias));
}

/**
 * The fingerprint of the pool's query-cache entries: the mapper's fingerprint and the bias
 * profile's class weights rounded to 1e-3. Built when the bias changes (creation, feedback, clear,
 * load), not per query; queries keep hitting the cache until the learned weights actually move.
 */
export function cacheFingerprintOf(mapper: EmbeddingMapper, bias: BiasProfile): string {
  const weights = COLOR_CLASSES.map((c) => Math.round(bias.classWeight(c) * 1000)).join(",");
  return `${mapper.fingerprint}|${weights}`;
}
