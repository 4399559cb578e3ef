// @dreampool/postgres against the in-memory pool (issue 9). Same process, same data, ratios printed:
// - soft retrieve, k = 10, at 20k entries (quick: 1k): PgDreamPool through pgvector's HNSW index
//   (m 16, efConstruction 100, ef_search max(64, k · overFetch)) vs DreamPool with its HNSW index
//   (same parameters), plus recall@10 of each against the exact in-memory answer;
// - insert throughput: addBatch of 250-entry batches (quick: 100; one transaction each for Postgres),
//   measured on a subset of batches added after the fill; the fill itself is timed too.
// Why 20k and not 100k: PostgreSQL with its HNSW index fills at a few hundred rows/s on a 2-core
// machine (the fill figure shows it), so 100k would take ~7 minutes of a 10-minute `pnpm bench`.
// The database is the server in DREAMPOOL_PG_URL when set (CI: .ci/services.sh), else PGlite
// in-process; the figures name which. Data: 4x4x2 colour fields around uniformly random colours
// (noise 0.05–0.15), queries are 200 QuerySignatures from a separate seed stream.
// Run: pnpm --filter @dreampool/benchmarks exec tsx src/postgres.bench.ts   (DREAMPOOL_BENCH_QUICK=1: 2k)
// (benchmarks/src/postgres.bench.ts runs this file; it lives here so it type-checks with the package.)
import { fileURLToPath } from "node:url";
import {
  comparePaired,
  isQuick,
  mulberry32,
  type Spread,
  SuiteRecorder,
  spread,
  timeOnce,
} from "@dreampool/bench-kit";
import { QuerySignature } from "@dreampool/embedding";
import { unwrap } from "@dreampool/errors";
import { DreamPool } from "@dreampool/pool";
import { ChromaticTensor, type SolverResult } from "@dreampool/tensor";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import { describeTarget, PgDreamPool } from "../src/index.js";

const SEED = 20251125;
const K = 10;
const QUERY_COUNT = 200;
const DIMS = { rows: 4, cols: 4, layers: 2 };
const RESULT: SolverResult = { energy: 0.4, coherence: 0.9, violation: 0.05, meta: {} };
const NOW = 1_700_000_000_000;
const FILL_BATCH = 1000;
const FULL_SIZE = 20_000;
const QUICK_SIZE = 1_000;
let sink = 0;

function tensorAt(i: number, stream: number): ChromaticTensor {
  const rng = mulberry32(SEED + stream * 7_919_993 + i);
  return unwrap(
    ChromaticTensor.fromColor([rng(), rng(), rng()], DIMS, {
      noise: 0.05 + 0.1 * rng(),
      seed: SEED + stream + i,
    }),
  );
}

const items = (from: number, count: number, stream: number) =>
  Array.from({ length: count }, (_, j) => ({ tensor: tensorAt(from + j, stream), result: RESULT }));

async function recallAt10(
  truth: DreamPool,
  retrieve: (q: QuerySignature) => Promise<string[]>,
  queries: readonly QuerySignature[],
): Promise<number> {
  let found = 0;
  for (const q of queries) {
    const exact = new Set(
      unwrap(truth.retrieve(q, { mode: "soft", k: K, overFetch: 1, now: NOW })).map((h) => h.entry.id),
    );
    for (const id of await retrieve(q)) if (exact.has(id)) found++;
  }
  return found / (K * queries.length);
}

