// A separate OS process for the multi-process tests: "add" fills the shared pool in batches and
// reports what it saw; "read" reopens the pool and retrieves. Run with `node --import tsx`.
import { unwrap } from "@dreampool/errors";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import { dream, resultFor } from "./pg.fixture.js";
import { PgDreamPool } from "./pg-dream-pool.js";

interface WorkerArgs {
  role: "add" | "read";
  /** A server URL, or "" to use the file-backed PGlite at pgliteDir. */
  url: string;
  pgliteDir: string;
  table: string;
  maxSize: number;
  memoryBudgetBytes: number;
  evictionThreshold: number;
  firstSeed: number;
  count: number;
  batchSize: number;
  /** read: the seeds whose tensors to look up. */
  seeds: number[];
}

const args = JSON.parse(process.argv[2] ?? "{}") as WorkerArgs;
const pglite =
  args.url === "" ? await PGlite.create({ dataDir: args.pgliteDir, extensions: { vector } }) : null;
const pool = unwrap(
  await PgDreamPool.connect({
    connection: pglite ?? args.url,
    table: args.table,
    maxSize: args.maxSize,
    memoryBudgetBytes: args.memoryBudgetBytes,
    evictionThreshold: args.evictionThreshold,
    embedding: { dim: 32 },
    index: "hnsw",
    hnsw: { m: 8, efConstruction: 32 },
    maxConnections: 2,
  }),
);

if (args.role === "add") {
  let maxCount = 0;
  let maxBytes = 0;
  let added = 0;
  for (let start = 0; start < args.count; start += args.batchSize) {
    const items = [];
    for (let i = start; i < Math.min(args.count, start + args.batchSize); i++) {
      const seed = args.firstSeed + i;
      items.push({ tensor: dream(seed), result: resultFor(seed), meta: { seed } });
    }
    added += unwrap(await pool.addBatch(items));
    const stats = unwrap(await pool.stats());
    maxCount = Math.max(maxCount, stats.count);
    maxBytes = Math.max(maxBytes, stats.memory.usedBytes);
  }
  const ids = unwrap(await pool.entries()).map((e) => e.id);
  process.stdout.write(`${JSON.stringify({ added, maxCount, maxBytes, ids })}\n`);
} else {
  const found: (string | null)[] = [];
  for (const seed of args.seeds) {
    const hits = unwrap(await pool.retrieve(dream(seed), { mode: "soft", k: 1 }));
    found.push(hits[0]?.entry.id ?? null);
  }
  const ids = unwrap(await pool.entries()).map((e) => e.id);
  process.stdout.write(`${JSON.stringify({ found, ids })}\n`);
}
unwrap(await pool.close());
await pglite?.close();
