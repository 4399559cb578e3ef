import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { unwrap } from "@dreampool/errors";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { dream, freshTable, resultFor, SERVER_URL } from "./pg.fixture.js";
import { PgDreamPool } from "./pg-dream-pool.js";
import { describeTarget } from "./redact.js";

// Several OS processes on one server need DREAMPOOL_PG_URL (CI always sets it; PGlite is
// single-process by design). The restart test also runs on a file-backed PGlite, always.
const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, "..");

function runWorker(args: object): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(here, "pool-worker.fixture.ts"), JSON.stringify(args)],
      {
        cwd: packageDir,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let errText = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      errText += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(out.trim().split("\n").at(-1) ?? "");
      else reject(new Error(`worker exited with ${code}: ${errText.slice(-2000)}`));
    });
  });
}

const MAX_SIZE = 5000;
const WORKERS = 4;
const PER_WORKER = 2000;

describe("PgDreamPool across processes", () => {
  afterAll(() => {
    console.info(
      SERVER_URL === ""
        ? "multi-process.test.ts: ran the PGlite restart test only (DREAMPOOL_PG_URL is unset: the 4-writer server test did not run)"
        : `multi-process.test.ts: ran the PGlite restart test and the 4-writer test on ${describeTarget(SERVER_URL)}`,
    );
  });

  it("a pool reopened from disk after its writer process exited sees everything it committed (PGlite)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dreampool-pglite-"));
    try {
      const args = {
        url: "",
        pgliteDir: dir,
        table: "restart",
        maxSize: 50,
        memoryBudgetBytes: 10_000_000,
        evictionThreshold: 0.9,
      };
      const report = JSON.parse(
        await runWorker({ ...args, role: "add", firstSeed: 700, count: 60, batchSize: 25, seeds: [] }),
      ) as { added: number; ids: string[] };
      expect(report.added).toBe(60);
      expect(report.ids.length).toBe(50);
      const db = await PGlite.create({ dataDir: dir, extensions: { vector } });
      const pool = unwrap(
        await PgDreamPool.connect({
          connection: db,
          table: "restart",
          hnsw: { m: 8, efConstruction: 32 },
          maxSize: 50,
          memoryBudgetBytes: 10_000_000,
          embedding: { dim: 32 },
        }),
      );
      expect(unwrap(await pool.entries()).map((e) => e.id)).toEqual(report.ids);
      const hits = unwrap(await pool.retrieve(dream(759), { k: 1 }));
      expect(hits[0]?.entry.result.meta.seed).toBe(759);
      unwrap(await pool.close());
      await db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  // Registered only with a server: without one there is nothing to run it against (printed above).
  if (SERVER_URL === "") return;
  it("4 writers × 2,000 entries into maxSize 5,000: limits hold, ids are unique, a fifth process reads it all", async () => {
    const table = freshTable("mp");
    // Size the budget from a real entry so it sits just above maxSize entries: the count binds,
    // the budget is checked.
    const probe = unwrap(
      await PgDreamPool.connect({ connection: SERVER_URL, table: `${table}_p`, embedding: { dim: 32 } }),
    );
    const entryBytes = unwrap(await probe.get(unwrap(await probe.add(dream(1), resultFor(1)))))?.bytes ?? 0;
    unwrap(await probe.close());
    const budget = Math.round(entryBytes * MAX_SIZE * 1.1);
    const common = {
      url: SERVER_URL,
      pgliteDir: "",
      table,
      maxSize: MAX_SIZE,
      memoryBudgetBytes: budget,
      evictionThreshold: 0.95,
    };
    const pool = unwrap(
      await PgDreamPool.connect({
        connection: SERVER_URL,
        table,
        maxSize: MAX_SIZE,
        memoryBudgetBytes: budget,
        evictionThreshold: 0.95,
        embedding: { dim: 32 },
        index: "hnsw",
        // Small graph parameters: this test is about limits under concurrency, not recall.
        hnsw: { m: 8, efConstruction: 32 },
      }),
    );
    let running = true;
    let observedCount = 0;
    let observedBytes = 0;
    const monitor = (async () => {
      while (running) {
        const stats = unwrap(await pool.stats());
        observedCount = Math.max(observedCount, stats.count);
        observedBytes = Math.max(observedBytes, stats.memory.usedBytes);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const reports = await Promise.all(
      Array.from({ length: WORKERS }, (_, w) =>
        runWorker({
          ...common,
          role: "add",
          firstSeed: (w + 1) * 100_000,
          count: PER_WORKER,
          batchSize: 100,
          seeds: [],
        }),
      ),
    );
    running = false;
    await monitor;
    const parsed = reports.map(
      (line) => JSON.parse(line) as { added: number; maxCount: number; maxBytes: number; ids: string[] },
    );

    expect(parsed.map((r) => r.added)).toEqual([PER_WORKER, PER_WORKER, PER_WORKER, PER_WORKER]);
    for (const r of parsed) {
      expect(r.maxCount).toBeLessThanOrEqual(MAX_SIZE);
      expect(r.maxBytes).toBeLessThanOrEqual(budget);
    }
    expect(observedCount).toBeLessThanOrEqual(MAX_SIZE);
    expect(observedBytes).toBeLessThanOrEqual(budget);

    const stats = unwrap(await pool.stats());
    expect(stats.count).toBe(MAX_SIZE);
    expect(stats.added).toBe(WORKERS * PER_WORKER);
    expect(stats.evictions.capacity + stats.evictions.budget).toBe(WORKERS * PER_WORKER - MAX_SIZE);
    const entries = unwrap(await pool.entries());
    const ids = entries.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(MAX_SIZE);
    // The counters kept under the lock agree with the table itself.
    const client = new pg.Client({ connectionString: SERVER_URL });
    await client.connect();
    const truth = await client.query(
      `SELECT count(*)::int AS n, sum(bytes)::float8 AS bytes FROM "${table}"`,
    );
    await client.end();
    expect(truth.rows[0]).toEqual({ n: MAX_SIZE, bytes: stats.memory.usedBytes });
    // FIFO across processes: the survivors are the newest 5,000 by the shared sequence.
    const seqs = ids.map((id) => Number(id.slice(1)));
    expect(Math.min(...seqs)).toBe(Math.max(...seqs) - MAX_SIZE + 1);

    // A fifth process, connecting fresh, sees every committed entry and retrieves them.
    const sample = [0, 1111, 2222, 3333, 4444, 4999].map((i) => entries[i]);
    const seeds = sample.map((e) => Number(e?.result.meta.seed));
    const reader = JSON.parse(
      await runWorker({ ...common, role: "read", firstSeed: 0, count: 0, batchSize: 1, seeds }),
    ) as {
      found: string[];
      ids: string[];
    };
    expect(reader.found).toEqual(sample.map((e) => e?.id));
    expect(reader.ids).toEqual(ids);
    unwrap(await pool.close());
  }, 120_000);
});
