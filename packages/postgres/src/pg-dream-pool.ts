import type { EmbeddingMapper } from "@dreampool/embedding";
import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import type {
  AddBatchOptions,
  AddOptions,
  BatchItem,
  DreamEntry,
  DreamPoolLike,
  FeedbackInput,
  PoolQuery,
  PoolStats,
  ScoredDream,
  UtilityStats,
} from "@dreampool/pool";
import type { BiasProfile, RetrievalWeights } from "@dreampool/scoring";
import type { ChromaticTensor, ColorClass, Rgb, SolverResult } from "@dreampool/tensor";
import { readCounters, updateCounters, zeroDelta } from "./capacity.js";
import { openPool, type PoolRuntime } from "./connect.js";
import { balanced, diverse, type Retriever, similarityOnly } from "./conveniences.js";
import { toDreamError } from "./db-errors.js";
import { ENTRY_COLUMNS, type EntryRow, entryFromRow, entrySource } from "./entry-row.js";
import { emptyBias, feedbackUtility, recordFeedback } from "./feedback.js";
import { lockPool } from "./migrations.js";
import type { PgDreamPoolOptions, PgPoolSettings } from "./options.js";
import { type EntryEncoder, prepareBatch, prepareEntry } from "./prepare.js";
import { runRetrieval } from "./retrieve.js";
import { type PgRetrieveOptions, resolveRetrieveOptions } from "./retrieve-options.js";
import { readStats } from "./stats.js";
import {
  chunksWithinLimits,
  clearEntries,
  insertEntries,
  removeEntry,
  reportProgress,
} from "./write-path.js";

/** PostgreSQL text cannot hold NUL, so no stored id contains one: such an id is simply not there. */
const storableId = (id: string): boolean => !id.includes("\u0000");

/**
 * The dream pool on PostgreSQL + pgvector: the DreamPool API (async), shared by every process that
 * connects to the same table. Capacity and budget are enforced in the database under a per-pool
 * advisory lock, so concurrent writers never push the pool past its limits.
 */
export class PgDreamPool implements DreamPoolLike {
  private closed = false;
  private bias: BiasProfile;
  readonly settings: PgPoolSettings;
  readonly mapper: EmbeddingMapper;

  private constructor(private readonly rt: PoolRuntime) {
    this.bias = rt.bias;
    this.settings = rt.settings;
    this.mapper = rt.mapper;
  }

  /**
   * Connects, applies pending schema migrations (under the pool lock, so processes connecting at
   * once do not race) and checks the table's encoder fingerprint, dimension and HNSW parameters.
   * Bad options are InvalidConfiguration; an unreachable server is FeatureUnavailable.
   */
  static async connect(options: PgDreamPoolOptions): Promise<DreamResult<PgDreamPool>> {
    const runtime = await openPool(options);
    return runtime.ok ? ok(new PgDreamPool(runtime.value)) : runtime;
  }

  /** "pg" or "pglite". */
  get engine(): "pg" | "pglite" {
    return this.rt.executor.engine;
  }

  /** Where the pool lives (host:port/db or pglite), safe to print. */
  get target(): string {
    return this.rt.executor.target;
  }

  get table(): string {
    return this.rt.names.table;
  }

  private get encoder(): EntryEncoder {
    return { mapper: this.mapper, spectralWindow: this.rt.spectralWindow, hnswM: this.settings.hnsw.m };
  }

  /** Runs a database operation, mapping anything thrown to a DreamError without secrets. */
  private async db<T>(operation: string, fn: () => Promise<DreamResult<T>>): Promise<DreamResult<T>> {
    if (this.closed)
      return err(invalidParameter("pool", "closed", `${operation} needs an open pool (close() was called)`));
    try {
      return await fn();
    } catch (error) {
      return err(toDreamError(error, operation, this.rt.executor.target, this.rt.secrets));
    }
  }

  async add(
    tensor: ChromaticTensor,
    result: SolverResult,
    options: AddOptions = {},
  ): Promise<DreamResult<string>> {
    const now = options.now ?? this.rt.clock();
    const prepared = prepareEntry(this.encoder, tensor, result, options.classLabel, options.meta, now);
    if (!prepared.ok) return prepared;
    const ids = await this.db("add", () =>
      insertEntries(this.rt.executor, this.rt.names, this.settings, [prepared.value]),
    );
    if (!ids.ok) return ids;
    const id = ids.value[0];
    return id === undefined ? err(invalidParameter("tensor", tensor, "was not stored")) : ok(id);
  }

