import { extractSpectralFeatures, type SpectralFeatures } from "@dreampool/embedding";
import {
  criticalState,
  type DreamResult,
  err,
  invalidParameter,
  memoryExceeded,
  ok,
} from "@dreampool/errors";
import { estimateEntryBytes, type IndexCost, metadataBytes } from "@dreampool/memory";
import type { ChromaticTensor, ColorClass, Rgb, SolverResult } from "@dreampool/tensor";
import { checkClassLabel, checkMeta, checkResult, checkTensor, copyMeta } from "./entry-input.js";
import { EntryRecord } from "./entry-record.js";
import type { PoolState } from "./pool-state.js";
import type { Meta } from "./types.js";

/** An entry whose features are computed and size estimated, not yet in the pool. */
export interface PreparedEntry {
  readonly tensor: ChromaticTensor;
  readonly result: SolverResult;
  readonly classLabel: ColorClass | null;
  readonly meta: Meta;
  readonly chroma: Rgb;
  readonly spectral: SpectralFeatures;
  readonly embedding: Float32Array;
  readonly bytes: number;
}

export interface RawEntry {
  readonly tensor: unknown;
  readonly result: unknown;
  readonly classLabel?: unknown;
  readonly meta?: unknown;
}

/** Checks everything the caller gave (no state touched); `at` names the argument, e.g. "items[3]". */
export function checkRawEntry(raw: RawEntry, at: string): DreamResult<void> {
  const prefix = at === "" ? "" : `${at}.`;
  const bad =
    checkTensor(`${prefix}tensor`, raw.tensor) ??
    checkResult(`${prefix}result`, raw.result, (raw.tensor as ChromaticTensor).colors.length) ??
    checkClassLabel(`${prefix}classLabel`, raw.classLabel) ??
    (raw.meta === undefined ? null : checkMeta(`${prefix}meta`, raw.meta));
  return bad ? err(bad) : ok(undefined);
}

/** The index cost charged per entry: auto pools pay the HNSW price so a migration never breaks the budget. */
export function indexCostOf(state: PoolState): IndexCost {
  return state.config.index === "exact" ? { kind: "exact" } : { kind: "hnsw", m: state.config.hnsw.m };
}

/**
 * Computes chroma, spectral features and the embedding — once per entry — and the entry's bytes.
 * The entry is encoded with utility neutral (null) and without the bias profile, so feedback never
 * invalidates a stored vector; utility and bias act through scoring and the query side.
 */
export function prepareEntry(state: PoolState, raw: RawEntry): DreamResult<PreparedEntry> {
  const tensor = raw.tensor as ChromaticTensor;
  const given = raw.result as SolverResult;
  const classLabel = (raw.classLabel as ColorClass | null | undefined) ?? null;
  const chroma = tensor.meanRgb();
  const spectral = extractSpectralFeatures(tensor, { window: state.config.spectralWindow });
  if (!spectral.ok) return spectral;
  const embedding = state.mapper.encodeEntry({ chroma, spectral: spectral.value, classLabel, utility: null });
  if (!embedding.ok) return embedding;
  // A private copy of the result: later changes by the caller cannot reach the pool.
  const result: SolverResult = Object.freeze({
    energy: given.energy,
    coherence: given.coherence,
    violation: given.violation,
    ...(given.grad ? { grad: given.grad.slice() } : {}),
    ...(given.mask ? { mask: given.mask.slice() } : {}),
    meta: copyMeta(given.meta) as Record<string, number | string | boolean>,
  });
  const meta = copyMeta(raw.meta as Meta | undefined);
  const bytes = entryBytesOf(state, tensor, result, meta);
  return ok({
    tensor,
    result,
    classLabel,
    meta,
    chroma,
    spectral: spectral.value,
    embedding: embedding.value,
    bytes,
  });
}

// The size of everything but metadata depends only on the shape and which solver arrays are
// present: memoised per pool so the add path does not re-run the whole cost model per entry.
const fixedBytesMemo = new WeakMap<PoolState, Map<string, number>>();

/** What one entry costs in bytes: tensor, solver arrays, vectors, metadata, records and index rows. */
export function entryBytesOf(
  state: PoolState,
  tensor: ChromaticTensor,
  result: SolverResult,
  meta: Meta,
): number {
  const hasGrad = result.grad !== undefined;
  const hasMask = result.mask !== undefined;
  const key = `${tensor.rows}x${tensor.cols}x${tensor.layers}:${hasGrad ? 1 : 0}${hasMask ? 1 : 0}`;
  let memo = fixedBytesMemo.get(state);
  if (memo === undefined) {
    memo = new Map();
    fixedBytesMemo.set(state, memo);
  }
  let fixed = memo.get(key);
  if (fixed === undefined) {
    fixed = estimateEntryBytes({
      dims: tensor,
      embeddingDim: state.mapper.dim,
      index: indexCostOf(state),
      chromaIndex: true,
      hasGrad,
      hasMask,
    });
    memo.set(key, fixed);
  }
  return fixed + metadataChargeOf(result.meta, meta);
}

