import { type DreamError, invalidParameter } from "@dreampool/errors";
import { StringHash, slotOf } from "./key-slot.js";
import type { CacheableQuery } from "./query-key.js";
import { fmix32 } from "./tensor-digest.js";

/**
 * Everything a signature query's key stands for, quantised: the fingerprint, the class hint and
 * tensor digest, the quantised chroma and utility prior, and each spectral field (name, size,
 * quantised values). `slot` (31 bits) is the LRU key; an entry keeps its key and a hit must equal
 * it field for field, so two queries sharing a slot replace each other and never share a vector.
 */
export class SignatureKey {
  slot = 0;
  fingerprint = "";
  classHint: string | null = null;
  tensorDigest: string | undefined = undefined;
  hasUtility = false;
  hasSpectral = false;
  /** Quantised numbers: chroma (3), the utility prior when present, then the spectral fields' values. */
  valueCount = 0;
  /** Spectral fields in the query's own order: name, index of the first value, size (-1: a number). */
  fieldCount = 0;

  constructor(
    public values: Float64Array,
    readonly names: string[],
    readonly nameHashes: number[],
    readonly starts: number[],
    readonly sizes: number[],
  ) {}

  equals(other: SignatureKey): boolean {
    if (
      this.fingerprint !== other.fingerprint ||
      this.classHint !== other.classHint ||
      this.tensorDigest !== other.tensorDigest ||
      this.hasUtility !== other.hasUtility ||
      this.hasSpectral !== other.hasSpectral ||
      this.valueCount !== other.valueCount ||
      this.fieldCount !== other.fieldCount
    )
      return false;
    const head = this.hasUtility ? 4 : 3;
    for (let i = 0; i < head; i++) if (this.values[i] !== other.values[i]) return false;
    for (let f = 0; f < this.fieldCount; f++) {
      // Usually the same order; otherwise find the field by name (names are unique per object).
      const g = this.names[f] === other.names[f] ? f : other.fieldIndex(this.names[f] as string);
      const size = this.sizes[f] as number;
      if (g < 0 || other.sizes[g] !== size) return false;
      const from = this.starts[f] as number;
      const otherFrom = other.starts[g] as number;
      for (let i = 0; i < (size < 0 ? 1 : size); i++) {
        if (this.values[from + i] !== other.values[otherFrom + i]) return false;
      }
    }
    return true;
  }

  /** The index of the field named `name`, or -1. */
  fieldIndex(name: string): number {
    for (let g = 0; g < this.fieldCount; g++) if (this.names[g] === name) return g;
    return -1;
  }

  /** An immutable copy to store with an entry (the probe is reused by every lookup). */
  stored(): SignatureKey {
    const f = this.fieldCount;
    const copy = new SignatureKey(
      this.values.slice(0, this.valueCount),
      this.names.slice(0, f),
      this.nameHashes.slice(0, f),
      this.starts.slice(0, f),
      this.sizes.slice(0, f),
    );
    copy.slot = this.slot;
    copy.fingerprint = this.fingerprint;
    copy.classHint = this.classHint;
    copy.tensorDigest = this.tensorDigest;
    copy.hasUtility = this.hasUtility;
    copy.hasSpectral = this.hasSpectral;
    copy.valueCount = this.valueCount;
    copy.fieldCount = f;
    return Object.freeze(copy);
  }

  /** Estimated bytes of a stored key (header, values, per-field slots, its own strings). */
  bytes(): number {
    const text = this.fingerprint.length + (this.classHint?.length ?? 0) + (this.tensorDigest?.length ?? 0);
    return 128 + 8 * this.valueCount + 32 * this.fieldCount + 2 * text;
  }
}

// One probe for every lookup, so a hit allocates no key record (only the keys array of a spectral object).
const probe = new SignatureKey(new Float64Array(16), [], [], [], []);
const hintHashes = new StringHash();
const digestHashes = new StringHash();
const nameHashes = new StringHash();
const scratch = new Float64Array(1);
const scratchWords = new Int32Array(scratch.buffer);

/** round(x · scale), half away from zero as the reference did, with -0 folded into 0. */
export function quantise(x: number, scale: number): number {
  const scaled = x * scale;
  return Math.sign(scaled) * Math.round(Math.abs(scaled)) + 0;
}

/** One FNV-1a step over a quantised number: its int32 value, or its two float64 words. */
function mix(h: number, q: number): number {
  if (q === (q | 0)) return Math.imul(h ^ q, 0x01000193);
  scratch[0] = q;
  return Math.imul(
    Math.imul(h ^ (scratchWords[0] as number), 0x01000193) ^ (scratchWords[1] as number),
    0x01000193,
  );
}

/**
 * Validates a query and fills the shared probe with its quantised key (valid until the next call),
 * in one pass; or returns InvalidParameter naming the first bad field (NaN, infinities,
 * out-of-range values, wrong types). Spectral fields are hashed each on its own and summed, so
 * their order does not change the slot.
 */
