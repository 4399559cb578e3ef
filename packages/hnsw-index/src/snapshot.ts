import { createHash } from "node:crypto";
import { type DreamResult, err, indexCorrupted, ok } from "@dreampool/errors";
import { crc32, METRICS, type Metric } from "@dreampool/soft-index";
import { readNativeHeader } from "./native-file.js";
import { MAX_CAPACITY } from "./options.js";

/**
 * One snapshot = one buffer (and one file, so a save is a single atomic rename):
 *   "DPHNSWIX" | u32 LE format version | u32 LE sidecar length | sidecar JSON (utf-8) |
 *   u32 LE CRC-32 of everything before it | hnswlib binary
 * The sidecar says what the binary cannot (metric, dim, parameters, our id <-> label map) and carries
 * the binary's length and SHA-256, so truncation or bit rot is caught before hnswlib reads a byte.
 * The CRC covers the header and the sidecar: without it a flipped byte inside an id or a parameter
 * can still be valid JSON and load silently as a different index (version 1 had no CRC).
 */
export const SNAPSHOT_MAGIC = "DPHNSWIX";
export const SNAPSHOT_FORMAT_VERSION = 2;
const PREAMBLE_BYTES = 16;
const SIDECAR_CRC_BYTES = 4;

export interface SnapshotSidecar {
  readonly metric: Metric;
  readonly dim: number;
  readonly m: number;
  readonly efConstruction: number;
  readonly ef: number;
  readonly seed: number;
  readonly initialCapacity: number;
  readonly compactionThreshold: number;
  readonly exactFallbackRatio: number;
  /** hnswlib maxElements. */
  readonly capacity: number;
  /** hnswlib element count: live entries + tombstones. */
  readonly slots: number;
  readonly tombstones: number;
  readonly nextLabel: number;
  readonly rebuilds: number;
  /** [id, label] of every live entry. */
  readonly entries: readonly (readonly [string, number])[];
}

interface StoredSidecar extends SnapshotSidecar {
  readonly native: { readonly bytes: number; readonly sha256: string };
}

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

export function encodeSnapshot(sidecar: SnapshotSidecar, native: Uint8Array): Uint8Array {
  const stored: StoredSidecar = { ...sidecar, native: { bytes: native.length, sha256: sha256(native) } };
  const json = new TextEncoder().encode(JSON.stringify(stored));
  const crcAt = PREAMBLE_BYTES + json.length;
  const out = new Uint8Array(crcAt + SIDECAR_CRC_BYTES + native.length);
  out.set(new TextEncoder().encode(SNAPSHOT_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, SNAPSHOT_FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  out.set(json, PREAMBLE_BYTES);
  view.setUint32(crcAt, crc32(out.subarray(0, crcAt)), true);
  out.set(native, crcAt + SIDECAR_CRC_BYTES);
  return out;
}

const corrupted = <T>(details: string): DreamResult<T> =>
  err(indexCorrupted(`HnswIndex snapshot: ${details}`));

/** Splits and verifies a snapshot; everything is checked before the native part is used. */
export function decodeSnapshot(
  bytes: Uint8Array,
): DreamResult<{ sidecar: SnapshotSidecar; native: Uint8Array }> {
  if (!(bytes instanceof Uint8Array)) return corrupted("expected a Uint8Array");
  if (bytes.length < PREAMBLE_BYTES) return corrupted(`${bytes.length} bytes is shorter than the header`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== SNAPSHOT_MAGIC)
    return corrupted(`bad magic ${JSON.stringify(magic)}, not an HnswIndex snapshot`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    return corrupted(
      `format version ${version} is not supported (this build reads ${SNAPSHOT_FORMAT_VERSION})`,
    );
  }
  const jsonLength = view.getUint32(12, true);
  const crcAt = PREAMBLE_BYTES + jsonLength;
  if (crcAt + SIDECAR_CRC_BYTES > bytes.length) return corrupted("sidecar runs past the end (truncated?)");
  if (view.getUint32(crcAt, true) !== crc32(bytes.subarray(0, crcAt)))
    return corrupted("header or sidecar fails its CRC-32 check (damaged file)");
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + jsonLength)),
    );
  } catch {
    return corrupted("sidecar is not valid JSON");
  }
  const sidecar = checkSidecar(parsed);
  if (!sidecar.ok) return sidecar;
  const s = sidecar.value;
  const native = bytes.subarray(crcAt + SIDECAR_CRC_BYTES);
  if (native.length !== s.native.bytes) {
    return corrupted(`hnswlib binary has ${native.length} bytes, the sidecar recorded ${s.native.bytes}`);
  }
  if (sha256(native) !== s.native.sha256) return corrupted("hnswlib binary fails its SHA-256 check");
  const header = readNativeHeader(native);
  if (header === null) return corrupted("hnswlib binary is shorter than its header");
  if (header.rowBytes !== 4 * s.dim) {
    return corrupted(
      `hnswlib binary holds ${header.rowBytes / 4}-dimensional rows, the sidecar says dim ${s.dim}`,
    );
  }
  if (header.elementCount !== s.slots || header.maxElements !== s.capacity || header.m !== s.m) {
    return corrupted(
      `hnswlib header (count ${header.elementCount}, capacity ${header.maxElements}, M ${header.m}) ` +
        `disagrees with the sidecar (slots ${s.slots}, capacity ${s.capacity}, m ${s.m})`,
    );
  }
  return ok({ sidecar: s, native });
}

