import {
  capacityExceeded,
  criticalState,
  type DreamError,
  type DreamResult,
  err,
  invalidParameter,
  ok,
  requireInteger,
} from "@dreampool/errors";
import type { Hit, IndexStats, Metric, SearchOptions, VectorIndex } from "./contract.js";
import { ScanBuffers, scanTopK } from "./exact-scan.js";
import { decodeExactSnapshot, encodeExactSnapshot } from "./exact-snapshot.js";
import { MAX_JS_SLAB_ELEMENTS } from "./row-slab.js";
import { simdScanTopK } from "./simd-scan.js";
import { emptySlab, packedSlab, type ScanSlab } from "./slab-choice.js";
import { checkId, checkK, checkMetric, checkSearchOptions, checkSimd, checkVector } from "./validation.js";
import { normalizeInPlace } from "./vector-math.js";

export interface ExactIndexOptions {
  /** Vector length, an integer in [1, 65536]. */
  readonly dim: number;
  /** Default "cosine". */
  readonly metric?: Metric;
  /** Rows allocated up front (the slab doubles when full). Default 64. */
  readonly initialCapacity?: number;
  /**
   * Scan path. Default: WebAssembly SIMD when it validates in this runtime (rows in WebAssembly
   * memory, float32 sums), else the JS kernels (float64 sums). false: always the JS kernels;
   * true: SIMD or an error.
   */
  readonly simd?: boolean;
}

export const MAX_DIM = 65_536;
const DEFAULT_INITIAL_CAPACITY = 64;

/**
 * An exact (brute-force) vector index: every search scores every live row. Rows live in one
 * growable slab: WebAssembly memory scored by a SIMD kernel where the runtime has it (the scan
 * is memory-bound; 128-bit lanes reach native exact-search speed), a Float32Array scored by JS
 * kernels otherwise. Cosine rows are normalised on the way in so a search is one dot product
 * per row; removal swaps the last row into the hole (O(1), no tombstones); top-k uses a bounded
 * heap. The ground truth for approximate indexes and the default for small pools.
 */
export class ExactIndex implements VectorIndex {
  readonly kind = "exact";
  readonly dim: number;
  readonly metric: Metric;
  private readonly slab: ScanSlab;
  private rowIds: string[] = [];
  private readonly rowOf: Map<string, number>;
  private filterErrors = 0;
  // > 0 while a search runs: a filter callback may search again (it gets fresh buffers) but must
  // not change the index, whose rows the running scan is walking.
  private scanDepth = 0;
  // Scratch buffers reused by every call (the index is single-threaded).
  private readonly vectorScratch: Float64Array;
  private readonly queryA: Float64Array;
  private readonly queryB: Float64Array;
  private readonly buffers = new ScanBuffers();
  private readonly initialCapacity: number;

  private constructor(
    dim: number,
    metric: Metric,
    initialCapacity: number,
    slab: ScanSlab,
    rowOf = new Map<string, number>(),
  ) {
    this.dim = dim;
    this.rowOf = rowOf;
    this.metric = metric;
    this.initialCapacity = initialCapacity;
    this.slab = slab;
    this.vectorScratch = new Float64Array(dim);
    this.queryA = new Float64Array(dim);
    this.queryB = new Float64Array(dim);
  }

  static create(options: ExactIndexOptions): DreamResult<ExactIndex> {
    if (typeof options !== "object" || options === null) {
      return err(
        invalidParameter("options", options, "must be an object { dim, metric?, initialCapacity?, simd? }"),
      );
    }
    const { dim, metric = "cosine", initialCapacity = DEFAULT_INITIAL_CAPACITY, simd } = options;
    const bad =
      requireInteger("dim", dim, 1, MAX_DIM) ??
      checkMetric("metric", metric) ??
      requireInteger("initialCapacity", initialCapacity, 1, Math.floor(MAX_JS_SLAB_ELEMENTS / dim)) ??
      checkSimd(simd);
    if (bad) return err(bad);
    const slab = emptySlab(dim, initialCapacity, simd);
    if (!slab.ok) return slab;
    return ok(new ExactIndex(dim, metric, initialCapacity, slab.value));
  }

