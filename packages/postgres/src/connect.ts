import { EmbeddingMapper, WINDOW_FUNCTIONS, type WindowFunction } from "@dreampool/embedding";
import { type DreamResult, err, invalidConfiguration, ok } from "@dreampool/errors";
import {
  BiasProfile,
  DEFAULT_RETRIEVAL_WEIGHTS,
  type RetrievalWeights,
  validateWeights,
} from "@dreampool/scoring";
import type { PGliteInterface } from "@electric-sql/pglite";
import pg from "pg";
import { toDreamError } from "./db-errors.js";
import { PgliteExecutor, PgPoolExecutor, type SqlExecutor } from "./executor.js";
import { emptyBias } from "./feedback.js";
import { type PoolObjectNames, poolObjectNames } from "./identifier.js";
import { lockPool, migrate, SCHEMA_VERSION } from "./migrations.js";
import {
  type PgConnection,
  type PgDreamPoolOptions,
  type PgPoolSettings,
  resolveSettings,
} from "./options.js";
import { describeTarget } from "./redact.js";

/** An executor plus the secrets its messages must never show. */
export interface OpenedConnection {
  readonly executor: SqlExecutor;
  readonly secrets: readonly string[];
}

function isPglite(c: object): c is PGliteInterface {
  return (
    typeof (c as PGliteInterface).exec === "function" &&
    typeof (c as PGliteInterface).transaction === "function"
  );
}

function isPgPool(c: object): c is pg.Pool {
  return typeof (c as pg.Pool).connect === "function" && typeof (c as pg.Pool).totalCount === "number";
}

/** Opens (or wraps) the connection. Never logs; the password is kept only inside the pg Pool. */
export function openConnection(
  connection: PgConnection,
  maxConnections: number,
): DreamResult<OpenedConnection> {
  if (typeof connection === "string") {
    const target = describeTarget(connection);
    let password = "";
    try {
      password = decodeURIComponent(new URL(connection).password);
    } catch {
      return err(
        invalidConfiguration(
          "connection",
          "(connection string)",
          "must be a URL such as postgres://user@host:5432/db",
        ),
      );
    }
    const pool = new pg.Pool({ connectionString: connection, max: maxConnections });
    // An idle connection dropped by the server must not crash the process; the next query reports it.
    pool.on("error", () => {});
    return ok({ executor: new PgPoolExecutor(pool, target, true), secrets: [password] });
  }
  if (typeof connection === "object" && connection !== null) {
    if (isPglite(connection)) return ok({ executor: new PgliteExecutor(connection), secrets: [] });
    if (isPgPool(connection)) {
      const o = connection.options;
      const target = `${o.host ?? "localhost"}:${o.port ?? 5432}/${o.database ?? "(default database)"}`;
      const password = typeof o.password === "string" ? o.password : "";
      return ok({ executor: new PgPoolExecutor(connection, target, false), secrets: [password] });
    }
  }
  return err(
    invalidConfiguration(
      "connection",
      connection,
      "must be a postgres:// URL, a pg Pool or a PGlite instance",
    ),
  );
}

/** The pool's identity as stored in its metadata row. */
export interface PoolIdentity {
  readonly dimension: number;
  readonly fingerprint: string;
  readonly hnswM: number;
  readonly hnswEfConstruction: number;
}

interface MetaRow {
  dimension: number;
  fingerprint: string;
  config: { hnsw?: { m?: number; efConstruction?: number } } | null;
  bias: unknown;
}

/**
 * Migrates the schema and checks (or records) the pool's identity, in one transaction under the
 * pool lock. A table created for another encoder or dimension is InvalidConfiguration: its
 * embeddings would be garbage to this pool's queries. Returns the stored bias profile JSON.
 */