const isInt = (x: unknown, min: number, max: number): x is number =>
  typeof x === "number" && Number.isInteger(x) && x >= min && x <= max;
const isRatio = (x: unknown, low: number): x is number => typeof x === "number" && x >= low && x <= 1;

function checkSidecar(value: unknown): DreamResult<StoredSidecar> {
  if (typeof value !== "object" || value === null) return corrupted("sidecar is not an object");
  const s = value as Record<string, unknown>;
  const fields: [string, boolean][] = [
    ["metric", METRICS.includes(s.metric as Metric)],
    ["dim", isInt(s.dim, 1, 65_536)],
    ["m", isInt(s.m, 2, 1024)],
    ["efConstruction", isInt(s.efConstruction, 1, 1_000_000)],
    ["ef", isInt(s.ef, 1, 1_000_000)],
    ["seed", isInt(s.seed, 0, 2 ** 32 - 1)],
    ["initialCapacity", isInt(s.initialCapacity, 1, MAX_CAPACITY)],
    ["compactionThreshold", isRatio(s.compactionThreshold, Number.MIN_VALUE)],
    ["exactFallbackRatio", isRatio(s.exactFallbackRatio, 0)],
    ["capacity", isInt(s.capacity, 1, MAX_CAPACITY)],
    ["slots", isInt(s.slots, 0, MAX_CAPACITY)],
    ["tombstones", isInt(s.tombstones, 0, MAX_CAPACITY)],
    ["nextLabel", isInt(s.nextLabel, 0, 2 ** 32 - 1)],
    ["rebuilds", isInt(s.rebuilds, 0, Number.MAX_SAFE_INTEGER)],
    ["entries", Array.isArray(s.entries)],
    ["native", typeof s.native === "object" && s.native !== null],
  ];
  for (const [field, valid] of fields)
    if (!valid) return corrupted(`sidecar field ${field} is missing or invalid`);
  const sidecar = s as unknown as StoredSidecar;
  const { bytes, sha256: digest } = sidecar.native;
  if (!isInt(bytes, 0, Number.MAX_SAFE_INTEGER) || typeof digest !== "string") {
    return corrupted("sidecar field native is invalid");
  }
  if (sidecar.slots > sidecar.capacity || sidecar.entries.length + sidecar.tombstones !== sidecar.slots) {
    return corrupted(
      `sidecar counts disagree: ${sidecar.entries.length} entries + ${sidecar.tombstones} tombstones ` +
        `!= ${sidecar.slots} slots (capacity ${sidecar.capacity})`,
    );
  }
  const ids = new Set<string>();
  const labels = new Set<number>();
  for (const entry of sidecar.entries) {
    const [id, label] = Array.isArray(entry) ? entry : [];
    if (
      typeof id !== "string" ||
      !isInt(label, 0, sidecar.nextLabel - 1) ||
      ids.has(id) ||
      labels.has(label)
    ) {
      return corrupted(`sidecar label map entry ${JSON.stringify(entry)} is invalid or duplicated`);
    }
    ids.add(id);
    labels.add(label);
  }
  return ok(sidecar);
}
