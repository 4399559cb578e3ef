import { QuerySignature } from "@dreampool/embedding";
import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import { type CacheableQuery, tensorDigest } from "@dreampool/query-cache";
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
 * The query's embedding, through the QueryCache. The key is the whole query (for a tensor: its
 * mean colour and a quantised digest of its colours, so a hit skips the FFT) plus the mapper's
 * fingerprint and the bias key, so neither a different encoder nor a changed bias serves a stale vector.
 */
export function embedQuery(state: PoolState, query: ParsedQuery): DreamResult<Float32Array> {
  const fingerprint = `${state.mapper.fingerprint}|${state.biasKey}`;
  const bias = state.bias;
  if (query.kind === "tensor") {
    const t = query.tensor;
    const key: CacheableQuery = {
      chroma: query.chroma,
      classHint: null,
      spectral: null,
      utilityPrior: null,
      tensorDigest: tensorDigest(t.colors, t, state.cache.precision),
    };
    return state.cache.getOrCompute(key, fingerprint, () => {
      const signature = QuerySignature.fromTensor(t, { window: state.config.spectralWindow });
      return signature.ok ? state.mapper.encodeQuery(signature.value, bias) : signature;
    });
  }
  const signature =
    query.kind === "signature" ? ok(query.signature) : QuerySignature.fromChroma(query.chroma);
  if (!signature.ok) return signature;
  const s = signature.value;
  return state.cache.getOrCompute(cacheableOf(s), fingerprint, () => state.mapper.encodeQuery(s, bias));
}

/** A signature as the cache reads it (the cache takes SpectralFeatures as it is, no copy). */
function cacheableOf(s: QuerySignature): CacheableQuery {
  return { chroma: s.chroma, classHint: s.classHint, spectral: s.spectral, utilityPrior: s.utilityPrior };
}

/**
 * The bias part of the cache key: class weights rounded to 1e-3. Recomputed after each feedback,
 * so queries keep hitting the cache until the learned weights actually move.
 */
export function biasKeyOf(bias: BiasProfile): string {
  return COLOR_CLASSES.map((c) => Math.round(bias.classWeight(c) * 1000)).join(",");
}
