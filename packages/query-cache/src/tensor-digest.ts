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
export const LANE_OFFSETS = [0x811c9dc5, 0x9747b28c, 0x2545f491, 0x68e31da4] as const;
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
 * The two 32-bit words of the last `hashContent` call. Module state rather than a returned object:
 * the cache's hit path hashes on every lookup and allocates nothing for it.
 */
export const contentHash = { high: 0, low: 0 };

/**
 * Hashes `values` (then `more`, when given) quantised to `scale` steps per unit — each value
 * becomes floor(x · scale + 0.5) — into `contentHash`. A non-positive or non-finite scale hashes
 * the exact float values. Returns the index of the first non-finite value (in `values`, then
 * `more` counted after it), or -1 when every value is finite. Values that quantise alike hash
 * alike; values that differ in one quantised value never collide.
 */
export function hashContent(values: Float32Array, scale: number, more?: Float32Array): number {
  const quantise = scale > 0 && Number.isFinite(scale);
  resetLanes();
  let regular = quantise && hashQuantised(values, scale);
  if (regular && more) regular = hashQuantised(more, scale);
  let firstNonFinite = -1;
  if (!regular) {
    // Negative, huge or non-finite values (or no quantisation): start over on the exact path.
    resetLanes();
    firstNonFinite = hashExact(values, quantise, scale);
    const inMore = more ? hashExact(more, quantise, scale) : -1;
    if (firstNonFinite < 0 && inMore >= 0) firstNonFinite = values.length + inMore;
  }
  // Indexed reads: destructuring a typed array would run its iterator on every lookup.
  finishLanes(lanes[0] as number, lanes[1] as number, lanes[2] as number, lanes[3] as number);
  return firstNonFinite;
}

/** Mixes four finished FNV lanes into the two words of `contentHash`. */
export function finishLanes(a: number, b: number, c: number, d: number): void {
  contentHash.high = fmix32(a + Math.imul(b, MIX_A[0]) + Math.imul(c, MIX_A[1]) + Math.imul(d, MIX_A[2]));
  contentHash.low = fmix32(d + Math.imul(c, MIX_B[0]) + Math.imul(b, MIX_B[1]) + Math.imul(a, MIX_B[2]));
}

function resetLanes(): void {
  lanes[0] = LANE_OFFSETS[0];
  lanes[1] = LANE_OFFSETS[1];
  lanes[2] = LANE_OFFSETS[2];
  lanes[3] = LANE_OFFSETS[3];
}

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
  hashContent(colors, precision > 0 && Number.isFinite(precision) ? 1 / precision : 0, certainty);
  return `${dims.rows}x${dims.cols}x${dims.layers}:${hex8(contentHash.high)}${hex8(contentHash.low)}`;
}

// 2^32 + h has nine hex digits whatever h is: dropping the first gives eight, no padStart needed.
const hex8 = (h: number): string => (0x100000000 + (h >>> 0)).toString(16).slice(1);

/** murmur3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
export function fmix32(h: number): number {
  let x = h | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/**
 * The fast path: for v = x · scale + 0.5 in [0, 2^31), truncation (`v | 0`, one instruction) is
 * floor(v), where Math.floor costs several times more. Returns false (lanes undefined) when some
 * value is negative, too large or not finite: the caller then takes the exact path. The loop's
 * constants are literals: V8 re-reads a module-level const on every iteration (measured 1.4x).
 */
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
    // 2^31 bounds the words; NaN fails every comparison. Never taken on ordinary data: predicted.
    if (
      !(
        v0 >= 0 &&
        v0 < 2147483648 &&
        v1 >= 0 &&
        v1 < 2147483648 &&
        v2 >= 0 &&
        v2 < 2147483648 &&
        v3 >= 0 &&
        v3 < 2147483648
      )
    )
      regular = false;
    a = Math.imul(a ^ (v0 | 0), 0x01000193);
    b = Math.imul(b ^ (v1 | 0), 0x01000193);
    c = Math.imul(c ^ (v2 | 0), 0x01000193);
    d = Math.imul(d ^ (v3 | 0), 0x01000193);
  }
  for (; i < values.length; i++) {
    const v = (values[i] as number) * scale + 0.5;
    if (!(v >= 0 && v < 2147483648)) regular = false;
    a = Math.imul(a ^ (v | 0), 0x01000193);
  }
  lanes[0] = a;
  lanes[1] = b;
  lanes[2] = c;
  lanes[3] = d;
  return regular;
}

/**
 * The exact path: one word per int32 quantised value (the same word the fast path hashes), marker or
 * double words for the others. Returns the index of the first non-finite value, or -1.
 */
function hashExact(values: Float32Array, quantise: boolean, scale: number): number {
  let firstNonFinite = -1;
  mixInto(0, values.length);
  const blocks = values.length - (values.length % 4);
  for (let i = 0; i < values.length; i++) {
    const x = values[i] ?? 0;
    const q = quantise ? Math.floor(x * scale + 0.5) : x;
    const lane = i < blocks ? i % 4 : 0;
    if (q === (q | 0)) {
      mixInto(lane, q);
      continue;
    }
    if (!Number.isFinite(q) && firstNonFinite < 0) firstNonFinite = i;
    if (Number.isNaN(q)) mixInto(lane, NAN_WORD);
    else if (q === Number.POSITIVE_INFINITY) mixInto(lane, POS_INF_WORD);
    else if (q === Number.NEGATIVE_INFINITY) mixInto(lane, NEG_INF_WORD);
    else {
      scratch[0] = q;
      mixInto(lane, scratchWords[0] ?? 0);
      mixInto(lane, scratchWords[1] ?? 0);
    }
  }
  return firstNonFinite;
}

function mixInto(lane: number, word: number): void {
  lanes[lane] = Math.imul((lanes[lane] ?? 0) ^ word, FNV_PRIME);
}