  async addIfCoherent(
    tensor: ChromaticTensor,
    result: SolverResult,
    options: AddOptions = {},
  ): Promise<DreamResult<string | null>> {
    if (
      typeof result === "object" &&
      result !== null &&
      typeof result.coherence === "number" &&
      Number.isFinite(result.coherence)
    ) {
      if (result.coherence < this.settings.coherenceThreshold) {
        const counted = await this.db("addIfCoherent", () => this.countGatedOut(1));
        return counted.ok ? ok(null) : counted;
      }
    }
    return this.add(tensor, result, options);
  }

  addWithClass(
    tensor: ChromaticTensor,
    result: SolverResult,
    classLabel: ColorClass,
  ): Promise<DreamResult<string | null>> {
    return this.addIfCoherent(tensor, result, { classLabel });
  }

  /**
   * Adds many entries with multi-row INSERTs, one transaction per chunk (each makes room for its
   * chunk first). Items are validated and encoded in the client before anything is written; an
   * invalid item fails the call before any write. Returns the number stored.
   */
  async addBatch(items: Iterable<BatchItem>, options: AddBatchOptions = {}): Promise<DreamResult<number>> {
    const batch = prepareBatch(this.encoder, items, {
      gate: options.gate ?? true,
      coherenceThreshold: this.settings.coherenceThreshold,
      now: options.now ?? this.rt.clock(),
    });
    if (!batch.ok) return batch;
    const { prepared, gatedOut, total } = batch.value;
    let added = 0;
    const stored = await this.db("addBatch", async () => {
      for (const chunk of chunksWithinLimits(prepared, this.settings)) {
        const ids = await insertEntries(this.rt.executor, this.rt.names, this.settings, chunk);
        if (!ids.ok) return ids;
        added += ids.value.length;
        reportProgress(options.onProgress, { processed: Math.min(total, added + gatedOut), added, total });
      }
      if (gatedOut > 0) await this.countGatedOut(gatedOut);
      return ok(added);
    });
    if (stored.ok) reportProgress(options.onProgress, { processed: total, added, total });
    return stored;
  }

  private async countGatedOut(n: number): Promise<DreamResult<void>> {
    await updateCounters(this.rt.executor, this.rt.names, zeroDelta(), { gatedOut: n });
    return ok(undefined);
  }

