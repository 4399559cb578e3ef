/** A tensor shape, structurally compatible with @dreampool/tensor's TensorDims. */
export interface DigestDims {
  readonly rows: number;
  readonly cols: number;
  readonly layers: number;
}

const FNV_PRIME = 0x01000193;
// Four FNV-1a lanes take every fourth value each, so the multiplications do not wait on one another
// (about 3x faster than one chain); each lane's step is a bijection, so two tensors that differ in
// any single value never share a digest. Two finalised 32-bit words mix all four lanes.
const LANE_OFFSETS = [0x811c9dc5, 0x9747b28c, 0x2545f491, 0x68e31da4] as const;
const MIX_A = [0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f] as const;
const MIX_B = [0x165667b1, 0x9e3779b1, 0x7feb352d] as const;
// Non-finite values hash to words no finite quantised value produces in that slot, so they are
// never folded into 0 (the caller's validation rejects them before they reach a cache key anyway).
const NAN_WORD = 0x7ff80000;
const POS_INF_WORD = 0x7ff00000;
const NEG_INF_WORD = 0xfff00000;

const lanes = new Int32Array(4);
const scratch = new Float64Array(1);
const scratchWords = new Int32Array(scratch.buffer);

/**
 * A fast content key for a tensor's colours (and, when given, certainty): every value is quantised
 * to an integer (floor(x / precision + 0.5)) and hashed on four interleaved FNV-1a lanes, finalised
 * into 64 bits. Two tensors whose values round alike get the same digest, so a repeated tensor query
 * can hit the QueryCache without recomputing its spectral features; tensors that differ in one value
 * never collide, others with probability about 2^-64 per pair. A non-positive or non-finite
 * precision hashes the exact float values (no quantisation).
 * Format: "<rows>x<cols>x<layers>:<16 hex digits>".
 */
export function tensorDigest(
  colors: Float32Array,
  dims: DigestDims,
  precision: number,
  certainty?: Float32Array,
): string {
  const quantise = precision > 0 && Number.isFinite(precision);
  const scale = quantise ? 1 / precision : 1;
  lanes.set(LANE_OFFSETS);
  hashValues(colors, quantise, scale);
  if (certainty) hashValues(certainty, quantise, scale);
  const [a = 0, b = 0, c = 0, d = 0] = lanes;
  const high = fmix32(a + Math.imul(b, MIX_A[0]) + Math.imul(c, MIX_A[1]) + Math.imul(d, MIX_A[2]));
  const low = fmix32(d + Math.imul(c, MIX_B[0]) + Math.imul(b, MIX_B[1]) + Math.imul(a, MIX_B[2]));
  const hex = (h: number) => (h >>> 0).toString(16).padStart(8, "0");
  return `${dims.rows}x${dims.cols}x${dims.layers}:${hex(high)}${hex(low)}`;
}

/** murmur3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
function fmix32(h: number): number {
  let x = h | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return x ^ (x >>> 16);
}

function hashValues(values: Float32Array, quantise: boolean, scale: number): void {
  const saved = [lanes[0] ?? 0, lanes[1] ?? 0, lanes[2] ?? 0, lanes[3] ?? 0] as const;
  if (!quantise || !hashQuantised(values, scale)) {
    // Unquantised, or a value that is not a finite 32-bit integer once quantised: the exact path.
    lanes.set(saved);
    hashExact(values, quantise, scale);
  }
}

/** |x / precision + 0.5| must stay under this for the fast path's int32 words to be exact. */
const FAST_LIMIT = 2 ** 31 - 2;

/** The fast path; returns false (lanes undefined) when some value needs the exact path. */
function hashQuantised(values: Float32Array, scale: number): boolean {
  let a = Math.imul((lanes[0] ?? 0) ^ values.length, FNV_PRIME);
  let b = lanes[1] ?? 0;
  let c = lanes[2] ?? 0;
  let d = lanes[3] ?? 0;
  let regular = true;
  const blocks = values.length - (values.length % 4);
  let i = 0;
  for (; i < blocks; i += 4) {
    const v0 = (values[i] as number) * scale + 0.5;
    const v1 = (values[i + 1] as number) * scale + 0.5;
    const v2 = (values[i + 2] as number) * scale + 0.5;
    const v3 = (values[i + 3] as number) * scale + 0.5;
    // NaN fails every comparison; the branch is never taken on ordinary data, so it predicts well.
    if (!(inRange(v0) && inRange(v1) && inRange(v2) && inRange(v3))) regular = false;
    // floor(v + 0.5) is Math.round's definition, and V8 runs it several times faster.
    a = Math.imul(a ^ Math.floor(v0), FNV_PRIME);
    b = Math.imul(b ^ Math.floor(v1), FNV_PRIME);
    c = Math.imul(c ^ Math.floor(v2), FNV_PRIME);
    d = Math.imul(d ^ Math.floor(v3), FNV_PRIME);
  }
  for (; i < values.length; i++) {
    const v = (values[i] as number) * scale + 0.5;
    if (!inRange(v)) regular = false;
    a = Math.imul(a ^ Math.floor(v), FNV_PRIME);
  }
  lanes[0] = a;
  lanes[1] = b;
  lanes[2] = c;
  lanes[3] = d;
  return regular;
}

const inRange = (v: number): boolean => v > -FAST_LIMIT && v < FAST_LIMIT;

/** The exact path: one word per regular value, marker or double words for the others. */
function hashExact(values: Float32Array, quantise: boolean, scale: number): void {
  mixInto(0, values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i] ?? 0;
    const q = quantise ? Math.floor(x * scale + 0.5) : x;
    const lane = i < values.length - (values.length % 4) ? i % 4 : 0;
    if (q === (q | 0)) mixInto(lane, q);
    else if (Number.isNaN(q)) mixInto(lane, NAN_WORD);
    else if (q === Number.POSITIVE_INFINITY) mixInto(lane, POS_INF_WORD);
    else if (q === Number.NEGATIVE_INFINITY) mixInto(lane, NEG_INF_WORD);
    else {
      scratch[0] = q;
      mixInto(lane, scratchWords[0] ?? 0);
      mixInto(lane, scratchWords[1] ?? 0);
    }
  }
}

function mixInto(lane: number, word: number): void {
  lanes[lane] = Math.imul((lanes[lane] ?? 0) ^ word, FNV_PRIME);
}
