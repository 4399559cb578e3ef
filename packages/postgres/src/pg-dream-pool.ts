import { EmbeddingMapper, type WindowFunction } from "@dreampool/embedding";
import {
  type DreamError,
  type DreamResult,
  err,
  invalidConfiguration,
  invalidParameter,
  ok,
} from "@dreampool/errors";
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
import {
  BiasProfile,
  DEFAULT_RETRIEVAL_WEIGHTS,
  type RetrievalWeights,
  validateWeights,
} from "@dreampool/scoring";
import type { ChromaticTensor, ColorClass, Rgb, SolverResult } from "@dreampool/tensor";
import { makeRoom, readCounters, updateCounters } from "./capacity.js";
import { openConnection, prepareSchema } from "./connect.js";
import { toDreamError } from "./db-errors.js";
import {
  ENTRY_COLUMNS,
  type EntryRow,
  entryFromRow,
  INSERT_CASTS,
  INSERT_COLUMNS,
  insertParams,
  type PreparedEntry,
} from "./entry-row.js";
import type { SqlExecutor } from "./executor.js";
import { emptyBias, feedbackUtility, recordFeedback } from "./feedback.js";
import { type PoolObjectNames, poolObjectNames } from "./identifier.js";
import { lockPool } from "./migrations.js";
import { type PgDreamPoolOptions, type PgPoolSettings, resolveSettings } from "./options.js";
import { type EntryEncoder, prepareEntry } from "./prepare.js";
import { runRetrieval } from "./retrieve.js";
import { type PgRetrieveOptions, resolveRetrieveOptions } from "./retrieve-options.js";
import { readStats } from "./stats.js";

/** Rows per INSERT statement: 17 parameters each, far below PostgreSQL's 65,535-parameter limit. */
const INSERT_CHUNK_ROWS = 500;

/**
 * The dream pool on PostgreSQL + pgvector: the DreamPool API (async), shared by every process that
 * connects to the same table. Capacity and budget are enforced in the database under a per-pool
 * advisory lock, so concurrent writers never push the pool past its limits.
 */
export class PgDreamPool implements DreamPoolLike {
  private closed = false;

  private constructor(
    private readonly exec: SqlExecutor,
    private readonly secrets: readonly string[],
    private readonly names: PoolObjectNames,
    readonly settings: PgPoolSettings,
    readonly mapper: EmbeddingMapper,
    private readonly weights: RetrievalWeights,
    private readonly spectralWindow: WindowFunction,
    private readonly clock: () => number,
    private bias: BiasProfile,
  ) {}

