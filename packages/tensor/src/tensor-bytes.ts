import { type DreamResult, err, indexCorrupted, invalidParameter, ok } from "@dreampool/errors";
import { ChromaticTensor, MAX_TENSOR_CELLS, type TensorDims, validateDims } from "./chromatic-tensor.js";
import { readFloat32LE, writeFloat32LE } from "./float32-le.js";
import { validateTensor } from "./tensor-check.js";

// Binary form, version 1, little-endian throughout:
//   offset  0  4 bytes  magic "DPCT" (dreampool chromatic tensor)
//           4  u16      format version (1)
//           6  u16      flags (0; reserved)
//           8  u32      rows
//          12  u32      cols
//          16  u32      layers
//          20  f32[cells·3] colours, in memory order ((r·cols + c)·layers + l)·3 + ch
//              f32[cells]   certainty
// Float32 values are stored bit for bit, so decoding gives back exactly the encoded tensor.

/** The four magic bytes that open every encoded tensor: "DPCT". */
export const TENSOR_MAGIC: readonly number[] = [0x44, 0x50, 0x43, 0x54];
/** The binary format version this build writes (and the only one it reads). */
export const TENSOR_FORMAT_VERSION = 1;
/** Bytes before the colour payload. */
export const TENSOR_HEADER_BYTES = 20;

/** Encoded size in bytes of a tensor with these dims (header + 16 bytes per cell). */
export function tensorByteLength(dims: TensorDims): DreamResult<number> {
  if (typeof dims !== "object" || dims === null)
    return err(invalidParameter("dims", dims, "must be { rows, cols, layers }"));
  const e = validateDims(dims.rows, dims.cols, dims.layers);
  if (e) return err(e);
  return ok(TENSOR_HEADER_BYTES + 16 * dims.rows * dims.cols * dims.layers);
}

/**
 * Writes the binary form of `t` into `target` at `offset` and returns the offset just past it.
 * Lets a snapshot writer place many tensors in one buffer sized with `tensorByteLength`.
 */
export function writeTensorBytes(t: ChromaticTensor, target: Uint8Array, offset = 0): DreamResult<number> {
  const tensorError = validateTensor("t", t);
  if (tensorError) return err(tensorError);
  if (!(target instanceof Uint8Array)) return err(invalidParameter("target", target, "must be a Uint8Array"));
  const length = TENSOR_HEADER_BYTES + 4 * (t.colors.length + t.certainty.length);
  if (!Number.isInteger(offset) || offset < 0 || offset + length > target.length) {
    return err(
      invalidParameter("offset", offset, `must be an integer with offset + ${length} <= ${target.length}`),
    );
  }
  const view = new DataView(target.buffer, target.byteOffset + offset, length);
  for (let i = 0; i < TENSOR_MAGIC.length; i++) view.setUint8(i, TENSOR_MAGIC[i]!);
  view.setUint16(4, TENSOR_FORMAT_VERSION, true);
  view.setUint16(6, 0, true);
  view.setUint32(8, t.rows, true);
  view.setUint32(12, t.cols, true);
  view.setUint32(16, t.layers, true);
  const payload = TENSOR_HEADER_BYTES;
  const certaintyAt = payload + 4 * t.colors.length;
  writeFloat32LE(t.colors, target, offset + payload);
  writeFloat32LE(t.certainty, target, offset + certaintyAt);
  return ok(offset + length);
}

/** The binary form of `t`: `tensorByteLength(t.dims)` bytes, exact round trip through `tensorFromBytes`. */
export function tensorToBytes(t: ChromaticTensor): Uint8Array {
  const out = new Uint8Array(TENSOR_HEADER_BYTES + 4 * (t.colors.length + t.certainty.length));
  writeTensorBytes(t, out, 0);
  return out;
}

function firstNonFinite(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return i;
  return -1;
}

/**
 * Decodes one tensor starting at `offset` and returns it with the offset just past it, so that
 * tensors can be read one after another from a larger buffer. Checks the header and the declared
 * size against the bytes actually present before allocating anything.
 */
export function tensorFromBytesAt(
  bytes: Uint8Array,
  offset = 0,
): DreamResult<{ tensor: ChromaticTensor; end: number }> {
  if (!(bytes instanceof Uint8Array)) return err(invalidParameter("bytes", bytes, "must be a Uint8Array"));
  if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length)
    return err(invalidParameter("offset", offset, `must be an integer in [0, ${bytes.length}]`));
  const available = bytes.length - offset;
  if (available < TENSOR_HEADER_BYTES) {
    return err(
      indexCorrupted(`tensor truncated: ${available} bytes, the header alone needs ${TENSOR_HEADER_BYTES}`),
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, TENSOR_HEADER_BYTES);
  for (let i = 0; i < TENSOR_MAGIC.length; i++) {
    if (view.getUint8(i) !== TENSOR_MAGIC[i]) {
      return err(indexCorrupted(`not an encoded tensor: bad magic at byte ${offset + i}`));
    }
  }
  const version = view.getUint16(4, true);
  if (version !== TENSOR_FORMAT_VERSION) {
    return err(
      indexCorrupted(
        `unsupported tensor format version ${version} (this build reads ${TENSOR_FORMAT_VERSION})`,
      ),
    );
  }
  const flags = view.getUint16(6, true);
  if (flags !== 0) return err(indexCorrupted(`unknown tensor flags 0x${flags.toString(16)} (expected 0)`));
  const rows = view.getUint32(8, true);
  const cols = view.getUint32(12, true);
  const layers = view.getUint32(16, true);
  const cells = rows * cols * layers; // exact in float64: each factor < 2^32
  if (rows < 1 || cols < 1 || layers < 1 || cells > MAX_TENSOR_CELLS) {
    return err(
      indexCorrupted(
        `tensor header declares ${rows}x${cols}x${layers}; each dim must be >= 1 with at most ${MAX_TENSOR_CELLS} cells`,
      ),
    );
  }
  const length = TENSOR_HEADER_BYTES + 16 * cells;
  if (available < length) {
    return err(
      indexCorrupted(`tensor truncated: ${rows}x${cols}x${layers} needs ${length} bytes, got ${available}`),
    );
  }
  const colorsAt = offset + TENSOR_HEADER_BYTES;
  const colors = readFloat32LE(bytes, colorsAt, cells * 3);
  const certainty = readFloat32LE(bytes, colorsAt + 12 * cells, cells);
  const badColor = firstNonFinite(colors);
  if (badColor >= 0) return err(indexCorrupted(`tensor colors[${badColor}] is ${colors[badColor]}`));
  const badCertainty = firstNonFinite(certainty);
  if (badCertainty >= 0)
    return err(indexCorrupted(`tensor certainty[${badCertainty}] is ${certainty[badCertainty]}`));
  return ok({
    tensor: ChromaticTensor.unsafeCreate({ rows, cols, layers }, colors, certainty),
    end: offset + length,
  });
}

/** Decodes a tensor written by `tensorToBytes`; the input must be exactly one encoded tensor. */
export function tensorFromBytes(bytes: Uint8Array): DreamResult<ChromaticTensor> {
  const decoded = tensorFromBytesAt(bytes, 0);
  if (!decoded.ok) return decoded;
  if (decoded.value.end !== bytes.length) {
    return err(
      indexCorrupted(
        `tensor has ${bytes.length - decoded.value.end} trailing bytes after ${decoded.value.end}`,
      ),
    );
  }
  return ok(decoded.value.tensor);
}
