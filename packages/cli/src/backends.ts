import { stat } from "node:fs/promises";
import { DreamPool, type DreamPoolLike, type DreamPoolOptions, type DreamResult, ok } from "dreampool";
import type { PgConnection } from "dreampool/postgres";

/** Where the demo's pool lives, and how to persist it and open it again. */
export interface DemoBackend {
  /** "memory" or "postgres <host:port/db>" (never a password). */
  readonly description: string;
  readonly pool: DreamPoolLike;
  /**
   * Persists the pool and opens it again: the in-memory pool saves a snapshot file and loads it;
   * the Postgres pool closes its connections and reconnects to the same table.
   */
  reopen(): Promise<DreamResult<ReopenedPool>>;
}

export interface ReopenedPool {
  readonly pool: DreamPoolLike;
  /** The snapshot file (memory) or the table (Postgres). */
  readonly location: string;
  /** Snapshot size in bytes; null for Postgres. */
  readonly bytes: number | null;
}

/** The embedded default: an in-memory pool, persisted as a snapshot file at `snapshotPath`. */
export function memoryBackend(options: DreamPoolOptions, snapshotPath: string): DreamResult<DemoBackend> {
  const created = DreamPool.create(options);
  if (!created.ok) return created;
  const pool = created.value;
  return ok({
    description: "memory",
    pool: pool.asAsync(),
    async reopen() {
      const saved = await pool.save(snapshotPath);
      if (!saved.ok) return saved;
      const loaded = await DreamPool.load(snapshotPath);
      if (!loaded.ok) return loaded;
      const { size } = await stat(snapshotPath);
      return ok({ pool: loaded.value.asAsync(), location: snapshotPath, bytes: size });
    },
  });
}

/**
 * The demo table of a PostgreSQL database (cleared first; pgvector must be available): a
 * connection string, or a caller's pg Pool or PGlite instance (which stays open).
 */
export async function postgresBackend(
  connection: PgConnection,
  table: string,
  options: DreamPoolOptions,
): Promise<DreamResult<DemoBackend>> {
  // Loaded lazily so that the in-memory demo never loads `pg`.
  const { PgDreamPool } = await import("dreampool/postgres");
  const connected = await PgDreamPool.connect({ ...options, connection, table });
  if (!connected.ok) return connected;
  const pool = connected.value;
  const cleared = await pool.clear();
  if (!cleared.ok) {
    await pool.close();
    return cleared;
  }
  return ok({
    description: `postgres ${pool.target}`,
    pool,
    async reopen() {
      const closed = await pool.close();
      if (!closed.ok) return closed;
      const again = await PgDreamPool.connect({ ...options, connection, table });
      if (!again.ok) return again;
      return ok({ pool: again.value, location: `table ${table} on ${again.value.target}`, bytes: null });
    },
  });
}
