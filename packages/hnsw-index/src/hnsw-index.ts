import {
  capacityExceeded,
  type DreamError,
  type DreamResult,
  dimensionMismatch,
  err,
  indexCorrupted,
  invalidConfiguration,
  invalidParameter,
  ok,
  requireInteger,
} from "@dreampool/errors";
import type { Hit, IndexStats, Metric, SearchOptions, VectorIndex } from "@dreampool/soft-index";
import { readFileResult, writeFileAtomic } from "./atomic-file.js";
import { HierarchicalNSW, type NativeIndex, scoreOf, spaceFor, translateNativeError } from "./native.js";
import { nativeFromBytes, nativeToBytes } from "./native-file.js";
import { type HnswIndexOptions, MAX_CAPACITY, type ResolvedHnswOptions, resolveOptions } from "./options.js";
import { restoreEntries } from "./restore.js";
import { type LiveEntry, searchCandidates } from "./search.js";
import { decodeSnapshot, encodeSnapshot, type SnapshotSidecar } from "./snapshot.js";
import { checkVector, fillScratch, storedCopy } from "./vectors.js";

/** What `stats()` reports beyond the contract's IndexStats. */
export interface HnswIndexStats extends IndexStats {
  readonly kind: "hnsw";
  /** Native slots in use: live entries + tombstones. */
  readonly slots: number;
  /** tombstones / slots (0 when empty). */
  readonly tombstoneRatio: number;
  readonly ef: number;
  readonly m: number;
  readonly efConstruction: number;
  /** Searches answered by an exact scan instead of the graph (selective filter, k >= size, short graph answer). */
  readonly exactFallbacks: number;
}

/** What a loaded snapshot must match; a mismatch is an error rather than wrong answers. */
export interface SnapshotExpectation {
  readonly dim?: number;
  readonly metric?: Metric;
}

/** Labels are uint32 in hnswlib; we stop one short of 2^32 - 1 and renumber (compact) there. */
const LABEL_LIMIT = 2 ** 32 - 1;
const native0 = (o: ResolvedHnswOptions, capacity: number, ef = o.ef): NativeIndex => {
  const native = new HierarchicalNSW(spaceFor(o.metric), o.dim);
  // allowReplaceDeleted: new entries take over tombstoned slots, always under a fresh label (see add).
  native.initIndex({
    maxElements: capacity,
    m: o.m,
    efConstruction: o.efConstruction,
    randomSeed: o.seed,
    allowReplaceDeleted: true,
  });
  native.setEf(ef);
  return native;
};

/**
 * A VectorIndex over hnswlib-node's HNSW graph that is safe to hand to users:
 * - it owns the string id <-> uint32 label map; labels are never reused while a native index lives
 *   (a fresh label per insert, even when hnswlib recycles a tombstoned slot), so no old vector can
 *   answer for a new entry; compaction renumbers labels densely in a fresh native index;
 * - vectors are validated before native code sees them, and kept (so `get`, compaction and exact
 *   fallbacks work);
 * - filters are wrapped (a throwing filter rejects and is counted), selective filters and short graph
 *   answers fall back to an exact scan, k is clamped, ties are broken by id;
 * - snapshots carry a verified sidecar; see `toBytes` and `save`.
 */
