import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import { BiasProfile, type RetrievalWeights } from "@dreampool/scoring";
import type { ChromaticTensor, ColorClass, Rgb, SolverResult } from "@dreampool/tensor";
import { addBatch } from "./add-batch.js";
import { checkRawEntry, commitEntry, dropRecord, liveVectors, prepareEntry, timeOf } from "./add-path.js";
import { asyncView } from "./async-pool.js";
import { resolveConfig } from "./config.js";
import { applyFeedback } from "./feedback.js";
import { createPoolState } from "./pool-factory.js";
import type { PoolState } from "./pool-state.js";
import { reentrantCall, zeroCounters } from "./pool-state.js";
import { cacheFingerprintOf } from "./query-embedding.js";
import { retrieveFrom } from "./retrieval.js";
import { retrieveBalanced, retrieveDiverse, retrieveSimilar } from "./seed-retrievals.js";
import { decodeSnapshot, encodeSnapshot, type SnapshotLoadOptions } from "./snapshot/snapshot-codec.js";
import { collectStats } from "./stats.js";
import type {
  AddBatchOptions,
  AddOptions,
  BatchItem,
  DreamEntry,
  DreamPoolLike,
  DreamPoolOptions,
  FeedbackInput,
  PoolQuery,
  PoolStats,
  ResolvedPoolConfig,
  RetrieveOptions,
  ScoredDream,
  UtilityStats,
} from "./types.js";

/**
 * A retrieval memory of good solver states ("dreams"). Entries are gated on coherence, encoded
 * once, kept under a size cap and a byte budget by an eviction policy, and indexed incrementally
 * (chroma index for hard mode, exact or HNSW embedding index for soft mode): an entry is
 * retrievable the moment `add` returns, and an evicted or removed one never comes back.
 * Single-threaded: call it from one event loop (use @dreampool/postgres to share a pool).
 */
export class DreamPool {
  private constructor(private readonly state: PoolState) {}

  /** A new, empty pool; every option is validated (InvalidConfiguration names the field). */
  static create(options?: DreamPoolOptions): DreamResult<DreamPool> {
    const config = resolveConfig(options);
    if (!config.ok) return config;
    const state = createPoolState(config.value, options?.clock ?? Date.now);
    return state.ok ? ok(new DreamPool(state.value)) : state;
  }

  /** Restores a pool from `toBytes()` output; never touches an existing pool (see snapshot-codec.ts). */
  static fromBytes(bytes: Uint8Array, options?: SnapshotLoadOptions): DreamResult<DreamPool> {
    const state = decodeSnapshot(bytes, options);
    return state.ok ? ok(new DreamPool(state.value)) : state;
  }

  /** Reads a snapshot file written by `save` (Node only: loads `@dreampool/pool/node` lazily). */
  static async load(path: string, options?: SnapshotLoadOptions): Promise<DreamResult<DreamPool>> {
    const { readSnapshotFile } = await import("./node/snapshot-file.js");
    const bytes = await readSnapshotFile(path);
    return bytes.ok ? DreamPool.fromBytes(bytes.value, options) : bytes;
  }

  /** Writes the snapshot atomically (temp file, fsync, rename); Node only. */
  async save(path: string): Promise<DreamResult<void>> {
    const bytes = this.toBytes();
    if (!bytes.ok) return bytes;
    const { writeSnapshotFile } = await import("./node/snapshot-file.js");
    return writeSnapshotFile(path, bytes.value);
  }

  /** One buffer: magic, version, config, encoder fingerprint, entries, bias profile, CRC-32. */
  toBytes(): DreamResult<Uint8Array> {
    return encodeSnapshot(this.state);
  }

  get config(): ResolvedPoolConfig {
    return this.state.config;
  }
  /** The embedding mapper's fingerprint (stored in snapshots, checked on load). */
  get fingerprint(): string {
    return this.state.mapper.fingerprint;
  }
  get size(): number {
    return this.state.entries.size;
  }

  /** Adds without the coherence gate; returns the new entry's id. */
  add(tensor: ChromaticTensor, result: SolverResult, options: AddOptions = {}): DreamResult<string> {
    return this.addOne(tensor, result, options, false) as DreamResult<string>;
  }

  /** Adds when coherence >= coherenceThreshold; null when gated out. */
  addIfCoherent(
    tensor: ChromaticTensor,
    result: SolverResult,
    options: AddOptions = {},
  ): DreamResult<string | null> {
    return this.addOne(tensor, result, options, true);
  }

  /** `addIfCoherent` with a class label. */
  addWithClass(
    tensor: ChromaticTensor,
    result: SolverResult,
    classLabel: ColorClass,
  ): DreamResult<string | null> {
    if (classLabel === null || classLabel === undefined) {
      return err(invalidParameter("classLabel", classLabel, "must be a ColorClass"));
    }
    return this.addOne(tensor, result, { classLabel }, true);
  }

  /**
   * Adds many entries; returns how many were added (gated-out items are skipped). Every item is
   * checked and encoded before the first one is inserted, so a bad item or one larger than the
   * whole budget fails the call with the pool unchanged; `items[i]` names the culprit.
   */
  addBatch(items: Iterable<BatchItem>, options: AddBatchOptions = {}): DreamResult<number> {
    if (this.state.filtering) return err(reentrantCall("addBatch"));
    return addBatch(this.state, items, options);
  }

