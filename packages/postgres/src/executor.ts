import type { PGliteInterface, Transaction } from "@electric-sql/pglite";
import type pg from "pg";

/** Rows of one statement, the same shape whichever engine ran it. */
export interface SqlRows<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

/**
 * The two things the pool needs from a database: run one parameterised statement, and run a
 * function inside a transaction. Implemented over a `pg` Pool and over PGlite, so the pool's
 * SQL runs unchanged on a server or in-process.
 */
export interface SqlExecutor {
  /** "pg" (a server through node-postgres) or "pglite" (in-process WASM Postgres). */
  readonly engine: "pg" | "pglite";
  /** Where the data lives, safe to print (never contains a password). */
  readonly target: string;
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlRows<R>>;
  /** Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it rejects. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Releases what this executor opened (a pool it created); never closes a caller's handle. */
  close(): Promise<void>;
}

type Queryable = Pick<pg.PoolClient, "query">;

class PgClientExecutor implements SqlExecutor {
  readonly engine = "pg" as const;
  constructor(
    private readonly client: Queryable,
    readonly target: string,
  ) {}

  async query<R>(text: string, params: readonly unknown[] = []): Promise<SqlRows<R>> {
    const result = await this.client.query(text, params as unknown[]);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  }

  // Already inside a transaction: nesting joins it.
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async close(): Promise<void> {}
}

/** An executor over a node-postgres Pool; `owned` pools are ended by close(). */
export class PgPoolExecutor implements SqlExecutor {
  readonly engine = "pg" as const;
  constructor(
    private readonly pool: pg.Pool,
    readonly target: string,
    private readonly owned: boolean,
  ) {}

  async query<R>(text: string, params: readonly unknown[] = []): Promise<SqlRows<R>> {
    const result = await this.pool.query(text, params as unknown[]);
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection lost mid-transaction (server restart, pg_terminate_backend) also emits "error"
    // on the checked-out client; with no listener that event would crash the process. The failing
    // query already carries the error, so the event itself is only noted.
    let broken: unknown;
    const onLost = (lost: unknown) => {
      broken ??= lost;
    };
    client.on("error", onLost);
    try {
      await client.query("BEGIN");
      const value = await fn(new PgClientExecutor(client, this.target));
      await client.query("COMMIT");
      return value;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch (rollbackError) {
        // The connection itself is gone: do not hand it back to the pool.
        broken = rollbackError;
      }
      throw error;
    } finally {
      client.off("error", onLost);
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async close(): Promise<void> {
    if (this.owned) await this.pool.end();
  }
}

type PgliteQueryable = Pick<PGliteInterface, "query"> | Pick<Transaction, "query">;

class PgliteTxExecutor implements SqlExecutor {
  readonly engine = "pglite" as const;
  constructor(
    private readonly db: PgliteQueryable,
    readonly target: string,
  ) {}

  async query<R>(text: string, params: readonly unknown[] = []): Promise<SqlRows<R>> {
    const result = await this.db.query<R>(text, params as unknown[]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async close(): Promise<void> {}
}

/** An executor over a PGlite instance (which must have been created with the vector extension). */
export class PgliteExecutor implements SqlExecutor {
  readonly engine = "pglite" as const;
  readonly target = "pglite (in-process)";
  constructor(private readonly db: PGliteInterface) {}

  async query<R>(text: string, params: readonly unknown[] = []): Promise<SqlRows<R>> {
    const result = await this.db.query<R>(text, params as unknown[]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new PgliteTxExecutor(tx, this.target)));
  }

  async close(): Promise<void> {}
}
