import type { EmbeddingMapperOptions } from "@dreampool/embedding";
import { attempt, type DreamResult, err, indexCorrupted, invalidConfiguration, ok } from "@dreampool/errors";
import { BiasProfile } from "@dreampool/scoring";
import { crc32 } from "@dreampool/soft-index";
import { tensorToBytes } from "@dreampool/tensor";
import { resolveConfig } from "../config.js";
import { createPoolState } from "../pool-factory.js";
import type { PoolState } from "../pool-state.js";
import { cacheFingerprintOf } from "../query-embedding.js";
import type { DreamPoolOptions, ResolvedPoolConfig } from "../types.js";
import { ByteReader, ByteWriter } from "./byte-io.js";
import { readEntries } from "./entry-decoder.js";
import { classToByte, spectralNumbers } from "./fields.js";

/** "DRMPOOL" + NUL: the first eight bytes of every pool snapshot. */
export const SNAPSHOT_MAGIC: readonly number[] = [0x44, 0x52, 0x4d, 0x50, 0x4f, 0x4f, 0x4c, 0x00];
export const SNAPSHOT_FORMAT_VERSION = 1;
const HEADER_BYTES = SNAPSHOT_MAGIC.length + 4;
const TRAILER_BYTES = 4;

export interface SnapshotLoadOptions {
  /** Time source of the restored pool (clocks are not stored). */
  readonly clock?: () => number;
  /**
   * Mapper options the caller expects. When given, their fingerprint must equal the stored one,
   * or the load fails with InvalidConfiguration (the stored vectors would be in another space).
   */
  readonly embedding?: EmbeddingMapperOptions;
}

/**
 * Snapshot layout (little-endian), version 1:
 *   magic[8] · u32 version · body · u32 CRC-32 of everything before it
 *   body = config JSON · encoder fingerprint · bias profile JSON · counters JSON · u32 n ·
 *          n entries (insertion order) · u32 n · eviction order as n u32 entry ordinals
 *   entry = id · f64 seq · tensor block (tensorToBytes) · f64 energy, coherence, violation ·
 *           u8 flags (1 grad, 2 mask) · [grad f32 × 3·cells] · [mask f32 × 3·cells] · result meta
 *           JSON · entry meta JSON · u8 class (255 = none) · f64 × 8 spectral · u32 dim ·
 *           f32 × dim embedding · f64 utility mean (NaN = none) · f64 utility count ·
 *           f64 usage count · f64 createdAt · f64 lastUsedAt
 * Strings and blocks are u32 length + bytes. The index is not stored: loading re-inserts the stored
 * embeddings in insertion order into a fresh index of the configured kind. That keeps the file
 * portable (no native hnswlib binary to trust), verifiable (every byte is checked here) and lets
 * a file written with one index kind load into the other.
 */
export function encodeSnapshot(state: PoolState): DreamResult<Uint8Array> {
  const w = new ByteWriter();
  w.bytes(Uint8Array.from(SNAPSHOT_MAGIC));
  w.u32(SNAPSHOT_FORMAT_VERSION);
  w.string(JSON.stringify(state.config));
  w.string(state.mapper.fingerprint);
  w.string(JSON.stringify(state.bias.toJSON()));
  w.string(JSON.stringify({ nextId: state.nextId, nextSeq: state.nextSeq, counters: state.counters }));
  w.u32(state.entries.size);
  const ordinal = new Map<string, number>();
  for (const e of state.entries.values()) {
    ordinal.set(e.id, ordinal.size);
    w.string(e.id);
    w.f64(e.seq);
    w.block(tensorToBytes(e.tensor));
    w.f64(e.result.energy);
    w.f64(e.result.coherence);
    w.f64(e.result.violation);
    w.u8((e.result.grad ? 1 : 0) | (e.result.mask ? 2 : 0));
    if (e.result.grad) w.float32s(e.result.grad);
    if (e.result.mask) w.float32s(e.result.mask);
    w.string(JSON.stringify(e.result.meta));
    w.string(JSON.stringify(e.meta));
    w.u8(classToByte(e.classLabel));
    for (const x of spectralNumbers(e.spectral)) w.f64(x);
    w.u32(e.embedding.length);
    w.float32s(e.embedding);
    w.f64(e.utility.mean ?? Number.NaN);
    w.f64(e.utility.count);
    w.f64(e.usageCount);
    w.f64(e.createdAt);
    w.f64(e.lastUsedAt);
  }
  w.u32(state.order.size);
  for (const record of state.order.victims()) w.u32(ordinal.get(record.id) as number);
  const body = w.finish();
  const out = new Uint8Array(body.length + TRAILER_BYTES);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body), true);
  return ok(out);
}