  get(id: string): DreamEntry | undefined {
    return typeof id === "string" ? this.state.entries.get(id) : undefined;
  }

  has(id: string): boolean {
    return typeof id === "string" && this.state.entries.has(id);
  }

  /** Removes an entry from the pool and every index; false when it was not there. */
  remove(id: string): boolean {
    // Inside a retrieve filter the indices are mid-search: nothing is removed then.
    if (this.state.filtering) return false;
    const record = typeof id === "string" ? this.state.entries.get(id) : undefined;
    if (record === undefined) return false;
    dropRecord(this.state, record);
    this.state.counters.removed++;
    this.state.embeddingIndex.maybeMigrate(() => liveVectors(this.state));
    return true;
  }

  /** Live entries, oldest first. */
  entries(): DreamEntry[] {
    return Array.from(this.state.entries.values());
  }

  /** Empties everything: entries, both indices, the query cache, the budget, the bias profile and counters. Ids are not reused. */
  clear(): void {
    const s = this.state;
    // Inside a retrieve filter the indices are mid-search: clear() does nothing then.
    if (s.filtering) return;
    s.entries.clear();
    s.order.clear();
    s.scoreBounds.clear();
    s.chromaIndex.clear();
    s.zeroChroma.clear();
    s.embeddingIndex.clear();
    s.cache.clear();
    s.budget?.reset();
    const bias = BiasProfile.create();
    if (bias.ok) s.bias = bias.value;
    s.cacheFingerprint = cacheFingerprintOf(s.mapper, s.bias);
    s.usedBytes = 0;
    s.counters = zeroCounters();
  }

  /** Feedback on an entry: `{ lossBefore, lossAfter }` (utility = -clamp(after - before, -1, 1)) or `{ utility }`. */
  feedback(id: string, input: FeedbackInput): DreamResult<UtilityStats> {
    if (this.state.filtering) return err(reentrantCall("feedback"));
    return applyFeedback(this.state, id, input);
  }

  /** Scored retrieval in hard, soft (default) or hybrid mode; see RetrieveOptions. */
  retrieve(query: PoolQuery, options?: RetrieveOptions): DreamResult<ScoredDream[]> {
    return retrieveFrom(this.state, query, options);
  }

  /** The k entries whose mean colour is most similar (cosine) to `rgb`. */
  retrieveSimilar(rgb: Rgb, k = this.state.config.retrievalLimit): DreamResult<ScoredDream[]> {
    return retrieveSimilar(this.state, rgb, k, null);
  }

  /** `retrieveSimilar` restricted to one class. */
  retrieveSimilarClass(
    rgb: Rgb,
    classLabel: ColorClass,
    k = this.state.config.retrievalLimit,
  ): DreamResult<ScoredDream[]> {
    return retrieveSimilar(this.state, rgb, k, { classFilter: classLabel });
  }

  /** Up to kPerClass per class, in the order the classes are given (each class once). */
  retrieveBalanced(rgb: Rgb, classes: readonly ColorClass[], kPerClass: number): DreamResult<ScoredDream[]> {
    return retrieveBalanced(this.state, rgb, classes, kPerClass);
  }

  /** `retrieveSimilar` among entries whose mean utility is at least `minUtility`. */
  retrieveByUtility(rgb: Rgb, k: number, minUtility: number): DreamResult<ScoredDream[]> {
    return retrieveSimilar(this.state, rgb, k, { minUtility });
  }

  /**
   * Similar and mutually different: chroma candidates re-ranked by exact MMR with `lambda`
   * (1 = pure similarity); with minDispersion > 0 the list stops before a pick that would bring
   * the mean pairwise colour distance of the selection below it.
   */
  retrieveDiverse(rgb: Rgb, k: number, lambda: number, minDispersion = 0): DreamResult<ScoredDream[]> {
    return retrieveDiverse(this.state, rgb, k, lambda, minDispersion);
  }

  /** Soft (embedding) retrieval with optional weights. */
  retrieveSoft(
    query: PoolQuery,
    k = this.state.config.retrievalLimit,
    weights?: RetrievalWeights,
  ): DreamResult<ScoredDream[]> {
    return this.retrieve(query, { mode: "soft", k, ...(weights ? { weights } : {}) });
  }

  stats(): PoolStats {
    return collectStats(this.state);
  }

  /** The same pool behind the Promise-returning DreamPoolLike interface (what @dreampool/postgres implements). */
  asAsync(): DreamPoolLike {
    return asyncView(this);
  }

  private addOne(
    tensor: unknown,
    result: unknown,
    options: AddOptions,
    gate: boolean,
  ): DreamResult<string | null> {
    if (this.state.filtering) return err(reentrantCall("add"));
    if (typeof options !== "object" || options === null)
      return err(invalidParameter("options", options, "must be an object"));
    const raw = { tensor, result, classLabel: options.classLabel, meta: options.meta };
    const checked = checkRawEntry(raw, "");
    if (!checked.ok) return checked;
    const now = timeOf(this.state, options.now, "options.now");
    if (!now.ok) return now;
    if (gate && (result as SolverResult).coherence < this.state.config.coherenceThreshold) {
      this.state.counters.gatedOut++;
      return ok(null);
    }
    const prepared = prepareEntry(this.state, raw);
    if (!prepared.ok) return prepared;
    return commitEntry(this.state, prepared.value, now.value);
  }
}
