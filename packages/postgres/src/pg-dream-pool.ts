import type { EmbeddingMapper, WindowFunction } from "@dreampool/embedding";
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
import { toDreamError } from "./db-errors.js";
import { ENTRY_COLUMNS, type EntryRow, entryFromRow, entrySource, type PreparedEntry } from "./entry-row.js";
import type { SqlExecutor } from "./executor.js";
import { emptyBias, feedbackUtility, recordFeedback } from "./feedback.js";
import type { PoolObjectNames } from "./identifier.js";
import { lockPool } from "./migrations.js";
import type { PgDreamPoolOptions, PgPoolSettings } from "./options.js";
import { type EntryEncoder, prepareEntry } from "./prepare.js";
import { runRetrieval } from "./retrieve.js";
import { type PgRetrieveOptions, resolveRetrieveOptions } from "./retrieve-options.js";
import { readStats } from "./stats.js";
import {
  chunksWithinLimits,
  clearEntries,
  insertEntries,
  removeEntry,
  reportProgress,
  withItemIndex,
} from "./write-path.js";

/**
 * The dream pool on PostgreSQL + pgvector: the DreamPool API (async), shared by every process that
 * connects to the same table. Capacity and budget are enforced in the database under a per-pool
 * advisory lock, so concurrent writers never push the pool past its limits.
 */
export class PgDreamPool implements DreamPoolLike {
  private closed = false;

  private bias: BiasProfile;
  private readonly exec: SqlExecutor;
  private readonly secrets: readonly string[];
  private readonly names: PoolObjectNames;
  readonly settings: PgPoolSettings;
  readonly mapper: EmbeddingMapper;
  private readonly weights: RetrievalWeights;
  private readonly spectralWindow: WindowFunction;
  private readonly clock: () => number;

  private constructor(runtime: PoolRuntime) {
    this.exec = runtime.executor;
    this.secrets = runtime.secrets;
    this.names = runtime.names;
    this.settings = runtime.settings;
    this.mapper = runtime.mapper;
    this.weights = runtime.weights;
    this.spectralWindow = runtime.spectralWindow;
    this.clock = runtime.clock;
    this.bias = runtime.bias;
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
    return this.exec.engine;
  }

  /** Where the pool lives (host:port/db or pglite), safe to print. */
  get target(): string {
    return this.exec.target;
  }

  get table(): string {
    return this.names.table;
  }

  private get encoder(): EntryEncoder {
    return { mapper: this.mapper, spectralWindow: this.spectralWindow, hnswM: this.settings.hnsw.m };
  }

  /** Runs a database operation, mapping anything thrown to a DreamError without secrets. */
  private async db<T>(operation: string, fn: () => Promise<DreamResult<T>>): Promise<DreamResult<T>> {
    if (this.closed)
      return err(invalidParameter("pool", "closed", `${operation} needs an open pool (close() was called)`));
    try {
      return await fn();
    } catch (error) {
      return err(toDreamError(error, operation, this.exec.target, this.secrets));
    }
  }

