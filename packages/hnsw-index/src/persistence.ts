import {
  type DreamResult,
  dimensionMismatch,
  err,
  indexCorrupted,
  invalidConfiguration,
  ok,
} from "@dreampool/errors";
import type { Metric } from "@dreampool/soft-index";
import { GraphStore } from "./graph-store.js";
import { type NativeIndex, spaceFor } from "./native.js";
import { nativeFromBytes, nativeToBytes } from "./native-file.js";
import { type ResolvedHnswOptions, resolveOptions } from "./options.js";
import type { LiveEntry } from "./search.js";
import { decodeSnapshot, encodeSnapshot, type SnapshotSidecar } from "./snapshot.js";

/** What a loaded snapshot must match; a mismatch is an error rather than wrong answers. */
export interface SnapshotExpectation {
  readonly dim?: number;
  readonly metric?: Metric;
}

export function snapshotBytes(
  store: GraphStore,
  options: ResolvedHnswOptions,
  ef: number,
  rebuilds: number,
): DreamResult<Uint8Array> {
  const native = nativeToBytes(store.native);
  if (!native.ok) return native;
  const sidecar: SnapshotSidecar = {
    metric: options.metric,
    dim: options.dim,
    m: options.m,
    efConstruction: options.efConstruction,
    ef,
    seed: options.seed,
    initialCapacity: options.initialCapacity,
    compactionThreshold: options.compactionThreshold,
    exactFallbackRatio: options.exactFallbackRatio,
    capacity: store.capacity,
    slots: store.slots,
    tombstones: store.tombstones,
    nextLabel: store.nextLabel,
    rebuilds,
    entries: store.entries.map((e) => [e.id, e.label] as const),
  };
  return ok(encodeSnapshot(sidecar, native.value));
}

export interface RestoredIndex {
  readonly options: ResolvedHnswOptions;
  readonly store: GraphStore;
  readonly rebuilds: number;
}

/** Verifies and restores a snapshot; every check runs before the result can be used. */
export function restoreSnapshot(bytes: Uint8Array, expect: SnapshotExpectation): DreamResult<RestoredIndex> {
  const decoded = decodeSnapshot(bytes);
  if (!decoded.ok) return decoded;
  const { sidecar: s, native: nativeBytes } = decoded.value;
  if (expect.dim !== undefined && expect.dim !== s.dim) {
    return err(dimensionMismatch(expect.dim, s.dim, "HnswIndex snapshot (expected dim, stored dim)"));
  }
  if (expect.metric !== undefined && expect.metric !== s.metric) {
    const reason = `the snapshot was built for ${s.metric}, the caller expects ${expect.metric}`;
    return err(invalidConfiguration("metric", s.metric, reason));
  }
  const resolved = resolveOptions({
    dim: s.dim,
    metric: s.metric,
    m: s.m,
    efConstruction: s.efConstruction,
    ef: s.ef,
    initialCapacity: s.initialCapacity,
    compactionThreshold: s.compactionThreshold,
    seed: s.seed,
    exactFallbackRatio: s.exactFallbackRatio,
  });
  if (!resolved.ok) return corrupted(resolved.error.message);
  const loaded = nativeFromBytes(spaceFor(s.metric), s.dim, nativeBytes);
  if (!loaded.ok) return loaded;
  const native = loaded.value;
  // hnswlib does not persist ef (hnswlib#316): a loaded index would search with 10.
  native.setEf(s.ef);
  const restored = restoreEntries(native, s);
  if (!restored.ok) return restored;
  const { entries, rows } = restored.value;
  const { slots, tombstones, nextLabel } = s;
  const store = new GraphStore(s.metric, native, s.capacity, entries, rows, slots, tombstones, nextLabel);
  return ok({ options: resolved.value, store, rebuilds: s.rebuilds });
}

/**
 * The live entries of a loaded snapshot, read back from the native rows, after checking that hnswlib
 * holds exactly what the sidecar says: every mapped label present and live, every other label deleted.
 * Rows come back bit-exact (we store float32 and normalise for cosine before hnswlib sees them).
 */
function restoreEntries(
  native: NativeIndex,
  sidecar: SnapshotSidecar,
): DreamResult<{ entries: LiveEntry[]; rows: Float32Array }> {
  const nativeLabels = native.getIdsList();
  if (nativeLabels.length !== sidecar.slots) {
    return corrupted(`hnswlib holds ${nativeLabels.length} labels, the sidecar says ${sidecar.slots} slots`);
  }
  const entries: LiveEntry[] = [];
  const rows = new Float32Array(Math.max(1, sidecar.entries.length) * sidecar.dim);
  for (const [id, label] of sidecar.entries) {
    let row: number[];
    try {
      row = native.getPoint(label);
    } catch {
      return corrupted(
        `entry ${JSON.stringify(id)} has label ${label}, which hnswlib lacks or marks deleted`,
      );
    }
    if (row.length !== sidecar.dim || !row.every(Number.isFinite)) {
      return corrupted(`row of ${JSON.stringify(id)} has ${row.length} components or a non-finite one`);
    }
    rows.set(row, entries.length * sidecar.dim);
    entries.push({ id, label, position: entries.length });
  }
  const mapped = new Set(sidecar.entries.map(([, label]) => label));
  for (const label of nativeLabels) {
    if (mapped.has(label)) continue;
    let live = true;
    try {
      native.getPoint(label);
    } catch {
      live = false;
    }
    if (live) return corrupted(`hnswlib label ${label} is live but no id maps to it`);
  }
  return ok({ entries, rows });
}

const corrupted = <T>(details: string): DreamResult<T> =>
  err(indexCorrupted(`HnswIndex snapshot: ${details}`));