  /**
   * Restores an index written by {@link toBytes} (either path reads either path's snapshots);
   * hostile or damaged bytes give IndexCorrupted. `simd` chooses the scan path as in create().
   */
  static fromBytes(bytes: Uint8Array, options?: { readonly simd?: boolean }): DreamResult<ExactIndex> {
    const simd = options?.simd;
    const badSimd = checkSimd(simd);
    if (badSimd) return err(badSimd);
    const decoded = decodeExactSnapshot(bytes, MAX_DIM);
    if (!decoded.ok) return decoded;
    const { dim, metric, ids, rowOf, vectors } = decoded.value;
    const slab = packedSlab(dim, vectors, DEFAULT_INITIAL_CAPACITY, simd);
    if (!slab.ok) return slab;
    const index = new ExactIndex(dim, metric, DEFAULT_INITIAL_CAPACITY, slab.value, rowOf);
    index.rowIds = ids;
    return ok(index);
  }

  get size(): number {
    return this.rowIds.length;
  }

  /** Rows allocated in the slab. */
  get capacity(): number {
    return this.slab.capacity;
  }

  /** Whether searches run on the WebAssembly SIMD path (false: the JS kernels). */
  get simd(): boolean {
    return this.slab.kind === "simd";
  }

  add(id: string, vector: Float32Array): DreamResult<void> {
    if (this.scanDepth > 0) return err(this.modifiedDuringScan("add"));
    const bad = checkId("id", id) ?? checkVector("vector", vector, this.dim, this.metric, "ExactIndex.add");
    if (bad) return err(bad);
    if (this.rowOf.has(id)) {
      return err(invalidParameter("id", id, "must not be in the index already (use upsert to replace)"));
    }
    return this.insert(id, vector);
  }

  upsert(id: string, vector: Float32Array): DreamResult<void> {
    if (this.scanDepth > 0) return err(this.modifiedDuringScan("upsert"));
    const bad =
      checkId("id", id) ?? checkVector("vector", vector, this.dim, this.metric, "ExactIndex.upsert");
    if (bad) return err(bad);
    const row = this.rowOf.get(id);
    if (row === undefined) return this.insert(id, vector);
    this.writeRow(row, vector);
    return ok(undefined);
  }