// What metadataBytes charges for `{}`: the fixed part already counts the solver result's (empty)
// meta object (memory's entryOverheadBytes), so only what its fields add on top is charged here.
const EMPTY_META_BYTES = metadataBytes({});

/**
 * The metadata part of an entry's bytes: the entry's own meta object in full, and what the result's
 * meta holds beyond the empty object the fixed estimate includes. Counted separately (no wrapper
 * object), so a pool entry is charged exactly the calibrated estimate.
 */
export function metadataChargeOf(resultMeta: object, entryMeta: Meta): number {
  return metadataBytes(entryMeta) + Math.max(0, metadataBytes(resultMeta) - EMPTY_META_BYTES);
}

/** True when the colour has no direction once stored as float32 (the chroma index's precision). */
export const isZero = (rgb: Rgb): boolean =>
  Math.fround(rgb[0]) === 0 && Math.fround(rgb[1]) === 0 && Math.fround(rgb[2]) === 0;

/**
 * Inserts a prepared entry: picks victims by policy until capacity and budget allow, inserts the
 * entry into both indices (undoing on failure, so the pool is unchanged), then evicts the victims
 * and charges the budget. The entry is retrievable when this returns.
 */
export function commitEntry(state: PoolState, prepared: PreparedEntry, now: number): DreamResult<string> {
  const { budget, config } = state;
  if (budget && prepared.bytes > budget.maxBytes) return err(memoryExceeded(prepared.bytes, budget.maxBytes));
  const bytesToFree = budget ? budget.planEviction(prepared.bytes).bytesToFree : 0;
  const victims: { record: EntryRecord; cause: "capacity" | "budget" }[] = [];
  let freed = 0;
  for (const record of state.order.victims()) {
    const overCapacity = state.entries.size - victims.length >= config.maxSize;
    const overBudget = freed < bytesToFree;
    if (!overCapacity && !overBudget) break;
    victims.push({ record, cause: overCapacity ? "capacity" : "budget" });
    freed += record.bytes;
  }
  if (budget && budget.used - freed + prepared.bytes > budget.maxBytes) {
    return err(memoryExceeded(prepared.bytes, budget.maxBytes - budget.used + freed));
  }

  const id = `${config.idPrefix}${state.nextId}`;
  const zero = isZero(prepared.chroma);
  if (!zero) {
    const added = state.chromaIndex.add(id, Float32Array.from(prepared.chroma));
    if (!added.ok) return added;
  }
  const indexed = state.embeddingIndex.add(id, prepared.embedding);
  if (!indexed.ok) {
    if (!zero) state.chromaIndex.remove(id);
    return indexed;
  }

  for (const { record, cause } of victims) {
    dropRecord(state, record);
    if (cause === "capacity") state.counters.evictedForCapacity++;
    else state.counters.evictedForBudget++;
  }
  if (budget) {
    const charged = budget.charge(prepared.bytes);
    // Unreachable: the check above guarantees room. Kept so a broken invariant is loud, not silent.
    if (!charged.ok) return err(criticalState("DreamPool.add", charged.error.message));
  }
  const record = new EntryRecord(
    id,
    state.nextSeq++,
    prepared.tensor,
    prepared.result,
    prepared.chroma,
    prepared.classLabel,
    prepared.spectral,
    prepared.embedding,
    prepared.bytes,
    prepared.meta,
    now,
  );
  state.nextId++;
  if (zero) state.zeroChroma.add(id);
  state.entries.set(id, record);
  state.order.insert(record);
  state.scoreBounds.insert(record);
  state.usedBytes += record.bytes;
  state.counters.added++;
  state.embeddingIndex.maybeMigrate(() => liveVectors(state));
  return ok(id);
}

/** Removes a live record from every structure and releases its bytes. */
export function dropRecord(state: PoolState, record: EntryRecord): void {
  state.entries.delete(record.id);
  state.order.remove(record);
  state.scoreBounds.remove(record);
  if (!state.zeroChroma.delete(record.id)) state.chromaIndex.remove(record.id);
  state.embeddingIndex.remove(record.id);
  state.budget?.release(record.bytes);
  state.usedBytes -= record.bytes;
}

/** The live embeddings in insertion order (what an index migration or a snapshot load inserts). */
export function* liveVectors(state: PoolState): IterableIterator<readonly [string, Float32Array]> {
  for (const record of state.entries.values()) yield [record.id, record.embedding];
}

/** The time of an operation: the caller's `now`, or the pool's clock; both must be finite. */
export function timeOf(state: PoolState, given: number | undefined, parameter: string): DreamResult<number> {
  const now = given ?? state.clock();
  if (typeof now !== "number" || !Number.isFinite(now)) {
    return err(
      invalidParameter(given === undefined ? "clock()" : parameter, now, "must be a finite number of ms"),
    );
  }
  return ok(now);
}
