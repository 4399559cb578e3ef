import { unwrap } from "@dreampool/errors";
import { DreamPool, type RetrievalMode } from "@dreampool/pool";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends, classFor, describeBackends, dream, freshTable, resultFor } from "./pg.fixture.js";
import { PgDreamPool } from "./pg-dream-pool.js";

// The same entries in the in-memory pool and in PostgreSQL: exact scans must agree entry for
// entry, and the HNSW index must find at least 90% of the exact top-10.
const ENTRIES = 1500;
const QUERIES = 25;
const K = 10;
const CLOCK = () => 1_700_000_000_000;
const options = { maxSize: ENTRIES, embedding: { dim: 64 }, clock: CLOCK } as const;

const list = await backends();
const memory = unwrap(DreamPool.create({ ...options, index: "exact" }));
const items = Array.from({ length: ENTRIES }, (_, i) => ({
  tensor: dream(10_000 + i),
  result: resultFor(10_000 + i),
  classLabel: classFor(i),
  meta: { seed: 10_000 + i },
}));
for (const item of items)
  unwrap(memory.add(item.tensor, item.result, { classLabel: item.classLabel, meta: item.meta }));
// Queries are fresh tensors, not stored entries, so the top-10 is not decided by one exact match.
const queries = Array.from({ length: QUERIES }, (_, q) => dream(90_000 + q));

const seedsOf = (hits: readonly { entry: { meta: Record<string, unknown> } }[]) =>
  hits.map((h) => h.entry.meta.seed);

afterAll(() => console.info(describeBackends("parity.test.ts")));

describe.each(list)("PgDreamPool and DreamPool agree on $name", (backend) => {
  let pool: PgDreamPool;

  beforeAll(async () => {
    pool = unwrap(
      await PgDreamPool.connect({
        ...options,
        connection: backend.connection(),
        table: freshTable("parity"),
        index: "hnsw",
      }),
    );
    expect(unwrap(await pool.addBatch(items))).toBe(ENTRIES);
  }, 120_000);

  afterAll(async () => {
    await pool.close();
  });

  it.each<RetrievalMode>(["soft", "hard", "hybrid"])(
    "exact %s top-10 equals the in-memory pool's",
    async (mode) => {
      for (const query of queries) {
        const expected = unwrap(memory.retrieve(query, { mode, k: K }));
        const got = unwrap(await pool.retrieve(query, { mode, k: K, exact: true }));
        expect(seedsOf(got)).toEqual(seedsOf(expected));
        // pgvector computes cosine in double over float4 components, the in-memory index in float32;
        // the min-max normalisation inside rerankHybrid magnifies that to a few 1e-6.
        for (const [i, hit] of got.entries())
          expect(hit.score).toBeCloseTo(expected[i]?.score ?? Number.NaN, 4);
      }
    },
  );

  it("HNSW soft top-10 overlaps the exact top-10 by at least 0.9", async () => {
    let found = 0;
    for (const query of queries) {
      const exact = new Set(seedsOf(unwrap(memory.retrieve(query, { mode: "soft", k: K }))));
      const approx = seedsOf(unwrap(await pool.retrieve(query, { mode: "soft", k: K, exact: false })));
      found += approx.filter((seed) => exact.has(seed)).length;
    }
    const overlap = found / (QUERIES * K);
    console.info(
      `parity.test.ts [${backend.name}]: HNSW top-${K} overlap with exact = ${overlap.toFixed(3)}`,
    );
    expect(overlap).toBeGreaterThanOrEqual(0.9);
  });

  it("MMR re-ranking over embeddings agrees", async () => {
    for (const mode of ["soft", "hybrid"] as const) {
      for (const query of queries.slice(0, 5)) {
        const o = { mode, k: K, diversity: { method: "exact", lambda: 0.5 } } as const;
        const expected = seedsOf(unwrap(memory.retrieve(query, o)));
        expect(seedsOf(unwrap(await pool.retrieve(query, { ...o, exact: true })))).toEqual(expected);
      }
    }
  });

  it("the convenience methods agree too", async () => {
    const rgb = items[123]?.tensor.meanRgb() ?? ([0.5, 0.2, 0.1] as const);
    expect(seedsOf(unwrap(await pool.retrieveSimilar(rgb, 5)))).toEqual(
      seedsOf(unwrap(memory.retrieveSimilar(rgb, 5))),
    );
    expect(seedsOf(unwrap(await pool.retrieveBalanced(rgb, ["Red", "Blue", "Red"], 2)))).toEqual(
      seedsOf(unwrap(memory.retrieveBalanced(rgb, ["Red", "Blue", "Red"], 2))),
    );
    expect(seedsOf(unwrap(await pool.retrieveDiverse(rgb, 6, 0.5, 0.05)))).toEqual(
      seedsOf(unwrap(memory.retrieveDiverse(rgb, 6, 0.5, 0.05))),
    );
  });
});
