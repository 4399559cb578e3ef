import { type DreamResult, err, indexCorrupted, memoryExceeded, ok } from "@dreampool/errors";
import { type SolverResult, tensorFromBytes } from "@dreampool/tensor";
import { entryBytesOf, isZero, liveVectors } from "../add-path.js";
import { checkMeta } from "../entry-input.js";
import { EntryRecord } from "../entry-record.js";
import type { PoolCounters, PoolState } from "../pool-state.js";
import type { Meta } from "../types.js";
import type { ByteReader } from "./byte-io.js";
import { classFromByte, spectralFromNumbers } from "./fields.js";

// The fewest bytes an entry can take (empty strings, a 1-cell tensor, dim-1 embedding): a count
// claiming more entries than the remaining bytes can hold is refused before anything is allocated.
const MIN_ENTRY_BYTES = 4 + 8 + 4 + 36 + 24 + 1 + 4 + 4 + 1 + 64 + 4 + 4 + 40;

type Read<T> = DreamResult<T>;

const corrupted = <T>(message: string): Read<T> => err(indexCorrupted(`snapshot ${message}`));

function finite(r: ByteReader, what: string): Read<number> {
  const v = r.f64(what);
  if (!v.ok) return v;
  return Number.isFinite(v.value) ? v : corrupted(`${what} is not finite (${v.value})`);
}

function count(r: ByteReader, what: string): Read<number> {
  const v = r.f64(what);
  if (!v.ok) return v;
  return Number.isSafeInteger(v.value) && v.value >= 0
    ? v
    : corrupted(`${what} must be a non-negative integer, got ${v.value}`);
}

function jsonMeta(r: ByteReader, what: string): Read<Meta> {
  const text = r.string(what);
  if (!text.ok) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.value);
  } catch {
    return corrupted(`${what} is not valid JSON`);
  }
  const bad = checkMeta(what, parsed);
  return bad ? corrupted(bad.message) : ok(Object.freeze(parsed as Meta));
}

/** Reads one entry; every field is checked (a hostile file gets IndexCorrupted, never a bad entry). */
function readEntry(r: ByteReader, state: PoolState, at: string): Read<EntryRecord> {
  const id = r.string(`${at} id`);
  if (!id.ok) return id;
  const prefix = state.config.idPrefix;
  const serial = id.value.startsWith(prefix) ? id.value.slice(prefix.length) : "";
  if (!/^[1-9][0-9]{0,15}$/.test(serial) || state.entries.has(id.value)) {
    return corrupted(`${at} id ${JSON.stringify(id.value)} is not a fresh "${prefix}<n>" id`);
  }
  const seq = count(r, `${at} seq`);
  if (!seq.ok) return seq;
  const tensorBlock = r.block(`${at} tensor`);
  if (!tensorBlock.ok) return tensorBlock;
  const tensor = tensorFromBytes(tensorBlock.value);
  if (!tensor.ok) return corrupted(`${at} tensor: ${tensor.error.message}`);
  const numbers: number[] = [];
  for (const field of ["energy", "coherence", "violation"]) {
    const v = finite(r, `${at} ${field}`);
    if (!v.ok) return v;
    numbers.push(v.value);
  }
  const flags = r.u8(`${at} flags`);
  if (!flags.ok) return flags;
  if (flags.value > 3) return corrupted(`${at} has unknown flags ${flags.value}`);
  const arrayLength = tensor.value.colors.length;
  let grad: Float32Array | undefined;
  let mask: Float32Array | undefined;
  if (flags.value & 1) {
    const g = r.float32s(arrayLength, `${at} grad`);
    if (!g.ok) return g;
    grad = g.value;
  }
  if (flags.value & 2) {
    const m = r.float32s(arrayLength, `${at} mask`);
    if (!m.ok) return m;
    mask = m.value;
  }
  const resultMeta = jsonMeta(r, `${at} result meta`);
  if (!resultMeta.ok) return resultMeta;
  const meta = jsonMeta(r, `${at} meta`);
  if (!meta.ok) return meta;
  const classByte = r.u8(`${at} class`);
  if (!classByte.ok) return classByte;
  const classLabel = classFromByte(classByte.value);
  if (classLabel === undefined) return corrupted(`${at} class byte ${classByte.value} is not a class`);
  const s: number[] = [];
  for (let i = 0; i < 8; i++) {
    const v = finite(r, `${at} spectral[${i}]`);
    if (!v.ok) return v;
    s.push(v.value);
  }
  const spectral = spectralFromNumbers(s);
  const dim = r.u32(`${at} embedding dim`);
  if (!dim.ok) return dim;
  if (dim.value !== state.mapper.dim)
    return corrupted(`${at} embedding has ${dim.value} components, the mapper makes ${state.mapper.dim}`);
  const embedding = r.float32s(dim.value, `${at} embedding`);
  if (!embedding.ok) return embedding;
  const mean = r.f64(`${at} utility mean`);
  if (!mean.ok) return mean;
  const uses = [] as number[];
  for (const field of ["utility count", "usage count"]) {
    const v = count(r, `${at} ${field}`);
    if (!v.ok) return v;
    uses.push(v.value);
  }
  const [utilityCount, usageCount] = uses as [number, number];
  if (
    Number.isNaN(mean.value) !== (utilityCount === 0) ||
    (!Number.isNaN(mean.value) && !(Math.abs(mean.value) <= 1))
  ) {
    return corrupted(`${at} utility (${mean.value} over ${utilityCount}) is inconsistent`);
  }
  const createdAt = finite(r, `${at} createdAt`);
  if (!createdAt.ok) return createdAt;
  const lastUsedAt = finite(r, `${at} lastUsedAt`);
  if (!lastUsedAt.ok) return lastUsedAt;

  const result: SolverResult = Object.freeze({
    energy: numbers[0] as number,
    coherence: numbers[1] as number,
    violation: numbers[2] as number,
    ...(grad ? { grad } : {}),
    ...(mask ? { mask } : {}),
    meta: resultMeta.value as Record<string, number | string | boolean>,
  });
  const t = tensor.value;
  const chroma = t.meanRgb();
  const bytes = entryBytesOf(state, t, result, meta.value);
  const record = new EntryRecord(
    id.value,
    seq.value,
    t,
    result,
    chroma,
    classLabel,
    spectral,
    embedding.value,
    bytes,
    meta.value,
    createdAt.value,
  );
  record.usageCount = usageCount;
  record.lastUsedAt = lastUsedAt.value;
  record.utilityMean = Number.isNaN(mean.value) ? null : mean.value;
  record.utilityCount = utilityCount;
  return ok(record);
}