/** The options that reproduce a stored config (nulls become "not set"). */
function optionsOf(config: ResolvedPoolConfig, load: SnapshotLoadOptions | undefined): DreamPoolOptions {
  const { memoryBudgetBytes, recencyHalfLifeMs, ...rest } = config;
  return {
    ...rest,
    ...(memoryBudgetBytes === null ? {} : { memoryBudgetBytes }),
    ...(recencyHalfLifeMs === null ? {} : { recencyHalfLifeMs }),
    ...(load?.clock ? { clock: load.clock } : {}),
    ...(load?.embedding ? { embedding: load.embedding } : {}),
  };
}

/**
 * Checks and decodes a snapshot into a fresh pool state: magic, version, CRC-32, config, encoder
 * fingerprint, then every entry with its sizes checked against the bytes present before anything
 * is allocated. Damage is IndexCorrupted; a config or encoder that does not match is InvalidConfiguration.
 */
export function decodeSnapshot(bytes: Uint8Array, load?: SnapshotLoadOptions): DreamResult<PoolState> {
  // Every check below returns an error; this boundary only turns a bug in them into an error too,
  // so a hostile file can never crash the caller.
  const decoded = attempt(
    () => decodeChecked(bytes, load),
    (thrown) =>
      indexCorrupted(
        `snapshot could not be decoded: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
      ),
  );
  return decoded.ok ? decoded.value : decoded;
}

function decodeChecked(bytes: Uint8Array, load: SnapshotLoadOptions | undefined): DreamResult<PoolState> {
  if (!(bytes instanceof Uint8Array)) return err(indexCorrupted("snapshot must be a Uint8Array"));
  if (bytes.length < HEADER_BYTES + TRAILER_BYTES) {
    return err(
      indexCorrupted(
        `snapshot truncated: ${bytes.length} bytes, a header and checksum need ${HEADER_BYTES + TRAILER_BYTES}`,
      ),
    );
  }
  for (let i = 0; i < SNAPSHOT_MAGIC.length; i++) {
    if (bytes[i] !== SNAPSHOT_MAGIC[i])
      return err(indexCorrupted(`not a DreamPool snapshot: bad magic at byte ${i}`));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(SNAPSHOT_MAGIC.length, true);
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    return err(
      indexCorrupted(
        `unsupported snapshot format version ${version} (this build reads ${SNAPSHOT_FORMAT_VERSION})`,
      ),
    );
  }
  const bodyEnd = bytes.length - TRAILER_BYTES;
  const stored = view.getUint32(bodyEnd, true);
  const actual = crc32(bytes.subarray(0, bodyEnd));
  if (stored !== actual) {
    return err(
      indexCorrupted(
        `snapshot checksum mismatch: stored 0x${hex(stored)}, computed 0x${hex(actual)} (truncated or damaged file)`,
      ),
    );
  }
  const r = new ByteReader(bytes.subarray(0, bodyEnd));
  const skipped = r.bytes(HEADER_BYTES, "header");
  if (!skipped.ok) return skipped;

  const configText = r.string("config");
  if (!configText.ok) return configText;
  const configJson = parseJson(configText.value, "config");
  if (!configJson.ok) return configJson;
  const storedConfig = configJson.value;
  if (typeof storedConfig !== "object" || storedConfig === null || Array.isArray(storedConfig)) {
    return err(indexCorrupted("snapshot config is not a JSON object"));
  }
  const config = resolveConfig(optionsOf(storedConfig as ResolvedPoolConfig, load));
  if (!config.ok) return config;
  const fingerprint = r.string("fingerprint");
  if (!fingerprint.ok) return fingerprint;
  const biasText = r.string("bias profile");
  if (!biasText.ok) return biasText;
  const biasJson = parseJson(biasText.value, "bias profile");
  if (!biasJson.ok) return biasJson;
  const bias = BiasProfile.fromJSON(biasJson.value);
  if (!bias.ok) return err(indexCorrupted(`snapshot bias profile: ${bias.error.message}`));
  const countersText = r.string("counters");
  if (!countersText.ok) return countersText;
  const counters = parseJson(countersText.value, "counters");
  if (!counters.ok) return counters;

  const created = createPoolState(config.value, load?.clock ?? Date.now);
  if (!created.ok) return created;
  const state = created.value;
  if (state.mapper.fingerprint !== fingerprint.value) {
    return err(
      invalidConfiguration(
        "embedding",
        state.mapper.fingerprint,
        `encoder fingerprint differs from the snapshot's ${JSON.stringify(fingerprint.value)}: its vectors are in another embedding space`,
      ),
    );
  }
  const filled = readEntries(r, state, counters.value);
  if (!filled.ok) return filled;
  if (r.remaining !== 0)
    return err(indexCorrupted(`snapshot has ${r.remaining} unexpected bytes after the eviction order`));
  state.bias = bias.value;
  state.cacheFingerprint = cacheFingerprintOf(state.mapper, bias.value);
  return ok(state);
}

function parseJson(text: string, what: string): DreamResult<unknown> {
  try {
    return ok(JSON.parse(text));
  } catch {
    return err(indexCorrupted(`snapshot ${what} is not valid JSON`));
  }
}

const hex = (n: number) => n.toString(16).padStart(8, "0");
