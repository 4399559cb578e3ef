import { type DreamResult, err, indexCorrupted, ok } from "@dreampool/errors";
import type { NativeIndex } from "./native.js";
import type { LiveEntry } from "./search.js";
import type { SnapshotSidecar } from "./snapshot.js";

/**
 * Rebuilds the live entries of a loaded snapshot from the native rows, and checks that hnswlib holds
 * exactly what the sidecar says: every mapped label present and not deleted, every other label deleted.
 * The rows come back bit-exact (we store float32 and, for cosine, normalise before hnswlib sees them).
 */
export function restoreEntries(native: NativeIndex, sidecar: SnapshotSidecar): DreamResult<LiveEntry[]> {
  const nativeLabels = native.getIdsList();
  if (nativeLabels.length !== sidecar.slots) {
    return corrupted(`hnswlib holds ${nativeLabels.length} labels, the sidecar says ${sidecar.slots} slots`);
  }
  const entries: LiveEntry[] = [];
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
    entries.push({ id, label, vector: Float32Array.from(row), position: entries.length });
  }
  const mapped = new Set(sidecar.entries.map(([, label]) => label));
  for (const label of nativeLabels) {
    if (mapped.has(label)) continue;
    let deleted = false;
    try {
      native.getPoint(label);
    } catch {
      deleted = true;
    }
    if (!deleted) return corrupted(`hnswlib label ${label} is live but no id maps to it`);
  }
  return ok(entries);
}

const corrupted = <T>(details: string): DreamResult<T> =>
  err(indexCorrupted(`HnswIndex snapshot: ${details}`));
