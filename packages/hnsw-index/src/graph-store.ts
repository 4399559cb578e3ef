import { capacityExceeded, type DreamResult, err, ok } from "@dreampool/errors";
import type { Metric } from "@dreampool/soft-index";
import { LabelTable } from "./label-table.js";
import { HierarchicalNSW, type NativeIndex, spaceFor, translateNativeError } from "./native.js";
import { MAX_CAPACITY, type ResolvedHnswOptions } from "./options.js";
import type { LiveEntry, SearchTarget } from "./search.js";
import { fillScratch } from "./vectors.js";

/** A fresh native index; throws what hnswlib throws (callers translate). */
function newNative(o: ResolvedHnswOptions, capacity: number, ef: number): NativeIndex {
  const native = new HierarchicalNSW(spaceFor(o.metric), o.dim);
  // allowReplaceDeleted: new entries take over tombstoned slots, always under a fresh label (insert).
  native.initIndex({
    maxElements: capacity,
    m: o.m,
    efConstruction: o.efConstruction,
    randomSeed: o.seed,
    allowReplaceDeleted: true,
  });
  native.setEf(ef);
  return native;
}

const nextPowerOfTwo = (n: number): number => (n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n)));

/**
 * One native hnswlib index and the bookkeeping hnswlib cannot give us: the id <-> label map, the
 * stored rows, and the live / tombstone / slot counts (hnswlib counts deleted points as present and
 * has no deleted-count getter). Labels are handed out once per native index and never reused in it.
 */
export class GraphStore implements SearchTarget {
  readonly byId: Map<string, LiveEntry>;
  readonly idByLabel = new LabelTable();
  readonly dim: number;

  constructor(
    readonly metric: Metric,
    readonly native: NativeIndex,
    public capacity: number,
    /** Live entries, dense (an entry's `position` is its index here and its row in `rows`). */
    readonly entries: LiveEntry[],
    /** One row per entry, contiguous: exact scans stream through it; compaction and `get` copy from it. */
    public rows: Float32Array,
    /** Native slots in use: live + tombstones. */
    public slots = entries.length,
    public tombstones = 0,
    public nextLabel = entries.length,
  ) {
    this.dim = native.getNumDimensions();
    this.byId = new Map(entries.map((e) => [e.id, e]));
    for (const e of entries) this.idByLabel.set(e.label, e.id);
  }

  static empty(options: ResolvedHnswOptions, ef: number): DreamResult<GraphStore> {
    try {
      const native = newNative(options, options.initialCapacity, ef);
      const rows = new Float32Array(Math.min(options.initialCapacity, 1024) * options.dim);
      return ok(new GraphStore(options.metric, native, options.initialCapacity, [], rows));
    } catch (e) {
      return err(translateNativeError(e, "HnswIndex.create", options.initialCapacity));
    }
  }

  /** A copy of the row at `position`. */
  rowAt(position: number): Float32Array {
    return this.rows.slice(position * this.dim, (position + 1) * this.dim);
  }

  /**
   * Adds under a fresh label. With `replaceDeleted`, hnswlib overwrites a tombstoned slot (row and
   * links, via updatePoint) and drops that slot's old label; since the new label was never used, no
   * lookup can reach the old row (reference.md §5.4). Passing a *removed* label instead could leave
   * hnswlib's label table pointing at two slots, so labels are recycled only by a rebuild.
   */
  insert(id: string, stored: Float32Array, scratch: number[], labelLimit: number): DreamResult<void> {
    if (this.nextLabel >= labelLimit) return err(capacityExceeded(this.nextLabel + 1, labelLimit));
    if (this.tombstones === 0 && this.slots >= this.capacity) {
      const grown = this.grow();
      if (!grown.ok) return grown;
    }
    const label = this.nextLabel;
    const position = this.entries.length;
    if ((position + 1) * this.dim > this.rows.length) {
      const grown = new Float32Array(Math.max(2 * this.rows.length, (position + 1) * this.dim));
      grown.set(this.rows);
      this.rows = grown;
    }
    try {
      this.native.addPoint(fillScratch(scratch, stored, 1), label, true);
    } catch (e) {
      return err(translateNativeError(e, "HnswIndex.add", this.capacity));
    }
    this.nextLabel++;
    if (this.tombstones > 0) this.tombstones--;
    else this.slots++;
    this.rows.set(stored, position * this.dim);
    const entry: LiveEntry = { id, label, position };
    this.entries.push(entry);
    this.byId.set(id, entry);
    this.idByLabel.set(label, id);
    return ok(undefined);
  }

  /** Tombstones an entry natively and forgets it here (searches only map labels we know). */
  detach(entry: LiveEntry): void {
    try {
      this.native.markDelete(entry.label);
    } catch {
      // Only if hnswlib and our map disagreed; the label is unmapped below either way.
    }
    this.tombstones++;
    this.byId.delete(entry.id);
    this.idByLabel.delete(entry.label);
    const last = this.entries.pop() as LiveEntry;
    if (last !== entry) {
      const d = this.dim;
      this.rows.copyWithin(entry.position * d, last.position * d, (last.position + 1) * d);
      last.position = entry.position;
      this.entries[entry.position] = last;
    }
  }

  /** A new store holding the live rows under dense labels 0..n-1 in a fresh graph (compaction). */
  rebuilt(options: ResolvedHnswOptions, ef: number, scratch: number[]): DreamResult<GraphStore> {
    const capacity = Math.max(options.initialCapacity, nextPowerOfTwo(this.entries.length));
    try {
      const native = newNative(options, capacity, ef);
      const d = this.dim;
      const entries = this.entries.map((e, position) => ({ id: e.id, label: position, position }));
      const rows = this.rows.slice(0, Math.max(1, entries.length) * d);
      for (const entry of entries) {
        const row = rows.subarray(entry.position * d, (entry.position + 1) * d);
        native.addPoint(fillScratch(scratch, row, 1), entry.label);
      }
      return ok(new GraphStore(options.metric, native, capacity, entries, rows));
    } catch (e) {
      return err(translateNativeError(e, "HnswIndex.compact", capacity));
    }
  }

  private grow(): DreamResult<void> {
    const target = Math.min(this.capacity * 2, MAX_CAPACITY);
    if (target <= this.slots) return err(capacityExceeded(this.slots + 1, MAX_CAPACITY));
    try {
      this.native.resizeIndex(target);
    } catch (e) {
      return err(translateNativeError(e, "HnswIndex.resize", this.capacity));
    }
    this.capacity = target;
    return ok(undefined);
  }
}
