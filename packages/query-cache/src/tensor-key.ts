import { type DreamError, invalidParameter } from "@dreampool/errors";
import { slotOf } from "./key-slot.js";
import { contentHash, finishLanes, fmix32, hashContent, LANE_OFFSETS } from "./tensor-digest.js";

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

// One probe per kind for every lookup, so a hit allocates no key records.
const probe = new TensorKey(0, 0, 0, 0, 0, 0, "");
const bitsProbe = new TensorKey(0, 0, 0, 0, 0, 0, "");

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
  return fill(probe, tensor, fingerprint, contentHash.high, contentHash.low);
}

/**
 * The key of the colours' exact bits (no quantisation): about twice as fast as tensorKeyOf, as it
 * reads each colour as an int32 and does no float arithmetic. The cache uses it as an alias, so
 * a tensor repeated bit for bit skips the quantising pass. Returns null when a colour is NaN or
 * infinite (tensorKeyOf then names it). The shared probe is valid until the next call.
 */
export function bitsKeyOf(tensor: CacheableTensor, fingerprint: string): TensorKey | null {
  const colors = tensor.colors;
  const words = new Int32Array(colors.buffer, colors.byteOffset, colors.length);
  // `| 0`: constants above 2^31 would start the lanes as doubles and keep the loop in float64.
  let a = (LANE_OFFSETS[0] ^ words.length) | 0;
  let b = LANE_OFFSETS[1] | 0;
  let c = LANE_OFFSETS[2] | 0;
  let d = LANE_OFFSETS[3] | 0;
  let finite = true;
  const blocks = words.length - (words.length % 4);
  let i = 0;
  // Literal constants: see hashQuantised. An exponent of all ones is NaN or an infinity.
  for (; i < blocks; i += 4) {
    const w0 = words[i] as number;
    const w1 = words[i + 1] as number;
    const w2 = words[i + 2] as number;
    const w3 = words[i + 3] as number;
    if (
      (w0 & 0x7f800000) === 0x7f800000 ||
      (w1 & 0x7f800000) === 0x7f800000 ||
      (w2 & 0x7f800000) === 0x7f800000 ||
      (w3 & 0x7f800000) === 0x7f800000
    )
      finite = false;
    a = Math.imul(a ^ w0, 0x01000193);
    b = Math.imul(b ^ w1, 0x01000193);
    c = Math.imul(c ^ w2, 0x01000193);
    d = Math.imul(d ^ w3, 0x01000193);
  }
  for (; i < words.length; i++) {
    const w = words[i] as number;
    if ((w & 0x7f800000) === 0x7f800000) finite = false;
    a = Math.imul(a ^ w, 0x01000193);
  }
  if (!finite) return null;
  finishLanes(a, b, c, d);
  return fill(bitsProbe, tensor, fingerprint, contentHash.high, contentHash.low);
}

function fill(
  key: TensorKey,
  tensor: CacheableTensor,
  fingerprint: string,
  high: number,
  low: number,
): TensorKey {
  const shape = Math.imul(tensor.rows, 0x9e3779b1) ^ Math.imul(tensor.cols, 0x85ebca6b) ^ tensor.layers;
  key.slot = slotOf(high ^ fmix32(shape), fingerprint);
  key.high = high;
  key.low = low;
  key.rows = tensor.rows;
  key.cols = tensor.cols;
  key.layers = tensor.layers;
  key.fingerprint = fingerprint;
  return key;
}
