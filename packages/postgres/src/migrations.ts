import type { SqlExecutor } from "./executor.js";
import type { PoolObjectNames } from "./identifier.js";

/** What the DDL is parameterised by; integers validated before they get here. */
export interface SchemaParams {
  readonly dimension: number;
  readonly hnswM: number;
  readonly hnswEfConstruction: number;
}

export interface Migration {
  readonly version: number;
  readonly name: string;
  statements(names: PoolObjectNames, params: SchemaParams): string[];
}

/**
 * Schema history, oldest first. Never edit an applied migration: append a new one. Identifiers
 * come from poolObjectNames (validated) and the integers from validated options; every value
 * that is data travels as a bound parameter elsewhere.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "dreams table and pool metadata",
    statements: (n, p) => [
      `CREATE SEQUENCE IF NOT EXISTS ${n.sequence}`,
      `CREATE TABLE IF NOT EXISTS ${n.dreams} (
        id text PRIMARY KEY,
        seq bigint NOT NULL UNIQUE,
        created_at bigint NOT NULL,
        coherence double precision NOT NULL,
        energy double precision NOT NULL,
        violation double precision NOT NULL,
        result_meta jsonb NOT NULL DEFAULT '{}'::jsonb,
        grad bytea,
        mask bytea,
        chroma vector(3) NOT NULL,
        class_label text,
        spectral jsonb NOT NULL,
        embedding vector(${p.dimension}) NOT NULL,
        tensor bytea NOT NULL,
        meta jsonb,
        bytes integer NOT NULL CHECK (bytes >= 0)
      )`,
      // Mutable per-entry state lives apart: an UPDATE of an entry row would write a new row
      // version and so a new HNSW index entry; here retrieval and feedback never touch the index.
      `CREATE TABLE IF NOT EXISTS ${n.usage} (
        id text PRIMARY KEY REFERENCES ${n.dreams} (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        last_used_at bigint NOT NULL,
        usage_count bigint NOT NULL DEFAULT 0,
        utility_mean double precision,
        utility_count integer NOT NULL DEFAULT 0
      )`,
      `CREATE TABLE IF NOT EXISTS ${n.meta} (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        dimension integer NOT NULL,
        fingerprint text NOT NULL,
        config jsonb NOT NULL,
        entry_count bigint NOT NULL DEFAULT 0,
        bytes_used bigint NOT NULL DEFAULT 0,
        sum_coherence double precision NOT NULL DEFAULT 0,
        sum_energy double precision NOT NULL DEFAULT 0,
        sum_violation double precision NOT NULL DEFAULT 0,
        evicted_capacity bigint NOT NULL DEFAULT 0,
        evicted_budget bigint NOT NULL DEFAULT 0,
        removed bigint NOT NULL DEFAULT 0,
        added bigint NOT NULL DEFAULT 0,
        gated_out bigint NOT NULL DEFAULT 0,
        bias jsonb,
        created_at bigint NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: "indexes for class filters and eviction order",
    statements: (n) => [
      `CREATE INDEX IF NOT EXISTS ${n.classIndex} ON ${n.dreams} (class_label)`,
      `CREATE INDEX IF NOT EXISTS ${n.lruIndex} ON ${n.usage} (last_used_at, seq)`,
      `CREATE INDEX IF NOT EXISTS ${n.utilityIndex} ON ${n.usage} ((coalesce(utility_mean, 0)), seq)`,
    ],
  },
  {
    version: 3,
    name: "HNSW index on the embedding (cosine)",
    statements: (n, p) => [
      `CREATE INDEX IF NOT EXISTS ${n.embeddingIndex} ON ${n.dreams}
        USING hnsw (embedding vector_cosine_ops) WITH (m = ${p.hnswM}, ef_construction = ${p.hnswEfConstruction})`,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** Namespace of every advisory lock dreampool takes ("DRMP"); the second key is hashtext(table). */
export const ADVISORY_LOCK_NAMESPACE = 0x44524d50;

/** Takes the pool's transaction-scoped advisory lock: writers of one pool run one at a time. */
export async function lockPool(tx: SqlExecutor, table: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock($1::int4, hashtext($2))", [ADVISORY_LOCK_NAMESPACE, table]);
}

/**
 * Brings the schema to SCHEMA_VERSION inside the caller's transaction (which must hold the pool
 * lock, so two processes connecting at once apply each migration exactly once). Returns the
 * versions it applied.
 */
export async function migrate(
  tx: SqlExecutor,
  names: PoolObjectNames,
  params: SchemaParams,
): Promise<number[]> {
  // CREATE EXTENSION needs a privilege managed services grant only to some roles: skip it when present.
  const installed = await tx.query("SELECT 1 FROM pg_extension WHERE extname = 'vector'");
  if (installed.rows.length === 0) await tx.query("CREATE EXTENSION IF NOT EXISTS vector");
  await tx.query(
    `CREATE TABLE IF NOT EXISTS ${names.migrations} (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`,
  );
  const done = await tx.query<{ version: number }>(`SELECT version FROM ${names.migrations}`);
  const applied = new Set(done.rows.map((row) => Number(row.version)));
  const ran: number[] = [];
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    for (const statement of migration.statements(names, params)) await tx.query(statement);
    await tx.query(`INSERT INTO ${names.migrations} (version, name) VALUES ($1, $2)`, [
      migration.version,
      migration.name,
    ]);
    ran.push(migration.version);
  }
  return ran;
}
