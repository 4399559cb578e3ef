import { PGlite, type Transaction } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import type { BatchItem } from "dreampool/pool";
import { PgDreamPool } from "dreampool/postgres";
import { seededRandom } from "dreampool/tensor";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { dreamResult, dreamTensor } from "../harness/fixtures.js";
import { writePart } from "../harness/tally.js";

// Long fault-injection runs: on a loaded CI machine (every package testing at once) they can take
// several times their quiet-machine time; a timeout is not what they check.
const LONG_TEST_MS = 300_000;

// A connection lost in the middle of a write transaction must leave no partial entry, and the
// pool must keep working afterwards. On a real server (DREAMPOOL_PG_URL) the backend running the
// batch is terminated from a second connection with pg_terminate_backend; in PGlite (always) the
// failure is injected into the transaction at a random statement.

const SERVER_URL = process.env.DREAMPOOL_PG_URL ?? "";
const figures: Record<string, unknown> = { server: SERVER_URL !== "" };
afterAll(() => writePart("concurrency-postgres", figures));

const table = (prefix: string) =>
  `${prefix}_${process.pid.toString(36)}${Date.now().toString(36)}`.toLowerCase().slice(0, 40);
const items = (from: number, n: number): BatchItem[] =>
  Array.from({ length: n }, (_, i) => ({
    tensor: dreamTensor(from + i),
    result: dreamResult(from + i, 0.9),
  }));

/** Every entry reads back whole, and the pool's own counters agree with its rows. */
async function checkNoPartialEntries(pool: PgDreamPool): Promise<number> {
  const entries = await pool.entries();
  expect(entries.ok).toBe(true);
  if (!entries.ok) return -1;
  for (const e of entries.value) {
    expect(e.tensor.colors.length).toBe(e.tensor.rows * e.tensor.cols * e.tensor.layers * 3);
    expect(e.embedding.length).toBeGreaterThan(0);
    expect(Number.isFinite(e.result.coherence)).toBe(true);
  }
  const size = await pool.size();
  expect(size.ok && size.value).toBe(entries.value.length);
  const stats = await pool.stats();
  expect(stats.ok && stats.value.count).toBe(entries.value.length);
  return entries.value.length;
}

async function keepsWorking(pool: PgDreamPool, seed: number, before: number): Promise<void> {
  const id = await pool.add(dreamTensor(seed), dreamResult(seed));
  expect(id.ok, id.ok ? "" : id.error.message).toBe(true);
  const hits = await pool.retrieve([0.4, 0.5, 0.6], { mode: "soft", k: 3 });
  expect(hits.ok).toBe(true);
  expect(await checkNoPartialEntries(pool)).toBe(before + 1);
}

describe("postgres: a connection lost mid-transaction", () => {
  it(
    "PGlite: a failure injected at a random statement of a batch transaction leaves no partial entry",
    async () => {
      const db = await PGlite.create({ extensions: { vector } });
      let failAt = -1;
      let statements = 0;
      // The same PGlite, with transactions whose `failAt`-th statement throws like a dropped connection.
      const faulty = new Proxy(db, {
        get(target, prop, receiver) {
          if (prop === "transaction") {
            return <T>(fn: (tx: Transaction) => Promise<T>) =>
              target.transaction((tx) => {
                const wrapped = new Proxy(tx, {
                  get(t, p, r) {
                    if (p === "query")
                      return (...args: Parameters<Transaction["query"]>) => {
                        statements++;
                        if (failAt >= 0 && statements === failAt)
                          throw Object.assign(
                            new Error("terminating connection due to administrator command"),
                            { code: "57P01" },
                          );
                        return t.query(...args);
                      };
                    const v = Reflect.get(t, p, r);
                    return typeof v === "function" ? v.bind(t) : v;
                  },
                });
                return fn(wrapped);
              });
          }
          const v = Reflect.get(target, prop, receiver);
          return typeof v === "function" ? v.bind(target) : v;
        },
      });
      const connected = await PgDreamPool.connect({
        connection: faulty,
        table: table("rel_drop"),
        maxSize: 500,
        index: "exact",
      });
      if (!connected.ok) throw connected.error;
      const pool = connected.value;
      expect((await pool.addBatch(items(0, 20))).ok).toBe(true);
      // Count the statements of one clean batch transaction, then fail each run at a random one.
      statements = 0;
      expect((await pool.addBatch(items(100, 10))).ok).toBe(true);
      const perBatch = statements;
      const rng = seededRandom(11);
      let expected = 30;
      let injected = 0;
      for (let round = 0; round < 8; round++) {
        statements = 0;
        failAt = 1 + Math.floor(rng() * perBatch);
        const r = await pool.addBatch(items(1000 + round * 10, 10));
        failAt = -1;
        if (r.ok) expected += 10;
        else injected++;
        expect(await checkNoPartialEntries(pool), `round ${round} (fault at statement ${statements})`).toBe(
          expected,
        );
      }
      await keepsWorking(pool, 9999, expected);
      figures.pgliteFaultsInjected = injected;
      figures.pgliteStatementsPerBatch = perBatch;
      await pool.drop();
      await pool.close();
      await db.close();
    },
    LONG_TEST_MS,
  );

  if (SERVER_URL !== "") {
    it(
      "server: pg_terminate_backend during a batch add leaves no partial entry; the pool reconnects",
      async () => {
        const appName = `reliability-drop-${process.pid}`;
        // A connection string, as users give it: the pool owns its pg Pool and must survive losing
        // connections (an idle client's error event must not crash the process).
        const url = `${SERVER_URL}${SERVER_URL.includes("?") ? "&" : "?"}application_name=${appName}`;
        const admin = new pg.Client({ connectionString: SERVER_URL });
        await admin.connect();
        const connected = await PgDreamPool.connect({
          connection: url,
          table: table("rel_kill"),
          maxSize: 5000,
          index: "hnsw",
          maxConnections: 4,
        });
        if (!connected.ok) throw connected.error;
        const pool = connected.value;
        expect((await pool.addBatch(items(0, 50))).ok).toBe(true);
        let before = await checkNoPartialEntries(pool);
        let terminated = 0;
        let rounds = 0;
        for (let round = 0; round < 4; round++) {
          rounds++;
          let committed = 0;
          const batch = pool.addBatch(items(10_000 * (round + 1), 600), {
            onProgress: (p) => {
              committed = p.added;
            },
          });
          let killed = false;
          let settled = false;
          batch.finally(() => {
            settled = true;
          });
          while (!settled && !killed) {
            const r = await admin.query(
              "SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity WHERE application_name = $1 AND xact_start IS NOT NULL AND pid <> pg_backend_pid()",
              [appName],
            );
            killed = r.rows.some((row: { t: boolean }) => row.t);
          }
          const result = await batch;
          if (killed) terminated++;
          const after = await checkNoPartialEntries(pool);
          // Whole chunks only: what was committed before the drop (reported or not yet reported), or everything.
          if (result.ok) expect(after).toBe(before + result.value);
          else expect(after - before).toBeGreaterThanOrEqual(committed);
          expect((after - before) % 1 === 0 && after - before <= 600).toBe(true);
          await keepsWorking(pool, 50_000 + round, after);
          before = after + 1;
        }
        figures.serverBackendsTerminated = terminated;
        figures.serverRounds = rounds;
        expect(terminated).toBeGreaterThan(0);
        await pool.drop();
        await pool.close();
        await admin.end();
      },
      LONG_TEST_MS,
    );
  }
});