  /** Throws a CriticalState DreamError only when called from inside this index's search filter. */
  remove(id: string): boolean {
    if (this.scanDepth > 0) throw this.modifiedDuringScan("remove");
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    const last = this.rowIds.length - 1;
    if (row !== last) {
      this.slab.move(last, row);
      const movedId = this.rowIds[last] as string;
      this.rowIds[row] = movedId;
      this.rowOf.set(movedId, row);
    }
    this.rowIds.pop();
    this.rowOf.delete(id);
    return true;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  get(id: string): Float32Array | undefined {
    const row = this.rowOf.get(id);
    if (row === undefined) return undefined;
    return this.slab.read(row);
  }

  ids(): IterableIterator<string> {
    // A copy, so removing while iterating cannot skip or repeat ids.
    return this.rowIds.slice().values();
  }

  search(query: Float32Array, k: number, options?: SearchOptions): DreamResult<Hit[]> {
    const bad =
      checkK(k) ??
      checkSearchOptions(options) ??
      checkVector("query", query, this.dim, this.metric, "ExactIndex.search");
    if (bad) return err(bad);
    return ok(this.scan([query], k, options)[0] as Hit[]);
  }

  searchBatch(queries: readonly Float32Array[], k: number, options?: SearchOptions): DreamResult<Hit[][]> {
    if (!Array.isArray(queries)) {
      return err(invalidParameter("queries", queries, "must be an array of vectors"));
    }
    const bad = checkK(k) ?? checkSearchOptions(options);
    if (bad) return err(bad);
    for (let i = 0; i < queries.length; i++) {
      const badQuery = checkVector(
        `queries[${i}]`,
        queries[i],
        this.dim,
        this.metric,
        "ExactIndex.searchBatch",
      );
      if (badQuery) return err(badQuery);
    }
    const results: Hit[][] = [];
    if (this.slab.kind === "simd") {
      for (const query of queries) results.push(...this.scan([query], k, options));
      return ok(results);
    }
    // JS kernels: two queries per pass, each row is read once for both.
    for (let i = 0; i < queries.length; i += 2) {
      const pair = i + 1 < queries.length ? [queries[i], queries[i + 1]] : [queries[i]];
      results.push(...this.scan(pair as ArrayLike<number>[], k, options));
    }
    return ok(results);
  }

  /**
   * Removes every entry and gives the grown slab back (capacity returns to the initial one).
   * Throws a CriticalState DreamError only when called from inside this index's search filter.
   */
  clear(): void {
    if (this.scanDepth > 0) throw this.modifiedDuringScan("clear");
    this.rowIds = [];
    this.rowOf.clear();
    this.slab.release(this.initialCapacity);
  }

  stats(): IndexStats {
    return {
      kind: this.kind,
      dim: this.dim,
      metric: this.metric,
      size: this.size,
      tombstones: 0,
      capacity: this.capacity,
      rebuilds: 0,
      filterErrors: this.filterErrors,
    };
  }

  toBytes(): DreamResult<Uint8Array> {
    const count = this.rowIds.length;
    return encodeExactSnapshot({
      metric: this.metric,
      dim: this.dim,
      ids: this.rowIds,
      vectors: this.slab.packed(count),
    });
  }

  private modifiedDuringScan(operation: string): DreamError {
    return criticalState(
      `ExactIndex.${operation}`,
      "called from inside a search filter of the same index; the index cannot change during its own scan",
    );
  }

  private insert(id: string, vector: ArrayLike<number>): DreamResult<void> {
    const row = this.rowIds.length;
    if (!this.slab.reserve(row + 1)) {
      // Out of memory (or past the slab's maximum): nothing was changed.
      return err(capacityExceeded(row + 1, Math.min(this.slab.maxRows, this.slab.capacity)));
    }
    this.writeRow(row, vector);
    this.rowIds.push(id);
    this.rowOf.set(id, row);
    return ok(undefined);
  }

  /** Writes a validated vector into a row; cosine rows are normalised in float64 first. */
  private writeRow(row: number, vector: ArrayLike<number>): void {
    const scratch = this.vectorScratch;
    for (let i = 0; i < this.dim; i++) scratch[i] = vector[i] as number;
    if (this.metric === "cosine") normalizeInPlace(scratch);
    this.slab.write(row, scratch);
  }

  /** Exact top-k for one or two validated queries. */
  private scan(
    queries: readonly ArrayLike<number>[],
    k: number,
    options: SearchOptions | undefined,
  ): Hit[][] {
    const count = this.rowIds.length;
    if (count === 0) return queries.map(() => []);
    // A search nested in a filter callback must not clobber the running scan's buffers.
    const nested = this.scanDepth > 0;
    const prepared = queries.map((query, i) => {
      const q = nested ? new Float64Array(this.dim) : i === 0 ? this.queryA : this.queryB;
      for (let j = 0; j < this.dim; j++) q[j] = query[j] as number;
      if (this.metric === "cosine") normalizeInPlace(q);
      return q;
    }) as [Float64Array] | [Float64Array, Float64Array];
    const euclidean = this.metric === "euclidean";
    const ids = this.rowIds;
    const buffers = nested ? new ScanBuffers() : this.buffers;
    const slab = this.slab;
    this.scanDepth++;
    try {
      if (slab.kind === "js") {
        const source = { slab: slab.rows, dim: this.dim, count, ids, euclidean };
        return scanTopK(source, prepared, k, options, buffers, this.guard);
      }
      const [query] = prepared;
      if (slab.float32Safe(query)) {
        return [simdScanTopK({ slab, count, ids, euclidean }, query, k, options, buffers.topA, this.guard)];
      }
      // Components so large that float32 sums could overflow: float64 JS kernels over the
      // padded rows (padding is zero in rows and query, so it adds nothing).
      const padded = new Float64Array(slab.stride);
      padded.set(query);
      const source = { slab: slab.rows, dim: slab.stride, count, ids, euclidean };
      return scanTopK(source, [padded], k, options, buffers, this.guard);
    } finally {
      this.scanDepth--;
    }
  }

  private readonly guard = (filter: (id: string) => boolean, id: string): boolean => {
    try {
      return Boolean(filter(id));
    } catch {
      this.filterErrors++;
      return false;
    }
  };
}
