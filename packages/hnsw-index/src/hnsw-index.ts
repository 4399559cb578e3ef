import {
  type DreamError,
  type DreamResult,
  err,
  invalidParameter,
  ok,
  requireInteger,
} from "@dreampool/errors";
import type { Hit, IndexStats, Metric, SearchOptions, VectorIndex } from "@dreampool/soft-index";
import { readFileResult, writeFileAtomic } from "./atomic-file.js";
import { GraphStore } from "./graph-store.js";
import { hitOf, translateNativeError } from "./native.js";
import { type HnswIndexOptions, type ResolvedHnswOptions, resolveOptions } from "./options.js";
import { restoreSnapshot, type SnapshotExpectation, snapshotBytes } from "./persistence.js";
import { searchCandidates } from "./search.js";
import { checkSearchOptions, checkVector, fillScratch, queryScale, storedCopy } from "./vectors.js";

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
  /** Searches answered by an exact scan instead of the graph (see search.ts for the rule). */
  readonly exactFallbacks: number;
}

/** The default of `search`'s options: one shared object rather than a fresh `{}` per call. */
const NO_OPTIONS: SearchOptions = Object.freeze({});

/** hnswlib labels are uint32; one short of 2^32 - 1 we renumber (compact) instead of wrapping. */
const LABEL_LIMIT = 2 ** 32 - 1;

/**
 * A VectorIndex over hnswlib-node's HNSW graph that is safe to hand to users:
 * - it owns the string id <-> uint32 label map and never reuses a label inside one native index, so
 *   no old vector can answer for a new entry; compaction renumbers labels in a fresh native index;
 * - vectors are validated before native code sees them, and kept (for `get`, compaction, fallbacks);
 * - filters are wrapped (a throwing filter rejects and is counted), selective filters and short graph
 *   answers fall back to an exact scan, k is clamped, ties are broken by id;
 * - snapshots carry a verified sidecar and are written atomically.
 */