  /**
   * Connects, applies pending schema migrations and checks the table's encoder fingerprint and
   * dimension. Bad options are InvalidConfiguration; an unreachable server is FeatureUnavailable.
   */
  static async connect(options: PgDreamPoolOptions): Promise<DreamResult<PgDreamPool>> {
    if (typeof options !== "object" || options === null) {
      return err(invalidConfiguration("options", options, "must be an object with a connection"));
    }
    const settings = resolveSettings(options);
    if (!settings.ok) return settings;
    const weights = validateWeights(options.weights ?? DEFAULT_RETRIEVAL_WEIGHTS);
    if (!weights.ok) return err(invalidConfiguration("weights", options.weights, weights.error.message));
    const mapper = EmbeddingMapper.create(options.embedding);
    if (!mapper.ok) return err(invalidConfiguration("embedding", options.embedding, mapper.error.message));
    const spectralWindow = options.spectralWindow ?? "hann";
    if (!["none", "hann", "hamming"].includes(spectralWindow)) {
      return err(
        invalidConfiguration("spectralWindow", spectralWindow, 'must be "none", "hann" or "hamming"'),
      );
    }
    const clock = options.clock ?? Date.now;
    if (typeof clock !== "function") return err(invalidConfiguration("clock", clock, "must be a function"));
    const opened = openConnection(options.connection, settings.value.maxConnections);
    if (!opened.ok) return opened;
    const { executor, secrets } = opened.value;
    const s = settings.value;
    const names = poolObjectNames(s.table);
    const config = {
      maxSize: s.maxSize,
      evictionPolicy: s.evictionPolicy,
      memoryBudgetBytes: s.memoryBudgetBytes,
      hnsw: { m: s.hnsw.m, efConstruction: s.hnsw.efConstruction },
      embedding: mapper.value.options,
      spectralWindow,
      idPrefix: s.idPrefix,
    };
    const schema = await prepareSchema(
      executor,
      secrets,
      names,
      {
        dimension: mapper.value.dim,
        fingerprint: mapper.value.fingerprint,
        hnswM: s.hnsw.m,
        hnswEfConstruction: s.hnsw.efConstruction,
      },
      config,
      clock(),
    );
    if (!schema.ok) {
      await executor.close().catch(() => {});
      return schema;
    }
    const bias = schema.value.bias === null ? ok(emptyBias()) : BiasProfile.fromJSON(schema.value.bias);
    return ok(
      new PgDreamPool(
        executor,
        secrets,
        names,
        s,
        mapper.value,
        weights.value,
        spectralWindow,
        clock,
        bias.ok ? bias.value : emptyBias(),
      ),
    );
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
    const ids = await this.db("add", () => this.insert([prepared.value], 0));
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
        if (!entry.ok) return err(withIndex(entry.error, index));
        prepared.push(entry.value);
      }
      index++;
    }
    const total = index;
    let added = 0;
    const stored = await this.db("addBatch", async () => {
      for (const chunk of chunksWithinLimits(prepared, this.settings)) {
        const ids = await this.insert(chunk, 0);
        if (!ids.ok) return ids;
        added += ids.value.length;
        report(options.onProgress, { processed: Math.min(total, added + gatedOut), added, total });
      }
      if (gatedOut > 0) await this.countGatedOut(gatedOut);
      return ok(added);
    });
    if (stored.ok) report(options.onProgress, { processed: total, added, total });
    return stored;
  }

  /** One transaction: lock the pool, evict by policy to make room, insert the rows, update counters. */
  private async insert(entries: readonly PreparedEntry[], gatedOut: number): Promise<DreamResult<string[]>> {
    const incomingBytes = entries.reduce((sum, e) => sum + e.bytes, 0);
    return this.exec.transaction(async (tx) => {
      await lockPool(tx, this.names.table);
      const counters = await readCounters(tx, this.names);
      const room = await makeRoom(tx, this.names, this.settings, counters, entries.length, incomingBytes);
      if (!room.ok) return room;
      const seqs = await tx.query<{ seq: number }>(
        `SELECT nextval('${this.names.sequence}')::float8 AS seq FROM generate_series(1, $1)`,
        [entries.length],
      );
      const ids: string[] = [];
      const params: unknown[] = [];
      const tuples: string[] = [];
      entries.forEach((entry, i) => {
        const seq = seqs.rows[i]?.seq ?? 0;
        const id = `${this.settings.idPrefix}${seq}`;
        ids.push(id);
        const row = insertParams(id, seq, entry);
        const base = params.length;
        tuples.push(`(${INSERT_COLUMNS.map((c, j) => `$${base + j + 1}${INSERT_CASTS[c]}`).join(", ")})`);
        params.push(...row);
      });
      await tx.query(
        `INSERT INTO ${this.names.dreams} (${INSERT_COLUMNS.join(", ")}) VALUES ${tuples.join(", ")}`,
        params,
      );
      await updateCounters(
        tx,
        this.names,
        entries.length - room.value.ids.length,
        incomingBytes - room.value.bytesFreed,
        {
          capacity: room.value.capacity,
          budget: room.value.budget,
        },
      );
      await tx.query(`UPDATE ${this.names.meta} SET added = added + $1, gated_out = gated_out + $2`, [
        entries.length,
        gatedOut,
      ]);
      return ok(ids);
    });
  }

  private async countGatedOut(n: number): Promise<DreamResult<void>> {
    await this.exec.query(`UPDATE ${this.names.meta} SET gated_out = gated_out + $1`, [n]);
    return ok(undefined);
  }

  async get(id: string): Promise<DreamResult<DreamEntry | undefined>> {
    if (typeof id !== "string") return err(invalidParameter("id", id, "must be a string"));
    return this.db("get", async () => {
      const { rows } = await this.exec.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM ${this.names.dreams} WHERE id = $1`,
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
    return this.db("remove", () =>
      this.exec.transaction(async (tx) => {
        await lockPool(tx, this.names.table);
        const { rows } = await tx.query<{ bytes: number }>(
          `DELETE FROM ${this.names.dreams} WHERE id = $1 RETURNING bytes`,
          [id],
        );
        const row = rows[0];
        if (row === undefined) return ok(false);
        await updateCounters(tx, this.names, -1, -row.bytes);
        await tx.query(`UPDATE ${this.names.meta} SET removed = removed + 1`);
        return ok(true);
      }),
    );
  }

  /** Every entry, oldest first. Loads the whole table: meant for tools and tests, not hot paths. */
  async entries(): Promise<DreamResult<DreamEntry[]>> {
    return this.db("entries", async () => {
      const { rows } = await this.exec.query<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM ${this.names.dreams} ORDER BY seq`,
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

  /** Removes every entry and resets usage and counters; ids are never reused. */
  async clear(): Promise<DreamResult<void>> {
    return this.db("clear", () =>
      this.exec.transaction(async (tx) => {
        await lockPool(tx, this.names.table);
        await tx.query(`DELETE FROM ${this.names.dreams}`);
        await tx.query(
          `UPDATE ${this.names.meta} SET entry_count = 0, bytes_used = 0, evicted_capacity = 0, evicted_budget = 0,
             removed = 0, added = 0, gated_out = 0, bias = NULL`,
        );
        this.bias = emptyBias();
        return ok(undefined);
      }),
    );
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

  async retrieve(query: PoolQuery, options?: PgRetrieveOptions): Promise<DreamResult<ScoredDream[]>> {
    const resolved = resolveRetrieveOptions(options, {
      k: this.settings.retrievalLimit,
      weights: this.weights,
      now: this.clock(),
    });
    if (!resolved.ok) return resolved;
    return this.db("retrieve", () =>
      runRetrieval(
        {
          exec: this.exec,
          names: this.names,
          settings: this.settings,
          mapper: this.mapper,
          bias: this.bias,
          spectralWindow: this.spectralWindow,
        },
        query,
        resolved.value,
      ),
    );
  }

  retrieveSimilar(rgb: Rgb, k?: number): Promise<DreamResult<ScoredDream[]>> {
    return this.retrieve(rgb, { mode: "hard", ...(k === undefined ? {} : { k }) });
  }

  retrieveSimilarClass(rgb: Rgb, classLabel: ColorClass, k?: number): Promise<DreamResult<ScoredDream[]>> {
    return this.retrieve(rgb, { mode: "hard", classFilter: classLabel, ...(k === undefined ? {} : { k }) });
  }

  /** k per class, classes in the order given (a class listed twice is retrieved twice). */
  async retrieveBalanced(
    rgb: Rgb,
    classes: readonly ColorClass[],
    kPerClass: number,
  ): Promise<DreamResult<ScoredDream[]>> {
    if (!Array.isArray(classes))
      return err(invalidParameter("classes", classes, "must be an array of ColorClass"));
    const out: ScoredDream[] = [];
    for (const cls of classes) {
      const part = await this.retrieveSimilarClass(rgb, cls, kPerClass);
      if (!part.ok) return part;
      out.push(...part.value);
    }
    return ok(out);
  }

  retrieveByUtility(rgb: Rgb, k: number, minUtility: number): Promise<DreamResult<ScoredDream[]>> {
    return this.retrieve(rgb, { mode: "hard", k, minUtility });
  }

  retrieveDiverse(
    rgb: Rgb,
    k: number,
    lambda: number,
    _minDispersion?: number,
  ): Promise<DreamResult<ScoredDream[]>> {
    return this.retrieve(rgb, { mode: "hard", k, diversity: { method: "exact", lambda } });
  }

  retrieveSoft(
    query: PoolQuery,
    k?: number,
    weights?: RetrievalWeights,
  ): Promise<DreamResult<ScoredDream[]>> {
    return this.retrieve(query, {
      mode: "soft",
      ...(k === undefined ? {} : { k }),
      ...(weights === undefined ? {} : { weights }),
    });
  }

  async stats(): Promise<DreamResult<PoolStats>> {
    return this.db("stats", () => readStats(this.exec, this.names, this.settings, this.mapper.dim));
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

function withIndex(error: DreamError, index: number): DreamError {
  const detail = error.detail as { parameter?: string };
  if (error.kind === "InvalidParameter" && typeof detail.parameter === "string") {
    const d = error.detail as { parameter: string; value: string; constraint: string };
    return invalidParameter(`items[${index}].${d.parameter}`, d.value, d.constraint);
  }
  return error;
}

/** Chunks of at most INSERT_CHUNK_ROWS, maxSize entries and (with a budget) budget bytes. */
function* chunksWithinLimits(
  entries: readonly PreparedEntry[],
  settings: PgPoolSettings,
): Generator<PreparedEntry[]> {
  const budget = settings.memoryBudgetBytes ?? Number.POSITIVE_INFINITY;
  const maxRows = Math.min(INSERT_CHUNK_ROWS, settings.maxSize);
  let chunk: PreparedEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (chunk.length > 0 && (chunk.length >= maxRows || bytes + entry.bytes > budget)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(entry);
    bytes += entry.bytes;
  }
  if (chunk.length > 0) yield chunk;
}

function report(
  onProgress: AddBatchOptions["onProgress"],
  progress: { processed: number; added: number; total: number },
): void {
  if (onProgress === undefined) return;
  try {
    onProgress(progress);
  } catch {
    // A throwing progress callback must not abort or corrupt the batch.
  }
}