export async function run(): Promise<void> {
  const quick = isQuick();
  const n = quick ? QUICK_SIZE : FULL_SIZE;
  const insertBatch = quick ? 100 : 250;
  const url = process.env.DREAMPOOL_PG_URL ?? "";
  const pglite = url === "" ? await PGlite.create({ extensions: { vector } }) : null;
  const engine = pglite ? "PGlite (in-process)" : `PostgreSQL at ${describeTarget(url)}`;
  const recorder = new SuiteRecorder("postgres");
  const capacity = n + 100_000;
  const memory = unwrap(DreamPool.create({ maxSize: capacity, index: "hnsw", clock: () => NOW }));
  const exact = unwrap(DreamPool.create({ maxSize: capacity, index: "exact", clock: () => NOW }));
  const table = `bench_${process.pid}_${Date.now().toString(36)}`;
  const pg = unwrap(
    await PgDreamPool.connect({
      connection: pglite ?? url,
      table,
      maxSize: capacity,
      index: "hnsw",
      clock: () => NOW,
    }),
  );
  try {
    const fill = timeOnce(() => {
      for (let i = 0; i < n; i += FILL_BATCH)
        unwrap(memory.addBatch(items(i, Math.min(FILL_BATCH, n - i), 1)));
    });
    for (let i = 0; i < n; i += FILL_BATCH) unwrap(exact.addBatch(items(i, Math.min(FILL_BATCH, n - i), 1)));
    const t0 = performance.now();
    for (let i = 0; i < n; i += FILL_BATCH)
      unwrap(await pg.addBatch(items(i, Math.min(FILL_BATCH, n - i), 1)));
    const pgFillMs = performance.now() - t0;
    console.log(
      `  (filled to ${n}: in-memory ${(fill.ms / 1000).toFixed(1)} s, ${engine} ${(pgFillMs / 1000).toFixed(1)} s)`,
    );

    const queries = Array.from({ length: QUERY_COUNT }, (_, i) =>
      unwrap(QuerySignature.fromTensor(tensorAt(i, 2))),
    );
    const perCall = 20;
    let cursor = 0;
    const scenario = `soft retrieve k=${K}, n=${n}, d=64, HNSW (${engine}; n capped by the fill rate below)`;
    recorder.section(scenario);
    const fillScenario = `fill to n=${n} in addBatch calls of ${FILL_BATCH}, 4x4x2, HNSW (${engine})`;
    recorder.add({
      scenario: fillScenario,
      subject: "DreamPool.addBatch fill (in-memory HNSW)",
      unit: "entries/s",
      value: spread([n / (fill.ms / 1000)]),
    });
    recorder.add({
      scenario: fillScenario,
      subject: "PgDreamPool.addBatch fill (pgvector HNSW)",
      unit: "entries/s",
      value: spread([n / (pgFillMs / 1000)]),
      comparison: {
        baseline: "DreamPool.addBatch fill",
        meaning: "x the in-memory rate",
        ratio: fill.ms / pgFillMs,
      },
    });
    const [mem, db] = await comparePaired(
      [
        {
          name: "DreamPool (in-memory HNSW)",
          opsPerCall: perCall,
          run: () => {
            for (let i = 0; i < perCall; i++) {
              const q = queries[cursor++ % QUERY_COUNT] as QuerySignature;
              sink += unwrap(memory.retrieve(q, { mode: "soft", k: K, now: NOW })).length;
            }
          },
        },
        {
          name: "PgDreamPool (pgvector HNSW)",
          opsPerCall: perCall,
          run: async () => {
            for (let i = 0; i < perCall; i++) {
              const q = queries[cursor++ % QUERY_COUNT] as QuerySignature;
              sink += unwrap(await pg.retrieve(q, { mode: "soft", k: K, now: NOW })).length;
            }
          },
        },
      ],
      { rounds: quick ? 3 : 5, timeMs: quick ? 80 : 600 },
    );
    if (!mem || !db) throw new Error("missing results");
    recorder.add({ scenario, subject: mem.name, unit: "ms/query", value: mem.msPerOp });
    recorder.add({
      scenario,
      subject: db.name,
      unit: "ms/query",
      value: db.msPerOp,
      comparison: {
        baseline: mem.name,
        meaning: "x the in-memory speed",
        ratio: 1 / db.ratioToReference.median,
      },
    });
    const sample = queries.slice(0, quick ? 20 : 50);
    const memRecall = await recallAt10(
      exact,
      async (q) =>
        unwrap(memory.retrieve(q, { mode: "soft", k: K, overFetch: 1, now: NOW })).map((h) => h.entry.id),
      sample,
    );
    const pgRecall = await recallAt10(
      exact,
      async (q) =>
        unwrap(await pg.retrieve(q, { mode: "soft", k: K, overFetch: 1, now: NOW })).map((h) => h.entry.id),
      sample,
    );
    recorder.add({
      scenario,
      subject: "recall@10 vs exact, in-memory HNSW",
      unit: "recall@10",
      value: spread([memRecall]),
    });
    recorder.add({
      scenario,
      subject: "recall@10 vs exact, pgvector HNSW",
      unit: "recall@10",
      value: spread([pgRecall]),
    });

    const insertScenario = `addBatch of ${insertBatch} 4x4x2 entries into a pool of ${n}+ (a subset of batches after the fill), HNSW (${engine})`;
    recorder.section(insertScenario);
    let next = 0;
    const [memInsert, dbInsert] = await comparePaired(
      [
        {
          name: "DreamPool.addBatch",
          opsPerCall: insertBatch,
          run: () => {
            sink += unwrap(memory.addBatch(items(n + insertBatch * next++, insertBatch, 3)));
          },
        },
        {
          name: "PgDreamPool.addBatch",
          opsPerCall: insertBatch,
          run: async () => {
            sink += unwrap(await pg.addBatch(items(n + insertBatch * next++, insertBatch, 3)));
          },
        },
      ],
      { rounds: quick ? 3 : 5, timeMs: quick ? 80 : 800, iterations: 2 },
    );
    if (!memInsert || !dbInsert) throw new Error("missing results");
    // ms per entry -> entries per second (the quartiles swap).
    const perSecond = (ms: Spread): Spread => ({
      median: 1000 / ms.median,
      p25: 1000 / ms.p75,
      p75: 1000 / ms.p25,
      min: 1000 / ms.max,
      max: 1000 / ms.min,
      samples: ms.samples,
    });
    recorder.add({
      scenario: insertScenario,
      subject: memInsert.name,
      unit: "entries/s",
      value: perSecond(memInsert.msPerOp),
    });
    recorder.add({
      scenario: insertScenario,
      subject: dbInsert.name,
      unit: "entries/s",
      value: perSecond(dbInsert.msPerOp),
      comparison: {
        baseline: memInsert.name,
        meaning: "x the in-memory rate",
        ratio: 1 / dbInsert.ratioToReference.median,
      },
    });
    if (sink === -1) console.log("unreachable");
    recorder.write();
  } finally {
    await pg.drop();
    await pg.close();
    await pglite?.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
