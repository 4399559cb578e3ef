import {
  type DreamResult,
  err,
  indexCorrupted,
  invalidParameter,
  memoryExceeded,
  ok,
} from "@dreampool/errors";
import type { Metric } from "./contract.js";
import { crc32 } from "./crc32.js";
import { readUtf8, utf8Length, writeUtf8 } from "./utf8.js";

// Snapshot layout (version 1, little-endian):
//   0  "DPEX" magic            4  u16 version          6  u8 metric code    7  u8 reserved (0)
//   8  u32 dim                12  u32 count           16  u32 id block length in bytes
//  20  id block: count x (u32 byte length + UTF-8 bytes), zero-padded to a multiple of 4
//      vectors: count x dim float32 (as stored: cosine rows are unit length)
//      u32 CRC-32 of everything before it

export const EXACT_SNAPSHOT_VERSION = 1;
const MAGIC = [0x44, 0x50, 0x45, 0x58]; // "DPEX"
const HEADER_BYTES = 20;
const METRIC_CODES: readonly Metric[] = ["cosine", "euclidean", "inner-product"];
const UNIT_NORM_TOLERANCE = 1e-3;

export interface ExactSnapshot {
  readonly metric: Metric;
  readonly dim: number;
  readonly ids: string[];
  /** id -> row (decoding builds it anyway to find duplicates). */
  readonly rowOf: Map<string, number>;
  /** count x dim, row-major. */
  readonly vectors: Float32Array;
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const padTo4 = (n: number): number => (4 - (n % 4)) % 4;

export function encodeExactSnapshot(snapshot: Omit<ExactSnapshot, "rowOf">): DreamResult<Uint8Array> {
  const { metric, dim, ids, vectors } = snapshot;
  let idBytes = 0;
  for (const id of ids) idBytes += 4 + utf8Length(id);
  const vectorOffset = HEADER_BYTES + idBytes + padTo4(idBytes);
  const total = vectorOffset + vectors.length * 4 + 4;
  let out: Uint8Array;
  try {
    out = new Uint8Array(total);
  } catch {
    return err(memoryExceeded(total, 0));
  }
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint16(4, EXACT_SNAPSHOT_VERSION, true);
  view.setUint8(6, METRIC_CODES.indexOf(metric));
  view.setUint32(8, dim, true);
  view.setUint32(12, ids.length, true);
  view.setUint32(16, idBytes, true);
  let o = HEADER_BYTES;
  for (const id of ids) {
    const end = writeUtf8(id, out, o + 4);
    view.setUint32(o, end - o - 4, true);
    o = end;
  }
  if (littleEndianHost) {
    out.set(new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.length * 4), vectorOffset);
  } else {
    for (let i = 0; i < vectors.length; i++)
      view.setFloat32(vectorOffset + 4 * i, vectors[i] as number, true);
  }
  const crcAt = total - 4;
  view.setUint32(crcAt, crc32(out.subarray(0, crcAt)), true);
  return ok(out);
}

/**
 * Parses and verifies a snapshot. Every size is checked against the actual byte length before
 * anything is allocated, so a hostile header cannot make us reserve gigabytes.
 */
export function decodeExactSnapshot(bytes: Uint8Array, maxDim: number): DreamResult<ExactSnapshot> {
  if (!(bytes instanceof Uint8Array)) {
    return err(invalidParameter("bytes", bytes, "must be a Uint8Array"));
  }
  const corrupted = (why: string) => err<ExactSnapshot>(indexCorrupted(`ExactIndex snapshot: ${why}`));
  if (bytes.length < HEADER_BYTES + 4) return corrupted(`${bytes.length} bytes is shorter than the header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (MAGIC.some((b, i) => bytes[i] !== b)) return corrupted('missing the "DPEX" magic');
  const version = view.getUint16(4, true);
  if (version !== EXACT_SNAPSHOT_VERSION) {
    return corrupted(`format version ${version} is not supported (expected ${EXACT_SNAPSHOT_VERSION})`);
  }
  const metric = METRIC_CODES[view.getUint8(6)];
  if (metric === undefined) return corrupted(`unknown metric code ${view.getUint8(6)}`);
  if (view.getUint8(7) !== 0) return corrupted("reserved header byte is not 0");
  const dim = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  const idBytes = view.getUint32(16, true);
  if (dim < 1 || dim > maxDim) return corrupted(`dim ${dim} is outside [1, ${maxDim}]`);
  const vectorOffset = HEADER_BYTES + idBytes + padTo4(idBytes);
  const expected = vectorOffset + count * dim * 4 + 4;
  if (expected !== bytes.length) {
    return corrupted(
      `header claims ${expected} bytes (dim ${dim}, count ${count}) but there are ${bytes.length}`,
    );
  }
  if (count * 4 > idBytes) return corrupted(`id block of ${idBytes} bytes cannot hold ${count} ids`);
  const crcAt = bytes.length - 4;
  if (crc32(bytes.subarray(0, crcAt)) !== view.getUint32(crcAt, true)) return corrupted("checksum mismatch");

  const ids: string[] = [];
  const rowOf = new Map<string, number>();
  let o = HEADER_BYTES;
  const idEnd = HEADER_BYTES + idBytes;
  for (let i = 0; i < count; i++) {
    if (o + 4 > idEnd) return corrupted(`id ${i} starts past the id block`);
    const length = view.getUint32(o, true);
    if (o + 4 + length > idEnd) return corrupted(`id ${i} (${length} bytes) runs past the id block`);
    const id = readUtf8(bytes, o + 4, o + 4 + length);
    if (id === null) return corrupted(`id ${i} is not valid UTF-8`);
    if (rowOf.has(id)) return corrupted(`id ${JSON.stringify(id)} appears twice`);
    rowOf.set(id, i);
    ids.push(id);
    o += 4 + length;
  }
  if (o !== idEnd) return corrupted(`id block has ${idEnd - o} unused bytes`);
  for (let p = idEnd; p < vectorOffset; p++)
    if (bytes[p] !== 0) return corrupted("id block padding is not 0");

  const vectors = new Float32Array(count * dim);
  if (littleEndianHost) {
    new Uint8Array(vectors.buffer).set(bytes.subarray(vectorOffset, vectorOffset + vectors.length * 4));
  } else {
    for (let i = 0; i < vectors.length; i++) vectors[i] = view.getFloat32(vectorOffset + 4 * i, true);
  }
  for (let row = 0; row < count; row++) {
    let sumSquares = 0;
    for (let j = row * dim; j < row * dim + dim; j++) {
      const x = vectors[j] as number;
      if (!Number.isFinite(x)) return corrupted(`vector ${row} has a non-finite component`);
      sumSquares += x * x;
    }
    if (metric === "cosine" && Math.abs(Math.sqrt(sumSquares) - 1) > UNIT_NORM_TOLERANCE) {
      return corrupted(`cosine vector ${row} is not unit length (norm ${Math.sqrt(sumSquares)})`);
    }
  }
  return ok({ metric, dim, ids, rowOf, vectors });
}