/** Reads the entries and the eviction order into an empty state, building its indices. */
export function readEntries(r: ByteReader, state: PoolState, countersJson: unknown): Read<void> {
  const n = r.u32("entry count");
  if (!n.ok) return n;
  if (n.value > state.config.maxSize)
    return corrupted(`holds ${n.value} entries, more than its maxSize ${state.config.maxSize}`);
  if (n.value * MIN_ENTRY_BYTES > r.remaining) {
    return corrupted(`claims ${n.value} entries but only ${r.remaining} bytes follow`);
  }
  const byOrdinal: EntryRecord[] = [];
  let maxSeq = -1;
  let maxSerial = 0;
  for (let i = 0; i < n.value; i++) {
    const record = readEntry(r, state, `entry ${i}`);
    if (!record.ok) return record;
    const e = record.value;
    if (e.seq <= maxSeq) return corrupted(`entry ${i} is out of insertion order`);
    maxSeq = e.seq;
    maxSerial = Math.max(maxSerial, Number(e.id.slice(state.config.idPrefix.length)));
    if (state.budget && !state.budget.charge(e.bytes).ok) {
      return err(memoryExceeded(e.bytes, state.budget.available));
    }
    if (isZero(e.chroma)) state.zeroChroma.add(e.id);
    else {
      const added = state.chromaIndex.add(e.id, Float32Array.from(e.chroma));
      if (!added.ok) return corrupted(`entry ${i} chroma: ${added.error.message}`);
    }
    const indexed = state.embeddingIndex.add(e.id, e.embedding);
    if (!indexed.ok) return corrupted(`entry ${i} embedding: ${indexed.error.message}`);
    state.entries.set(e.id, e);
    state.scoreBounds.insert(e);
    state.usedBytes += e.bytes;
    byOrdinal.push(e);
  }
  const orderCount = r.u32("eviction order count");
  if (!orderCount.ok) return orderCount;
  if (orderCount.value !== n.value)
    return corrupted(`eviction order lists ${orderCount.value} entries, expected ${n.value}`);
  const seen = new Uint8Array(n.value);
  for (let i = 0; i < n.value; i++) {
    const ordinal = r.u32("eviction order");
    if (!ordinal.ok) return ordinal;
    const record = byOrdinal[ordinal.value];
    if (record === undefined || seen[ordinal.value] === 1)
      return corrupted(`eviction order is not a permutation (at ${i})`);
    seen[ordinal.value] = 1;
    state.order.insert(record);
  }
  const counters = readCounters(countersJson, maxSeq, maxSerial);
  if (!counters.ok) return counters;
  state.nextId = counters.value.nextId;
  state.nextSeq = counters.value.nextSeq;
  state.counters = counters.value.counters;
  state.embeddingIndex.maybeMigrate(() => liveVectors(state));
  return ok(undefined);
}

function readCounters(
  json: unknown,
  maxSeq: number,
  maxSerial: number,
): Read<{ nextId: number; nextSeq: number; counters: PoolCounters }> {
  const o = json as { nextId?: unknown; nextSeq?: unknown; counters?: Record<string, unknown> };
  const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
  if (
    typeof o !== "object" ||
    o === null ||
    !isCount(o.nextId) ||
    o.nextId <= maxSerial ||
    !isCount(o.nextSeq) ||
    o.nextSeq <= maxSeq
  ) {
    return corrupted("counters are missing or inconsistent with the entries");
  }
  const c = o.counters ?? {};
  const keys = ["added", "gatedOut", "evictedForCapacity", "evictedForBudget", "removed"] as const;
  const counters = {} as PoolCounters;
  for (const key of keys) {
    const v = c[key];
    if (!isCount(v)) return corrupted(`counter ${key} is not a count`);
    counters[key] = v;
  }
  return ok({ nextId: o.nextId, nextSeq: o.nextSeq, counters });
}
