import { type DreamError, type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";

/**
 * What the cache keys on: every field of a query signature. Structurally compatible with
 * @dreampool/embedding's QuerySignature, plus an optional tensor digest (see tensorDigest).
 */
export interface CacheableQuery {
  /** Mean colour, three components in [0, 1]. */
  readonly chroma: readonly number[];
  readonly classHint: string | null;
  /**
   * Spectral features: an object whose fields are finite numbers or arrays of them (checked at run
   * time). Typed as `object` so that closed interfaces such as SpectralFeatures fit without a copy.
   */
  readonly spectral: Readonly<Record<string, number | readonly number[]>> | object | null;
  /** Utility prior in [-1, 1]. */
  readonly utilityPrior: number | null;
  /** Content key of the source tensor, when the query came from one. */
  readonly tensorDigest?: string;
}

/**
 * Builds the cache key: the encoder fingerprint, then each field quantised to `scale` steps per
 * unit (round(x · scale), half away from zero as the reference did). Strings (fingerprint, class
 * hint, digest, spectral names) are length-prefixed, so no string can impersonate another field,
 * and "no spectral" differs from "empty spectral". Returns InvalidParameter naming the field for
 * NaN, infinities and out-of-range values. Built by concatenation: it runs on every query.
 */
export function buildQueryKey(
  query: CacheableQuery,
  fingerprint: string,
  scale: number,
): DreamResult<string> {
  if (typeof fingerprint !== "string" || fingerprint.length === 0) {
    return err(invalidParameter("fingerprint", fingerprint, "must be a non-empty string"));
  }
  if (typeof query !== "object" || query === null) {
    return err(invalidParameter("query", query, "must be { chroma, classHint, spectral, utilityPrior }"));
  }
  const { chroma, classHint, spectral, utilityPrior, tensorDigest } = query;
  if (!(Array.isArray(chroma) || ArrayBuffer.isView(chroma)) || (chroma as ArrayLike<number>).length !== 3) {
    return err(invalidParameter("query.chroma", chroma, "must be an array of 3 numbers in [0, 1]"));
  }
  let key = `${prefixed(fingerprint)}|c`;
  for (let i = 0; i < 3; i++) {
    const x: unknown = chroma[i];
    if (typeof x !== "number" || !(x >= 0 && x <= 1)) {
      return err(invalidParameter(`query.chroma[${i}]`, x, "must be a finite number in [0, 1]"));
    }
    key += i === 0 ? quantise(x, scale) : `,${quantise(x, scale)}`;
  }
  if (classHint !== null && typeof classHint !== "string") {
    return err(invalidParameter("query.classHint", classHint, "must be a string or null"));
  }
  key += classHint === null ? "|h-" : `|h${prefixed(classHint)}`;
  if (
    utilityPrior !== null &&
    (typeof utilityPrior !== "number" || !(utilityPrior >= -1 && utilityPrior <= 1))
  ) {
    return err(
      invalidParameter("query.utilityPrior", utilityPrior, "must be null or a finite number in [-1, 1]"),
    );
  }
  key += utilityPrior === null ? "|u-" : `|u${quantise(utilityPrior, scale)}`;
  if (tensorDigest !== undefined && typeof tensorDigest !== "string") {
    return err(invalidParameter("query.tensorDigest", tensorDigest, "must be a string when given"));
  }
  key += tensorDigest === undefined ? "|t-" : `|t${prefixed(tensorDigest)}`;
  const spectralKey = spectralPart(spectral, scale);
  if (typeof spectralKey !== "string") return err(spectralKey);
  return ok(key + spectralKey);
}

/** "<length>:<text>": unambiguous whatever the text contains. */
const prefixed = (text: string): string => `${text.length}:${text}`;

function spectralPart(spectral: CacheableQuery["spectral"], scale: number): string | DreamError {
  if (spectral === null) return "|s-";
  if (typeof spectral !== "object" || Array.isArray(spectral)) {
    return invalidParameter("query.spectral", spectral, "must be null or an object of finite numbers");
  }
  let key = "|s";
  // Sorted names: two objects with the same fields in another order are the same query.
  const fields = spectral as Readonly<Record<string, unknown>>;
  for (const name of Object.keys(fields).sort()) {
    const value: unknown = fields[name];
    key += `;${prefixed(name)}=`;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) {
        return invalidParameter(`query.spectral.${name}`, value, "must be a finite number");
      }
      key += quantise(value, scale);
    } else if (Array.isArray(value)) {
      key += "[";
      for (let i = 0; i < value.length; i++) {
        const x: unknown = value[i];
        if (typeof x !== "number" || !Number.isFinite(x)) {
          return invalidParameter(`query.spectral.${name}[${i}]`, x, "must be a finite number");
        }
        key += i === 0 ? quantise(x, scale) : `,${quantise(x, scale)}`;
      }
      key += "]";
    } else {
      return invalidParameter(`query.spectral.${name}`, value, "must be a finite number or an array of them");
    }
  }
  return key;
}

/** round(x · scale), half away from zero; "-0" is folded into "0". */
function quantise(x: number, scale: number): string {
  const scaled = x * scale;
  const q = Math.sign(scaled) * Math.round(Math.abs(scaled));
  return q === 0 ? "0" : String(q);
}