  async get(id: string): Promise<DreamResult<DreamEntry | undefined>> {
    if (typeof id !== "string") return err(invalidParameter("id", id, "must be a string"));
    if (!storableId(id)) return ok(undefined);
    return this.db("get", async () => {
      const { rows } = await this.rt.executor.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM ${entrySource(this.rt.names)} WHERE d.id = $1`,
        [id],
      );
      const row = rows[0];
      return row === undefined ? ok(undefined) : entryFromRow(row);
    });
  }

  async has(id: string): Promise<DreamResult<boolean>> {
    if (typeof id !== "string") return err(invalidParameter("id", id, "must be a string"));
    if (!storableId(id)) return ok(false);
    return this.db("has", async () => {
      const { rows } = await this.rt.executor.query(`SELECT 1 FROM ${this.rt.names.dreams} WHERE id = $1`, [
        id,
      ]);
      return ok(rows.length > 0);
    });
  }

  async remove(id: string): Promise<DreamResult<boolean>> {
    if (typeof id !== "string") return err(invalidParameter("id", id, "must be a string"));
    if (!storableId(id)) return ok(false);
    return this.db("remove", () => removeEntry(this.rt.executor, this.rt.names, id));
  }

  /** Every entry, oldest first. Loads the whole table: meant for tools and tests, not hot paths. */
  async entries(): Promise<DreamResult<DreamEntry[]>> {
    return this.db("entries", async () => {
      const { rows } = await this.rt.executor.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM ${entrySource(this.rt.names)} ORDER BY d.seq`,
      );
      const out: DreamEntry[] = [];
      for (const row of rows) {
        const entry = entryFromRow(row);
        if (!entry.ok) return entry;
        out.push(entry.value);
      }
      return ok(out);
    });
  }

  async size(): Promise<DreamResult<number>> {
    return this.db("size", async () => ok((await readCounters(this.rt.executor, this.rt.names)).entryCount));
  }

  /** Removes every entry and resets usage, counters and the bias profile; ids are never reused. */
  async clear(): Promise<DreamResult<void>> {
    const cleared = await this.db("clear", () => clearEntries(this.rt.executor, this.rt.names));
    if (cleared.ok) this.bias = emptyBias();
    return cleared;
  }

  /** Updates the entry's running mean utility in one atomic UPDATE, then the shared bias profile. */
  async feedback(id: string, input: FeedbackInput): Promise<DreamResult<UtilityStats>> {
    if (typeof id !== "string") return err(invalidParameter("id", id, "must be a string"));
    if (!storableId(id)) return err(invalidParameter("id", id, "must be the id of a live entry"));
    const utility = feedbackUtility(input);
    if (!utility.ok) return utility;
    return this.db("feedback", async () => {
      const updated = await recordFeedback(this.rt.executor, this.rt.names, id, utility.value, input);
      if (!updated.ok) return updated;
      this.bias = updated.value.bias;
      return ok(updated.value.stats);
    });
  }

  /** See RetrieveOptions; `exact` (PgRetrieveOptions) bypasses the HNSW index for one query. */
  retrieve(query: PoolQuery, options?: PgRetrieveOptions): Promise<DreamResult<ScoredDream[]>> {
    return this.runRetrieve(query, options, true);
  }

  private async runRetrieve(
    query: PoolQuery,
    options: PgRetrieveOptions | undefined,
    useRecency: boolean,
  ): Promise<DreamResult<ScoredDream[]>> {
    const defaults = { k: this.settings.retrievalLimit, weights: this.rt.weights, now: this.rt.clock() };
    const resolved = resolveRetrieveOptions(options, defaults);
    if (!resolved.ok) return resolved;
    const context = {
      exec: this.rt.executor,
      names: this.rt.names,
      settings: this.settings,
      mapper: this.mapper,
      bias: this.bias,
      spectralWindow: this.rt.spectralWindow,
    };
    return this.db("retrieve", () => runRetrieval(context, query, resolved.value, useRecency));
  }

  /** Seed-style: the k entries whose mean colour is closest (chroma cosine), by similarity alone. */
  retrieveSimilar(rgb: Rgb, k?: number): Promise<DreamResult<ScoredDream[]>> {
    return similarityOnly(this.retriever, rgb, { k });
  }

  /** `retrieveSimilar` restricted to one class. */
  retrieveSimilarClass(rgb: Rgb, classLabel: ColorClass, k?: number): Promise<DreamResult<ScoredDream[]>> {
    return similarityOnly(this.retriever, rgb, { k, classFilter: classLabel });
  }

  /** kPerClass per class, classes in the order given (a class listed twice counts once). */
  retrieveBalanced(
    rgb: Rgb,
    classes: readonly ColorClass[],
    kPerClass: number,
  ): Promise<DreamResult<ScoredDream[]>> {
    return balanced(this.retriever, rgb, classes, kPerClass);
  }

  /** `retrieveSimilar` among entries whose mean utility is at least `minUtility`. */
  retrieveByUtility(rgb: Rgb, k: number, minUtility: number): Promise<DreamResult<ScoredDream[]>> {
    return similarityOnly(this.retriever, rgb, { k, minUtility });
  }

  /**
   * Similar and mutually different: chroma candidates re-ranked by exact MMR with `lambda`; with
   * minDispersion > 0 the list stops before a pick that would bring the mean pairwise colour
   * distance of the selection below it (as the in-memory pool).
   */
  retrieveDiverse(
    rgb: Rgb,
    k: number,
    lambda: number,
    minDispersion = 0,
  ): Promise<DreamResult<ScoredDream[]>> {
    return diverse(this.retriever, rgb, k, lambda, minDispersion);
  }

  retrieveSoft(
    query: PoolQuery,
    k?: number,
    weights?: RetrievalWeights,
  ): Promise<DreamResult<ScoredDream[]>> {
    return this.retrieve(query, {
      mode: "soft",
      ...(k === undefined ? {} : { k }),
      ...(weights ? { weights } : {}),
    });
  }

  private readonly retriever: Retriever = (query, options, useRecency) =>
    this.runRetrieve(query, options, useRecency);

  async stats(): Promise<DreamResult<PoolStats>> {
    return this.db("stats", () => readStats(this.rt.executor, this.rt.names, this.settings, this.mapper.dim));
  }

  /** Deletes the pool's tables and sequence (every entry, for every process). The pool stays usable only for close(). */
  async drop(): Promise<DreamResult<void>> {
    return this.db("drop", async () => {
      await this.rt.executor.transaction(async (tx) => {
        await lockPool(tx, this.rt.names.table);
        const n = this.rt.names;
        await tx.query(`DROP TABLE IF EXISTS ${n.usage}, ${n.dreams}, ${n.meta}, ${n.migrations}`);
        await tx.query(`DROP SEQUENCE IF EXISTS ${n.sequence}`);
      });
      return ok(undefined);
    });
  }

  /** Ends the connections this pool opened (a caller's pg Pool or PGlite stays open). Idempotent. */
  async close(): Promise<DreamResult<void>> {
    if (this.closed) return ok(undefined);
    this.closed = true;
    try {
      await this.rt.executor.close();
      return ok(undefined);
    } catch (error) {
      return err(toDreamError(error, "close", this.rt.executor.target, this.rt.secrets));
    }
  }
}
