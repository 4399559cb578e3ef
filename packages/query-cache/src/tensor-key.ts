import { type DreamError, invalidParameter } from "@dreampool/errors";
import { contentHash, fmix32, hashContent } from "./tensor-digest.js";

/** What the cache keys a tensor query on; a @dreampool/tensor ChromaticTensor fits as it is. */
export interface CacheableTensor {
  readonly rows: number;
  readonly cols: number;
  readonly layers: number;
  /** rows · cols · layers · 3 colour values, row-major. */
  readonly colors: Float32Array;
}

/**
 * Everything a tensor key stands for: the fingerprint, the shape and the two 32-bit words of the
 * quantised colours' hash. `slot` (31 bits, a small integer for V8) is the LRU key; a hit needs
 * every field to match, so two tensors sharing a slot evict each other instead of sharing a vector.
 */
export class TensorKey {
  constructor(
    public slot: number,
    public high: number,
    public low: number,
    public rows: number,
    public cols: number,
    public layers: number,
    public fingerprint: string,
  ) {}

  equals(other: TensorKey): boolean {
    return (
      this.high === other.high &&
      this.low === other.low &&
      this.rows === other.rows &&
      this.cols === other.cols &&
      this.layers === other.layers &&
      this.fingerprint === other.fingerprint
    );
  }

  /** An immutable copy to store with an entry (the probe below is reused by every lookup). */
  stored(): TensorKey {
    return Object.freeze(
      new TensorKey(this.slot, this.high, this.low, this.rows, this.cols, this.layers, this.fingerprint),
    );
  }
}

// One probe for every lookup, so a hit allocates nothing for its key.
const probe = new TensorKey(0, 0, 0, 0, 0, 0, "");
// The fingerprint is usually the same string call after call: hash it once.
let lastFingerprint = "";
let lastFingerprintHash = 0;

/** Checks the shape: positive integer dims and a Float32Array of rows · cols · layers · 3 values. */
export function checkTensorShape(tensor: CacheableTensor): DreamError | null {
  if (typeof tensor !== "object" || tensor === null) {
    return invalidParameter("tensor", tensor, "must be { rows, cols, layers, colors: Float32Array }");
  }
  const { rows, cols, layers, colors } = tensor;
  // Three plain checks, not a loop over [name, value] pairs: this runs on every lookup.
  if (!isDim(rows)) return invalidParameter("tensor.rows", rows, "must be an integer >= 1");
  if (!isDim(cols)) return invalidParameter("tensor.cols", cols, "must be an integer >= 1");
  if (!isDim(layers)) return invalidParameter("tensor.layers", layers, "must be an integer >= 1");
  if (!(colors instanceof Float32Array) || colors.length !== rows * cols * layers * 3) {
    return invalidParameter(
      "tensor.colors",
      colors instanceof Float32Array ? `Float32Array(${colors.length})` : colors,
      `must be a Float32Array of rows·cols·layers·3 = ${rows * cols * layers * 3} values`,
    );
  }
  return null;
}

const isDim = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 1;

/**
 * The key of a tensor whose shape passed checkTensorShape: the shared probe (valid until the next
 * call), or InvalidParameter naming the first non-finite colour. One pass over the colours.
 */
export function tensorKeyOf(
  tensor: CacheableTensor,
  fingerprint: string,
  scale: number,
): TensorKey | DreamError {
  const firstNonFinite = hashContent(tensor.colors, scale);
  if (firstNonFinite >= 0) {
    return invalidParameter(
      `tensor.colors[${firstNonFinite}]`,
      tensor.colors[firstNonFinite],
      "must be a finite number",
    );
  }
  if (fingerprint !== lastFingerprint) {
    lastFingerprintHash = hashString(fingerprint);
    lastFingerprint = fingerprint;
  }
  const { high, low } = contentHash;
  const shape = Math.imul(tensor.rows, 0x9e3779b1) ^ Math.imul(tensor.cols, 0x85ebca6b) ^ tensor.layers;
  probe.slot = fmix32(high ^ lastFingerprintHash ^ fmix32(shape)) >> 1;
  probe.high = high;
  probe.low = low;
  probe.rows = tensor.rows;
  probe.cols = tensor.cols;
  probe.layers = tensor.layers;
  probe.fingerprint = fingerprint;
  return probe;
}

/** FNV-1a over the UTF-16 code units. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}