export async function prepareSchema(
  executor: SqlExecutor,
  secrets: readonly string[],
  names: PoolObjectNames,
  identity: PoolIdentity,
  config: unknown,
  now: number,
): Promise<DreamResult<{ bias: unknown; migrated: number[] }>> {
  try {
    return await executor.transaction(async (tx) => {
      await lockPool(tx, names.table);
      const migrated = await migrate(tx, names, {
        dimension: identity.dimension,
        hnswM: identity.hnswM,
        hnswEfConstruction: identity.hnswEfConstruction,
      });
      const { rows } = await tx.query<MetaRow>(
        `SELECT dimension, fingerprint, config, bias FROM ${names.meta}`,
      );
      const stored = rows[0];
      if (stored === undefined) {
        await tx.query(
          `INSERT INTO ${names.meta} (dimension, fingerprint, config, created_at) VALUES ($1, $2, $3::jsonb, $4)`,
          [
            identity.dimension,
            identity.fingerprint,
            JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...asObject(config) }),
            now,
          ],
        );
        return ok({ bias: null, migrated });
      }
      const where = `table "${names.table}" on ${executor.target}`;
      if (stored.dimension !== identity.dimension) {
        return err(
          invalidConfiguration(
            "embedding.dim",
            identity.dimension,
            `${where} holds ${stored.dimension}-d embeddings`,
          ),
        );
      }
      if (stored.fingerprint !== identity.fingerprint) {
        return err(
          invalidConfiguration(
            "embedding",
            identity.fingerprint,
            `${where} was written by encoder ${stored.fingerprint}; use the same embedding options or another table`,
          ),
        );
      }
      const storedM = stored.config?.hnsw?.m;
      const storedEf = stored.config?.hnsw?.efConstruction;
      if (storedM !== undefined && storedM !== identity.hnswM) {
        return err(
          invalidConfiguration(
            "hnsw.m",
            identity.hnswM,
            `${where} has its HNSW index built with m = ${storedM}`,
          ),
        );
      }
      if (storedEf !== undefined && storedEf !== identity.hnswEfConstruction) {
        return err(
          invalidConfiguration(
            "hnsw.efConstruction",
            identity.hnswEfConstruction,
            `${where} has its HNSW index built with efConstruction = ${storedEf}`,
          ),
        );
      }
      return ok({ bias: stored.bias, migrated });
    });
  } catch (error) {
    return err(toDreamError(error, "connect", executor.target, secrets));
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** Everything a connected pool runs with. */
export interface PoolRuntime {
  readonly executor: SqlExecutor;
  readonly secrets: readonly string[];
  readonly names: PoolObjectNames;
  readonly settings: PgPoolSettings;
  readonly mapper: EmbeddingMapper;
  readonly weights: RetrievalWeights;
  readonly spectralWindow: WindowFunction;
  readonly clock: () => number;
  readonly bias: BiasProfile;
}

/** Validates the options, opens the connection and prepares the schema (see PgDreamPool.connect). */
export async function openPool(options: PgDreamPoolOptions): Promise<DreamResult<PoolRuntime>> {
  if (typeof options !== "object" || options === null) {
    return err(invalidConfiguration("options", options, "must be an object with a connection"));
  }
  const settings = resolveSettings(options);
  if (!settings.ok) return settings;
  const weights = validateWeights(options.weights ?? DEFAULT_RETRIEVAL_WEIGHTS);
  if (!weights.ok) return err(invalidConfiguration("weights", options.weights, weights.error.message));
  const spectralWindow = options.spectralWindow ?? "hann";
  if (!WINDOW_FUNCTIONS.includes(spectralWindow)) {
    return err(invalidConfiguration("spectralWindow", spectralWindow, 'must be "none", "hann" or "hamming"'));
  }
  // The window changes every spectral feature, so it is part of the encoder (and its fingerprint),
  // exactly as in the in-memory pool: pools with different windows must not share a table.
  const mapper = EmbeddingMapper.create({ ...options.embedding, window: spectralWindow });
  if (!mapper.ok) return err(invalidConfiguration("embedding", options.embedding, mapper.error.message));
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
  const identity = {
    dimension: mapper.value.dim,
    fingerprint: mapper.value.fingerprint,
    hnswM: s.hnsw.m,
    hnswEfConstruction: s.hnsw.efConstruction,
  };
  const schema = await prepareSchema(executor, secrets, names, identity, config, clock());
  if (!schema.ok) {
    await executor.close().catch(() => {});
    return schema;
  }
  const stored = schema.value.bias;
  const bias = stored === null || stored === undefined ? ok(emptyBias()) : BiasProfile.fromJSON(stored);
  return ok({
    executor,
    secrets,
    names,
    settings: s,
    mapper: mapper.value,
    weights: weights.value,
    spectralWindow,
    clock,
    bias: bias.ok ? bias.value : emptyBias(),
  });
}