export class HnswIndex implements VectorIndex {
  readonly kind = "hnsw" as const;
  readonly dim: number;
  readonly metric: Metric;
  private native: NativeIndex;
  private capacity: number;
  private slots = 0;
  private tombstones = 0;
  private nextLabel = 0;
  private entries: LiveEntry[] = [];
  private byId = new Map<string, LiveEntry>();
  private byLabel = new Map<number, LiveEntry>();
  private ef: number;
  private rebuilds = 0;
  private filterErrors = 0;
  private exactFallbacks = 0;
  private readonly scratch: number[];
  private fileQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: ResolvedHnswOptions,
    native: NativeIndex,
    capacity: number,
    private readonly labelLimit = LABEL_LIMIT,
  ) {
    this.dim = options.dim;
    this.metric = options.metric;
    this.ef = options.ef;
    this.native = native;
    this.capacity = capacity;
    this.scratch = new Array<number>(options.dim).fill(0);
  }

  static create(options: HnswIndexOptions): DreamResult<HnswIndex> {
    return HnswIndex.createWithLabelLimit(options, LABEL_LIMIT);
  }

  /** @internal tests shrink the label space to exercise renumbering without 2^32 inserts. */
  static createWithLabelLimit(options: HnswIndexOptions, labelLimit: number): DreamResult<HnswIndex> {
    const resolved = resolveOptions(options);
    if (!resolved.ok) return resolved;
    const o = resolved.value;
    try {
      return ok(new HnswIndex(o, native0(o, o.initialCapacity), o.initialCapacity, labelLimit));
    } catch (e) {
      return err(translateNativeError(e, "HnswIndex.create"));
    }
  }

  get size(): number {
    return this.entries.length;
  }

  add(id: string, vector: Float32Array): DreamResult<void> {
    const problem = this.checkEntry(id, vector, "HnswIndex.add");
    if (problem) return err(problem);
    if (this.byId.has(id)) {
      return err(invalidParameter("id", id, "must not be present already (use upsert to replace)"));
    }
    return this.insert(id, storedCopy(vector, this.metric === "cosine"));
  }

  upsert(id: string, vector: Float32Array): DreamResult<void> {
    const problem = this.checkEntry(id, vector, "HnswIndex.upsert");
    if (problem) return err(problem);
    const stored = storedCopy(vector, this.metric === "cosine");
    const previous = this.byId.get(id);
    if (previous === undefined) return this.insert(id, stored);
    // Tombstone first so the insert can recycle that very slot; restore the old row if it fails.
    this.detach(previous);
    const inserted = this.insert(id, stored);
    if (!inserted.ok) this.insert(id, previous.vector);
    this.maybeCompact();
    return inserted;
  }

  remove(id: string): boolean {
    const entry = typeof id === "string" ? this.byId.get(id) : undefined;
    if (entry === undefined) return false;
    this.detach(entry);
    this.maybeCompact();
    return true;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): Float32Array | undefined {
    const entry = this.byId.get(id);
    return entry === undefined ? undefined : entry.vector.slice();
  }

  ids(): IterableIterator<string> {
    return this.byId.keys();
  }

  search(query: Float32Array, k: number, options: SearchOptions = {}): DreamResult<Hit[]> {
    const problem =
      requireInteger("k", k, 1) ??
      checkVector("query", query, this.dim, "HnswIndex.search", this.metric === "cosine") ??
      checkSearchOptions(options);
    if (problem) return err(problem);
    return this.searchChecked(query, k, options);
  }

  searchBatch(
    queries: readonly Float32Array[],
    k: number,
    options: SearchOptions = {},
  ): DreamResult<Hit[][]> {
    if (!Array.isArray(queries))
      return err(invalidParameter("queries", queries, "must be an array of Float32Array"));
    let problem = requireInteger("k", k, 1) ?? checkSearchOptions(options);
    for (let i = 0; i < queries.length && !problem; i++) {
      problem = checkVector(
        `queries[${i}]`,
        queries[i],
        this.dim,
        "HnswIndex.searchBatch",
        this.metric === "cosine",
      );
    }
    if (problem) return err(problem);
    const out: Hit[][] = [];
    for (const query of queries) {
      const hits = this.searchChecked(query, k, options);
      if (!hits.ok) return hits;
      out.push(hits.value);
    }
    return ok(out);
  }

  clear(): void {
    try {
      this.swapIn(
        native0(this.options, this.options.initialCapacity, this.ef),
        this.options.initialCapacity,
        [],
      );
    } catch {
      // No memory for a fresh index: tombstone everything instead, which is just as correct.
      for (const entry of [...this.entries]) this.detach(entry);
    }
  }

  stats(): HnswIndexStats {
    return {
      kind: this.kind,
      dim: this.dim,
      metric: this.metric,
      size: this.size,
      tombstones: this.tombstones,
      capacity: this.capacity,
      rebuilds: this.rebuilds,
      filterErrors: this.filterErrors,
      slots: this.slots,
      tombstoneRatio: this.slots === 0 ? 0 : this.tombstones / this.slots,
      ef: this.ef,
      m: this.options.m,
      efConstruction: this.options.efConstruction,
      exactFallbacks: this.exactFallbacks,
    };
  }

  /** Sets the search beam width (each search still uses at least k + 1). */
  setEf(ef: number): DreamResult<void> {
    const problem = requireInteger("ef", ef, 1, 1_000_000);
    if (problem) return err(problem);
    this.native.setEf(ef);
    this.ef = ef;
    return ok(undefined);
  }

  /** Rebuilds the graph from the stored vectors into a fresh native index: no tombstones, dense labels. */
  compact(): DreamResult<void> {
    const capacity = Math.max(this.options.initialCapacity, nextPowerOfTwo(this.entries.length));
    let native: NativeIndex;
    try {
      native = native0(this.options, capacity, this.ef);
      for (let label = 0; label < this.entries.length; label++) {
        const entry = this.entries[label] as LiveEntry;
        native.addPoint(fillScratch(this.scratch, entry.vector, false), label);
      }
    } catch (e) {
      return err(translateNativeError(e, "HnswIndex.compact", capacity));
    }
    const relabelled = this.entries.map((e, label) => ({
      id: e.id,
      label,
      vector: e.vector,
      position: label,
    }));
    this.swapIn(native, capacity, relabelled);
    this.rebuilds++;
    return ok(undefined);
  }

  /** A self-describing snapshot: sidecar + hnswlib binary in one buffer (see snapshot.ts). */
  toBytes(): DreamResult<Uint8Array> {
    const native = nativeToBytes(this.native);
    if (!native.ok) return native;
    const o = this.options;
    const sidecar: SnapshotSidecar = {
      metric: o.metric,
      dim: o.dim,
      m: o.m,
      efConstruction: o.efConstruction,
      ef: this.ef,
      seed: o.seed,
      initialCapacity: o.initialCapacity,
      compactionThreshold: o.compactionThreshold,
      exactFallbackRatio: o.exactFallbackRatio,
      capacity: this.capacity,
      slots: this.slots,
      tombstones: this.tombstones,
      nextLabel: this.nextLabel,
      rebuilds: this.rebuilds,
      entries: this.entries.map((e) => [e.id, e.label] as const),
    };
    return ok(encodeSnapshot(sidecar, native.value));
  }

  /** Restores a snapshot from `toBytes`, verifying it first (IndexCorrupted on any inconsistency). */
  static fromBytes(bytes: Uint8Array, expect: SnapshotExpectation = {}): DreamResult<HnswIndex> {
    const decoded = decodeSnapshot(bytes);
    if (!decoded.ok) return decoded;
    const { sidecar: s, native: nativeBytes } = decoded.value;
    if (expect.dim !== undefined && expect.dim !== s.dim) {
      return err(dimensionMismatch(expect.dim, s.dim, "HnswIndex snapshot (expected dim vs stored dim)"));
    }
    if (expect.metric !== undefined && expect.metric !== s.metric) {
      return err(
        invalidConfiguration(
          "metric",
          s.metric,
          `snapshot metric differs from the expected ${expect.metric}`,
        ),
      );
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
    if (!resolved.ok) return err(indexCorrupted(`HnswIndex snapshot: ${resolved.error.message}`));
    const loaded = nativeFromBytes(spaceFor(s.metric), s.dim, nativeBytes);
    if (!loaded.ok) return loaded;
    const native = loaded.value;
    // hnswlib does not persist ef (hnswlib#316): a loaded index would search with 10.
    native.setEf(s.ef);
    const entries = restoreEntries(native, s);
    if (!entries.ok) return entries;
    const index = new HnswIndex(resolved.value, native, s.capacity);
    index.swapIn(native, s.capacity, entries.value);
    index.slots = s.slots;
    index.tombstones = s.tombstones;
    index.nextLabel = s.nextLabel;
    index.rebuilds = s.rebuilds;
    return ok(index);
  }

  /**
   * Saves atomically (temp file, fsync, size check, rename). The snapshot is taken synchronously when
   * `save` is called, so no native call ever overlaps the async I/O, later mutations do not leak into
   * it, and the caller may keep using the index meanwhile; saves of one index land in call order.
   */
  save(path: string): Promise<DreamResult<void>> {
    if (typeof path !== "string" || path.length === 0) {
      return Promise.resolve(err(invalidParameter("path", path, "must be a non-empty string")));
    }
    const bytes = this.toBytes();
    if (!bytes.ok) return Promise.resolve(bytes);
    const written = this.fileQueue.then(() => writeFileAtomic(path, bytes.value));
    this.fileQueue = written;
    return written;
  }

  /** Loads a file written by `save`, verified like `fromBytes`. */
  static async load(path: string, expect: SnapshotExpectation = {}): Promise<DreamResult<HnswIndex>> {
    if (typeof path !== "string" || path.length === 0) {
      return err(invalidParameter("path", path, "must be a non-empty string"));
    }
    const bytes = await readFileResult(path);
    return bytes.ok ? HnswIndex.fromBytes(bytes.value, expect) : bytes;
  }

  // ---- internals ----

  private checkEntry(id: unknown, vector: unknown, context: string): DreamError | null {
    if (typeof id !== "string" || id.length === 0)
      return invalidParameter("id", id, "must be a non-empty string");
    return checkVector("vector", vector, this.dim, context, this.metric === "cosine");
  }

  /**
   * Adds under a fresh label. With `replaceDeleted`, hnswlib overwrites a tombstoned slot (vector and
   * links, via updatePoint) and drops that slot's old label; since the new label was never used, no
   * lookup can reach the old row (reference.md §5.4). Reusing a *removed* label instead would let
   * hnswlib's label table point two ways, so labels are only recycled by compaction.
   */
  private insert(id: string, stored: Float32Array): DreamResult<void> {
    if (this.nextLabel >= this.labelLimit) {
      const renumbered = this.compact();
      if (!renumbered.ok) return renumbered;
      if (this.nextLabel >= this.labelLimit)
        return err(capacityExceeded(this.nextLabel + 1, this.labelLimit));
    }
    if (this.tombstones === 0 && this.slots >= this.capacity) {
      const grown = this.grow();
      if (!grown.ok) return grown;
    }
    const label = this.nextLabel;
    try {
      this.native.addPoint(fillScratch(this.scratch, stored, false), label, true);
    } catch (e) {
      return err(translateNativeError(e, "HnswIndex.add", this.capacity));
    }
    this.nextLabel++;
    if (this.tombstones > 0) this.tombstones--;
    else this.slots++;
    const entry: LiveEntry = { id, label, vector: stored, position: this.entries.length };
    this.entries.push(entry);
    this.byId.set(id, entry);
    this.byLabel.set(label, entry);
    return ok(undefined);
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

  /** Tombstones an entry natively and forgets it here (search results only map known labels). */
  private detach(entry: LiveEntry): void {
    try {
      this.native.markDelete(entry.label);
    } catch {
      // Cannot happen while our map and hnswlib agree; the label is unmapped below either way.
    }
    this.tombstones++;
    this.byId.delete(entry.id);
    this.byLabel.delete(entry.label);
    const last = this.entries.pop() as LiveEntry;
    if (last !== entry) {
      last.position = entry.position;
      this.entries[entry.position] = last;
    }
  }

  private maybeCompact(): void {
    if (this.slots > 0 && this.tombstones / this.slots > this.options.compactionThreshold) {
      // A failed rebuild keeps the current, still correct, index.
      this.compact();
    }
  }

  private swapIn(native: NativeIndex, capacity: number, entries: LiveEntry[]): void {
    this.native = native;
    this.capacity = capacity;
    this.entries = entries;
    this.byId = new Map(entries.map((e) => [e.id, e]));
    this.byLabel = new Map(entries.map((e) => [e.label, e]));
    this.slots = entries.length;
    this.tombstones = 0;
    this.nextLabel = entries.reduce((max, e) => Math.max(max, e.label + 1), 0);
  }

  private searchChecked(query: Float32Array, k: number, options: SearchOptions): DreamResult<Hit[]> {
    if (this.entries.length === 0) return ok([]);
    const prepared = fillScratch(this.scratch, query, this.metric === "cosine");
    const { filter, minScore } = options;
    const allow = filter === undefined ? undefined : this.guard(filter);
    let found: ReturnType<typeof searchCandidates>;
    try {
      found = searchCandidates(
        {
          metric: this.metric,
          native: this.native,
          entries: this.entries,
          byLabel: this.byLabel,
          exactFallbackRatio: this.options.exactFallbackRatio,
        },
        prepared,
        Math.min(k, this.entries.length),
        allow,
      );
    } catch (e) {
      return err(translateNativeError(e, "HnswIndex.search", this.capacity));
    }
    if (found.exact) this.exactFallbacks++;
    const hits: Hit[] = [];
    for (const candidate of found.candidates) {
      const { score, distance } = scoreOf(this.metric, candidate.nativeDistance);
      if (minScore === undefined || score >= minScore) hits.push({ id: candidate.id, score, distance });
    }
    return ok(hits);
  }

  /** A user filter that cannot throw into native code (that aborts the process, peers.md §2.4 item 4). */
  private guard(filter: (id: string) => boolean): (id: string) => boolean {
    return (id) => {
      try {
        return Boolean(filter(id));
      } catch {
        this.filterErrors++;
        return false;
      }
    };
  }
}

function checkSearchOptions(options: unknown): DreamError | null {
  if (typeof options !== "object" || options === null) {
    return invalidParameter("options", options, "must be an object { filter?, minScore? }");
  }
  const { filter, minScore } = options as SearchOptions;
  if (filter !== undefined && typeof filter !== "function") {
    return invalidParameter("options.filter", filter, "must be a function (id) => boolean");
  }
  if (minScore !== undefined && (typeof minScore !== "number" || Number.isNaN(minScore))) {
    return invalidParameter("options.minScore", minScore, "must be a number (not NaN)");
  }
  return null;
}

const nextPowerOfTwo = (n: number): number => (n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n)));