  async add(
    tensor: ChromaticTensor,
    result: SolverResult,
    options: AddOptions = {},
  ): Promise<DreamResult<string>> {
    const now = options.now ?? this.clock();
    const prepared = prepareEntry(this.encoder, tensor, result, options.classLabel, options.meta, now);
    if (!prepared.ok) return prepared;
    const ids = await this.db("add", () =>
      insertEntries(this.exec, this.names, this.settings, [prepared.value]),
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
    if (
      items === null ||
      typeof items !== "object" ||
      typeof (items as Iterable<BatchItem>)[Symbol.iterator] !== "function"
    ) {
      return err(
        invalidParameter("items", items, "must be an iterable of { tensor, result, classLabel?, meta? }"),
      );
    }
    const gate = options.gate ?? true;
    const now = options.now ?? this.clock();
    const prepared: PreparedEntry[] = [];
    let gatedOut = 0;
    let index = 0;
    for (const item of items) {
      if (typeof item !== "object" || item === null)
        return err(invalidParameter(`items[${index}]`, item, "must be an object"));
      if (
        gate &&
        typeof item.result?.coherence === "number" &&
        item.result.coherence < this.settings.coherenceThreshold
      ) {
        gatedOut++;
      } else {
        const entry = prepareEntry(this.encoder, item.tensor, item.result, item.classLabel, item.meta, now);
        if (!entry.ok) return err(withItemIndex(entry.error, index));
        prepared.push(entry.value);
      }
      index++;
    }
    const total = index;
    let added = 0;
    const stored = await this.db("addBatch", async () => {
      for (const chunk of chunksWithinLimits(prepared, this.settings)) {
        const ids = await insertEntries(this.exec, this.names, this.settings, chunk);
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
    await updateCounters(this.exec, this.names, zeroDelta(), { gatedOut: n });
    return ok(undefined);
  }

  async get(id: string): Promise<DreamResult<DreamEntry | undefined>> {
    if (typeof id !== "string") return err(invalidParameter("id", id, "must be a string"));
    return this.db("get", async () => {
      const { rows } = await this.exec.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM ${entrySource(this.names)} WHERE d.id = $1`,
        [id],
      );
      const row = rows[0];
      return row === undefined ? ok(undefined) : entryFromRow(row);
    });
  }

  async has(id: string): Promise<DreamResult<boolean>> {
    if (typeof id !== "string") return err(invalidParameter("id", id, "must be a string"));
    return this.db("has", async () => {
      const { rows } = await this.exec.query(`SELECT 1 FROM ${this.names.dreams} WHERE id = $1`, [id]);
      return ok(rows.length > 0);
    });
  }

  async remove(id: string): Promise<DreamResult<boolean>> {
    if (typeof id !== "string") return err(invalidParameter("id", id, "must be a string"));
    return this.db("remove", () => removeEntry(this.exec, this.names, id));
  }

  /** Every entry, oldest first. Loads the whole table: meant for tools and tests, not hot paths. */
  async entries(): Promise<DreamResult<DreamEntry[]>> {
    return this.db("entries", async () => {
      const { rows } = await this.exec.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM ${entrySource(this.names)} ORDER BY d.seq`,
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
    return this.db("size", async () => ok((await readCounters(this.exec, this.names)).entryCount));
  }

  /** Removes every entry and resets usage, counters and the bias profile; ids are never reused. */
  async clear(): Promise<DreamResult<void>> {
    const cleared = await this.db("clear", () => clearEntries(this.exec, this.names));
    if (cleared.ok) this.bias = emptyBias();
    return cleared;
  }

  /** Updates the entry's running mean utility in one atomic UPDATE, then the shared bias profile. */
  async feedback(id: string, input: FeedbackInput): Promise<DreamResult<UtilityStats>> {
    if (typeof id !== "string") return err(invalidParameter("id", id, "must be a string"));
    const utility = feedbackUtility(input);
    if (!utility.ok) return utility;
    return this.db("feedback", async () => {
      const updated = await recordFeedback(this.exec, this.names, id, utility.value, input);
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
    const defaults = { k: this.settings.retrievalLimit, weights: this.weights, now: this.clock() };
    const resolved = resolveRetrieveOptions(options, defaults);
    if (!resolved.ok) return resolved;
    const context = {
      exec: this.exec,
      names: this.names,
      settings: this.settings,
      mapper: this.mapper,
      bias: this.bias,
      spectralWindow: this.spectralWindow,
    };
    return this.db("retrieve", () => runRetrieval(context, query, resolved.value, useRecency));
  }

  /** Seed-style: the k entries whose mean colour is closest (chroma cosine), by similarity alone. */
  retrieveSimilar(rgb: Rgb, k?: number): Promise<DreamResult<ScoredDream[]>> {
    return this.similarityOnly(rgb, { k });
  }

  /** `retrieveSimilar` restricted to one class. */
  retrieveSimilarClass(rgb: Rgb, classLabel: ColorClass, k?: number): Promise<DreamResult<ScoredDream[]>> {
    return this.similarityOnly(rgb, { k, classFilter: classLabel });
  }

  /** kPerClass per class, classes in the order given (a class listed twice counts once). */
  async retrieveBalanced(
    rgb: Rgb,
    classes: readonly ColorClass[],
    kPerClass: number,
  ): Promise<DreamResult<ScoredDream[]>> {
    if (!Array.isArray(classes))
      return err(invalidParameter("classes", classes, "must be an array of ColorClass"));
    const out: ScoredDream[] = [];
    for (const cls of new Set(classes)) {
      const part = await this.retrieveSimilarClass(rgb, cls, kPerClass);
      if (!part.ok) return part;
      out.push(...part.value);
    }
    return ok(out);
  }

  /** `retrieveSimilar` among entries whose mean utility is at least `minUtility`. */
  retrieveByUtility(rgb: Rgb, k: number, minUtility: number): Promise<DreamResult<ScoredDream[]>> {
    return this.similarityOnly(rgb, { k, minUtility });
  }

  /**
   * Similar and mutually different: chroma candidates re-ranked by exact MMR with `lambda`; with
   * minDispersion > 0 the list stops before a pick that would bring the mean pairwise colour
   * distance of the selection below it (as the in-memory pool).
   */
  async retrieveDiverse(
    rgb: Rgb,
    k: number,
    lambda: number,
    minDispersion = 0,
  ): Promise<DreamResult<ScoredDream[]>> {
    if (typeof minDispersion !== "number" || !(minDispersion >= 0) || !Number.isFinite(minDispersion)) {
      return err(invalidParameter("minDispersion", minDispersion, "must be a finite number >= 0"));
    }
    if (typeof lambda !== "number" || !(lambda >= 0 && lambda <= 1)) {
      return err(invalidParameter("lambda", lambda, "must be a number in [0, 1]"));
    }
    const weights = { ...SIMILARITY_ONLY, delta: 1 - lambda, lambda };
    const ranked = await this.runRetrieve(
      rgb,
      { mode: "hard", k, weights, diversity: { method: "exact", lambda } },
      false,
    );
    if (!ranked.ok || minDispersion === 0) return ranked;
    return ok(truncateByDispersion(ranked.value, minDispersion));
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

  private similarityOnly(
    rgb: Rgb,
    o: { k: number | undefined; classFilter?: ColorClass; minUtility?: number },
  ): Promise<DreamResult<ScoredDream[]>> {
    const options: PgRetrieveOptions = {
      mode: "hard",
      weights: SIMILARITY_ONLY,
      overFetch: 1,
      ...(o.k === undefined ? {} : { k: o.k }),
      ...(o.classFilter === undefined ? {} : { classFilter: o.classFilter }),
      ...(o.minUtility === undefined ? {} : { minUtility: o.minUtility }),
    };
    return this.runRetrieve(rgb, options, false);
  }

  async stats(): Promise<DreamResult<PoolStats>> {
    return this.db("stats", () => readStats(this.exec, this.names, this.settings, this.mapper.dim));
  }

  /** Deletes the pool's tables and sequence (every entry, for every process). The pool stays usable only for close(). */
  async drop(): Promise<DreamResult<void>> {
    return this.db("drop", async () => {
      await this.exec.transaction(async (tx) => {
        await lockPool(tx, this.names.table);
        const n = this.names;
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
      await this.exec.close();
      return ok(undefined);
    } catch (error) {
      return err(toDreamError(error, "close", this.exec.target, this.secrets));
    }
  }
}

/** Seed-style ranking: similarity alone. */
const SIMILARITY_ONLY: RetrievalWeights = { alpha: 1, beta: 0, gamma: 0, delta: 0, lambda: 1 };

function truncateByDispersion(results: ScoredDream[], minDispersion: number): ScoredDream[] {
  const kept: ScoredDream[] = [];
  let distanceSum = 0;
  for (const candidate of results) {
    let added = 0;
    for (const k of kept)
      added += Math.hypot(...k.entry.chroma.map((c, i) => c - (candidate.entry.chroma[i] ?? 0)));
    const n = kept.length + 1;
    if (n >= 2 && (distanceSum + added) / ((n * (n - 1)) / 2) < minDispersion) break;
    distanceSum += added;
    kept.push(candidate);
  }
  return kept;
}