export function signatureKeyOf(
  query: CacheableQuery,
  fingerprint: string,
  scale: number,
): SignatureKey | DreamError {
  if (typeof fingerprint !== "string" || fingerprint.length === 0) {
    return invalidParameter("fingerprint", fingerprint, "must be a non-empty string");
  }
  if (typeof query !== "object" || query === null) {
    return invalidParameter("query", query, "must be { chroma, classHint, spectral, utilityPrior }");
  }
  const { chroma, classHint, spectral, utilityPrior, tensorDigest } = query;
  if (!(Array.isArray(chroma) || ArrayBuffer.isView(chroma)) || (chroma as ArrayLike<number>).length !== 3) {
    return invalidParameter("query.chroma", chroma, "must be an array of 3 numbers in [0, 1]");
  }
  const key = probe;
  let h = 0x811c9dc5;
  for (let i = 0; i < 3; i++) {
    const x: unknown = chroma[i];
    if (typeof x !== "number" || !(x >= 0 && x <= 1)) {
      return invalidParameter(`query.chroma[${i}]`, x, "must be a finite number in [0, 1]");
    }
    const q = quantise(x, scale);
    key.values[i] = q;
    h = mix(h, q);
  }
  if (classHint !== null && typeof classHint !== "string") {
    return invalidParameter("query.classHint", classHint, "must be a string or null");
  }
  h = Math.imul(h ^ (classHint === null ? 0 : hintHashes.of(classHint)), 0x01000193);
  if (
    utilityPrior !== null &&
    (typeof utilityPrior !== "number" || !(utilityPrior >= -1 && utilityPrior <= 1))
  ) {
    return invalidParameter("query.utilityPrior", utilityPrior, "must be null or a finite number in [-1, 1]");
  }
  let count = 3;
  if (utilityPrior !== null) {
    const q = quantise(utilityPrior, scale);
    key.values[count++] = q;
    h = mix(h ^ 0x55, q);
  }
  if (tensorDigest !== undefined && typeof tensorDigest !== "string") {
    return invalidParameter("query.tensorDigest", tensorDigest, "must be a string when given");
  }
  if (tensorDigest !== undefined) h = Math.imul(h ^ digestHashes.of(tensorDigest), 0x01000193);
  let spectralSum = 0;
  let fields = 0;
  if (spectral !== null) {
    if (typeof spectral !== "object" || Array.isArray(spectral)) {
      return invalidParameter("query.spectral", spectral, "must be null or an object of finite numbers");
    }
    const record = spectral as Readonly<Record<string, unknown>>;
    for (const name of Object.keys(record)) {
      const value: unknown = record[name];
      if (key.names[fields] !== name) {
        key.names[fields] = name;
        key.nameHashes[fields] = nameHashes.of(name);
      }
      let fh = key.nameHashes[fields] as number;
      key.starts[fields] = count;
      if (typeof value === "number") {
        if (!Number.isFinite(value)) {
          return invalidParameter(`query.spectral.${name}`, value, "must be a finite number");
        }
        count = ensureRoom(key, count, 1);
        const q = quantise(value, scale);
        key.values[count++] = q;
        fh = mix(fh, q);
        key.sizes[fields] = -1;
      } else if (Array.isArray(value)) {
        count = ensureRoom(key, count, value.length);
        for (let i = 0; i < value.length; i++) {
          const x: unknown = value[i];
          if (typeof x !== "number" || !Number.isFinite(x)) {
            return invalidParameter(`query.spectral.${name}[${i}]`, x, "must be a finite number");
          }
          const q = quantise(x, scale);
          key.values[count++] = q;
          fh = mix(fh, q);
        }
        fh = Math.imul(fh ^ (value.length + 1), 0x01000193);
        key.sizes[fields] = value.length;
      } else {
        return invalidParameter(
          `query.spectral.${name}`,
          value,
          "must be a finite number or an array of them",
        );
      }
      spectralSum = (spectralSum + fmix32(fh)) | 0;
      fields++;
    }
  }
  key.fingerprint = fingerprint;
  key.classHint = classHint;
  key.tensorDigest = tensorDigest;
  key.hasUtility = utilityPrior !== null;
  key.hasSpectral = spectral !== null;
  key.valueCount = count;
  key.fieldCount = fields;
  const flags =
    (utilityPrior === null ? 0 : 1) | (tensorDigest === undefined ? 0 : 2) | (spectral === null ? 0 : 4);
  key.slot = slotOf(fmix32(h ^ flags) ^ fmix32(spectralSum + fields), fingerprint);
  return key;
}

/** Grows the probe's values so `extra` more fit after `count`; returns `count`. */
function ensureRoom(key: SignatureKey, count: number, extra: number): number {
  if (count + extra > key.values.length) {
    const grown = new Float64Array(Math.max(2 * key.values.length, count + extra));
    grown.set(key.values.subarray(0, count));
    key.values = grown;
  }
  return count;
}
