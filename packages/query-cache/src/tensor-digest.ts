/** A tensor shape, structurally compatible with @dreampool/tensor's TensorDims. */
export interface DigestDims {
  readonly rows: number;
  readonly cols: number;
  readonly layers: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
// A second, independent lane (different offset, murmur3's multiplier) widens the digest to 64 bits,
// so that two distinct tensors share a digest with probability ~n²/2^65 rather than ~n²/2^33.
const LANE2_OFFSET = 0x9747b28c;
const LANE2_PRIME = 0x5bd1e995;
// Non-finite colours hash to words no finite quantised value produces in that slot, so they are
// never folded into 0 (the caller's validation rejects them before they reach a cache key anyway).
const NAN_WORD = 0x7ff80000;
const POS_INF_WORD = 0x7ff00000;
const NEG_INF_WORD = 0xfff00000;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/**
 * A fast content key for a tensor's colours (and, when given, certainty): every value is quantised
 * to `precision` (round(x / precision)) and hashed with FNV-1a over its two 32-bit words, on two
 * independent lanes. Two tensors whose values round alike get the same digest, so a repeated tensor
 * query can hit the QueryCache without recomputing its spectral features. A non-positive or
 * non-finite precision hashes the exact float values (no quantisation).
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
  let h1 = FNV_OFFSET;
  let h2 = LANE2_OFFSET;
  const mix = (word: number): void => {
    h1 = Math.imul(h1 ^ word, FNV_PRIME);
    h2 = Math.imul(h2 ^ word, LANE2_PRIME);
    h2 ^= h2 >>> 15;
  };
  const hashArray = (values: Float32Array): void => {
    mix(values.length);
    for (let i = 0; i < values.length; i++) {
      const x = values[i] ?? 0;
      if (!Number.isFinite(x)) {
        mix(Number.isNaN(x) ? NAN_WORD : x > 0 ? POS_INF_WORD : NEG_INF_WORD);
        mix(i);
        continue;
      }
      const q = quantise ? Math.round(x * scale) : x;
      if (Number.isInteger(q) && Math.abs(q) <= 0x7fffffff) {
        mix(q | 0);
      } else {
        // Large or unquantised values: hash the two words of the double itself.
        scratch[0] = q;
        mix(scratchWords[0] ?? 0);
        mix(scratchWords[1] ?? 0);
      }
    }
  };
  hashArray(colors);
  if (certainty) hashArray(certainty);
  const hex = (h: number) => (h >>> 0).toString(16).padStart(8, "0");
  return `${dims.rows}x${dims.cols}x${dims.layers}:${hex(h1)}${hex(h2)}`;
}