export class HnswIndex implements VectorIndex {
  readonly kind = "hnsw" as const;
  readonly dim: number;
  readonly metric: Metric;
  private ef: number;
  private rebuilds: number;
  private filterErrors = 0;
  private exactFallbacks = 0;
  /** hnswlib takes number[] only: one reused array per index instead of an allocation per call. */
  private readonly scratch: number[];
  private fileQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: ResolvedHnswOptions,
    private store: GraphStore,
    rebuilds: number,
    private readonly labelLimit: number,
  ) {
    this.dim = options.dim;
    this.metric = options.metric;
    this.ef = options.ef;
    this.rebuilds = rebuilds;
    this.scratch = new Array<number>(options.dim).fill(0);
  }

  static create(options: HnswIndexOptions): DreamResult<HnswIndex> {
    return HnswIndex.createWithLabelLimit(options, LABEL_LIMIT);
  }

  /** @internal Tests shrink the label space to exercise renumbering without 2^32 inserts. */
  static createWithLabelLimit(options: HnswIndexOptions, labelLimit: number): DreamResult<HnswIndex> {
    const resolved = resolveOptions(options);
    if (!resolved.ok) return resolved;
    const store = GraphStore.empty(resolved.value, resolved.value.ef);
    return store.ok ? ok(new HnswIndex(resolved.value, store.value, 0, labelLimit)) : store;
  }

  get size(): number {
    return this.store.entries.length;
  }

  add(id: string, vector: Float32Array): DreamResult<void> {
    const problem = this.checkEntry(id, vector, "HnswIndex.add");
    if (problem) return err(problem);
    if (this.store.byId.has(id)) {
      return err(invalidParameter("id", id, "must not be present already (use upsert to replace)"));
    }
    return this.insert(id, storedCopy(vector, this.metric === "cosine"));
  }

  upsert(id: string, vector: Float32Array): DreamResult<void> {
    const problem = this.checkEntry(id, vector, "HnswIndex.upsert");
    if (problem) return err(problem);
    const stored = storedCopy(vector, this.metric === "cosine");
    const previous = this.store.byId.get(id);
    if (previous === undefined) return this.insert(id, stored);
    // Tombstone first so the insert can recycle that very slot; put the old row back if it fails.
    const previousRow = this.store.rowAt(previous.position);
    this.store.detach(previous);
    const inserted = this.insert(id, stored);
    if (!inserted.ok) this.insert(id, previousRow);
    this.maybeCompact();
    return inserted;
  }

  remove(id: string): boolean {
    const entry = typeof id === "string" ? this.store.byId.get(id) : undefined;
    if (entry === undefined) return false;
    this.store.detach(entry);
    this.maybeCompact();
    return true;
  }

  has(id: string): boolean {
    return this.store.byId.has(id);
  }

  get(id: string): Float32Array | undefined {
    const entry = this.store.byId.get(id);
    return entry === undefined ? undefined : this.store.rowAt(entry.position);
  }

  ids(): IterableIterator<string> {
    return this.store.byId.keys();
  }

  search(query: Float32Array, k: number, options: SearchOptions = NO_OPTIONS): DreamResult<Hit[]> {
    const kProblem = requireInteger("k", k, 1);
    if (kProblem) return err(kProblem);
    const scale = queryScale("query", query, this.dim, "HnswIndex.search", this.metric === "cosine");
    if (typeof scale !== "number") return err(scale);
    const problem = options === NO_OPTIONS ? null : checkSearchOptions(options);
    return problem ? err(problem) : this.searchChecked(query, scale, k, options);
  }

  searchBatch(
    queries: readonly Float32Array[],
    k: number,
    options: SearchOptions = NO_OPTIONS,
  ): DreamResult<Hit[][]> {
    if (!Array.isArray(queries)) {
      return err(invalidParameter("queries", queries, "must be an array of Float32Array"));
    }
    const problem = requireInteger("k", k, 1) ?? checkSearchOptions(options);
    if (problem) return err(problem);
    // Every query is checked before any is searched: a bad one anywhere leaves no partial answer.
    const cosine = this.metric === "cosine";
    const scales: number[] = [];
    for (let i = 0; i < queries.length; i++) {
      const scale = queryScale(`queries[${i}]`, queries[i], this.dim, "HnswIndex.searchBatch", cosine);
      if (typeof scale !== "number") return err(scale);
      scales.push(scale);
    }
    const out: Hit[][] = [];
    for (let i = 0; i < queries.length; i++) {
      const hits = this.searchChecked(queries[i] as Float32Array, scales[i] as number, k, options);
      if (!hits.ok) return hits;
      out.push(hits.value);
    }
    return ok(out);
  }

  clear(): void {
    const fresh = GraphStore.empty(this.options, this.ef);
    if (fresh.ok) this.store = fresh.value;
    // Out of memory for a fresh graph: tombstoning every entry is just as correct.
    else for (const entry of [...this.store.entries]) this.store.detach(entry);
  }

  stats(): HnswIndexStats {
    const { slots, tombstones, capacity } = this.store;
    return {
      kind: this.kind,
      dim: this.dim,
      metric: this.metric,
      size: this.size,
      tombstones,
      capacity,
      rebuilds: this.rebuilds,
      filterErrors: this.filterErrors,
      slots,
      tombstoneRatio: slots === 0 ? 0 : tombstones / slots,
      ef: this.ef,
      m: this.options.m,
      efConstruction: this.options.efConstruction,
      exactFallbacks: this.exactFallbacks,
    };
  }

  /** Sets the search beam width; a search still explores at least k + 1 candidates. */
  setEf(ef: number): DreamResult<void> {
    const problem = requireInteger("ef", ef, 1, 1_000_000);
    if (problem) return err(problem);
    this.store.native.setEf(ef);
    this.ef = ef;
    return ok(undefined);
  }

  /** Rebuilds the graph from the stored rows in a fresh native index: no tombstones, dense labels. */
  compact(): DreamResult<void> {
    const rebuilt = this.store.rebuilt(this.options, this.ef, this.scratch);
    if (!rebuilt.ok) return rebuilt;
    this.store = rebuilt.value;
    this.rebuilds++;
    return ok(undefined);
  }

  /** A self-describing snapshot: verified sidecar + hnswlib binary in one buffer (snapshot.ts). */
  toBytes(): DreamResult<Uint8Array> {
    return snapshotBytes(this.store, this.options, this.ef, this.rebuilds);
  }

  /**
   * Restores `toBytes` output after verifying it: damage -> IndexCorrupted; a snapshot of another
   * dim or metric than `expect` names -> DimensionMismatch / InvalidConfiguration.
   */
  static fromBytes(bytes: Uint8Array, expect: SnapshotExpectation = {}): DreamResult<HnswIndex> {
    const restored = restoreSnapshot(bytes, expect);
    if (!restored.ok) return restored;
    const { options, store, rebuilds } = restored.value;
    return ok(new HnswIndex(options, store, rebuilds, LABEL_LIMIT));
  }

  /**
   * Saves atomically (temp file, fsync, size check, rename). The snapshot is taken synchronously,
   * inside this call, so no native call ever overlaps the async I/O and the index stays usable
   * meanwhile (later changes are not in this save); saves of one index land in call order.
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

  private checkEntry(id: unknown, vector: unknown, context: string): DreamError | null {
    if (typeof id !== "string" || id.length === 0) {
      return invalidParameter("id", id, "must be a non-empty string");
    }
    return checkVector("vector", vector, this.dim, context, this.metric === "cosine");
  }

  private insert(id: string, stored: Float32Array): DreamResult<void> {
    if (this.store.nextLabel >= this.labelLimit) {
      // Labels run out before hnswlib would wrap them: renumber densely in a fresh graph.
      const renumbered = this.compact();
      if (!renumbered.ok) return renumbered;
    }
    return this.store.insert(id, stored, this.scratch, this.labelLimit);
  }

  private maybeCompact(): void {
    const { slots, tombstones } = this.store;
    // A failed rebuild keeps the current, still correct, graph.
    if (slots > 0 && tombstones / slots > this.options.compactionThreshold) this.compact();
  }

  /** `scale` makes the query unit length under cosine (queryScale), 1 otherwise. */
  private searchChecked(
    query: Float32Array,
    scale: number,
    k: number,
    options: SearchOptions,
  ): DreamResult<Hit[]> {
    if (this.size === 0) return ok([]);
    const prepared = fillScratch(this.scratch, query, scale);
    const { filter, minScore } = options;
    const allow = filter === undefined ? undefined : this.guard(filter);
    const ratio = this.options.exactFallbackRatio;
    let found: ReturnType<typeof searchCandidates>;
    try {
      found = searchCandidates(this.store, prepared, Math.min(k, this.size), allow, ratio);
    } catch (e) {
      return err(translateNativeError(e, "HnswIndex.search", this.store.capacity));
    }
    if (found.exact) this.exactFallbacks++;
    const hits: Hit[] = [];
    for (const candidate of found.candidates) {
      const hit = hitOf(this.metric, candidate.id, candidate.nativeDistance);
      if (minScore === undefined || hit.score >= minScore) hits.push(hit);
    }
    return ok(hits);
  }

  /** A user filter that cannot throw into native code (that aborts the process, peers.md §2.4). */
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
