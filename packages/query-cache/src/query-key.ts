import type { SignatureKey } from "./signature-key.js";

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
 * A query key as text, for diagnostics and tests: the fingerprint, then each field as its quantised
 * integer. Strings (fingerprint, class hint, digest, spectral names) are length-prefixed, so no
 * string can impersonate another field, and "no spectral" differs from "empty spectral"; spectral
 * fields appear in sorted order. Two queries share a cache entry exactly when these texts are equal
 * (the cache itself compares the key's fields and builds no string).
 */
export function describeKey(key: SignatureKey): string {
  const v = key.values;
  let text = `${prefixed(key.fingerprint)}|c${v[0]},${v[1]},${v[2]}`;
  text += key.classHint === null ? "|h-" : `|h${prefixed(key.classHint)}`;
  text += key.hasUtility ? `|u${v[3]}` : "|u-";
  text += key.tensorDigest === undefined ? "|t-" : `|t${prefixed(key.tensorDigest)}`;
  if (!key.hasSpectral) return `${text}|s-`;
  text += "|s";
  const order = Array.from({ length: key.fieldCount }, (_, f) => f).sort((a, b) =>
    (key.names[a] as string) < (key.names[b] as string) ? -1 : 1,
  );
  for (const f of order) {
    const from = key.starts[f] as number;
    const size = key.sizes[f] as number;
    text += `;${prefixed(key.names[f] as string)}=`;
    text += size < 0 ? String(v[from]) : `[${Array.from(v.subarray(from, from + size)).join(",")}]`;
  }
  return text;
}

/** "<length>:<text>": unambiguous whatever the text contains. */
const prefixed = (text: string): string => `${text.length}:${text}`;
