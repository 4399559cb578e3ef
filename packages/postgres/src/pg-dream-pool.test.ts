import { DreamError, unwrap, unwrapErr } from "@dreampool/errors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgDreamPoolOptions } from "./options.js";
import {
  type Backend,
  backends,
  classFor,
  describeBackends,
  dream,
  freshTable,
  resultFor,
} from "./pg.fixture.js";
import { PgDreamPool } from "./pg-dream-pool.js";

const list = await backends();
const opened: PgDreamPool[] = [];

afterAll(async () => {
  for (const pool of opened) await pool.close();
  console.info(describeBackends("pg-dream-pool.test.ts"));
});

async function open(backend: Backend, options: Partial<PgDreamPoolOptions> = {}): Promise<PgDreamPool> {
  const pool = unwrap(
    await PgDreamPool.connect({
      connection: backend.connection(),
      table: freshTable("t"),
      embedding: { dim: 32 },
      clock: () => 1_700_000_000_000,
      ...options,
    }),
  );
  opened.push(pool);
  return pool;
}

async function fill(pool: PgDreamPool, seeds: readonly number[]): Promise<string[]> {
  const ids: string[] = [];
  for (const seed of seeds)
    ids.push(
      unwrap(await pool.add(dream(seed), resultFor(seed), { classLabel: classFor(seed), meta: { seed } })),
    );
  return ids;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe.each(list)("PgDreamPool on $name", (backend) => {
  let pool: PgDreamPool;
  let ids: string[];

  beforeAll(async () => {
    pool = await open(backend, { maxSize: 100 });
    ids = await fill(pool, range(0, 40));
  });

  it("stores entries that read back exactly", async () => {
    const entry = unwrap(await pool.get(ids[7] as string));
    const tensor = dream(7);
    expect(entry?.tensor.colors).toEqual(tensor.colors);
    expect(entry?.tensor.certainty).toEqual(tensor.certainty);
    expect(entry?.classLabel).toBe(classFor(7));
    expect(entry?.meta).toEqual({ seed: 7 });
    expect(entry?.result).toMatchObject({ coherence: 0.9, meta: { seed: 7 } });
    expect(entry?.result.energy).toBe(resultFor(7).energy);
    expect(entry?.embedding.length).toBe(32);
    expect(entry?.chroma[0]).toBeCloseTo(tensor.meanRgb()[0], 6);
    expect(unwrap(await pool.size())).toBe(40);
    expect(unwrap(await pool.has(ids[0] as string))).toBe(true);
    expect(unwrap(await pool.has("nope"))).toBe(false);
    expect(unwrap(await pool.get("nope"))).toBeUndefined();
    expect(unwrap(await pool.entries()).map((e) => e.id)).toEqual(ids);
  });

  it("hands out distinct ids with the configured prefix, in insertion order", () => {
    expect(new Set(ids).size).toBe(ids.length);
    const numbers = ids.map((id) => Number(id.slice(1)));
    expect(ids.every((id) => id.startsWith("d"))).toBe(true);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it("soft retrieval of a stored tensor returns that entry first", async () => {
    for (const seed of [3, 18, 33]) {
      const hits = unwrap(await pool.retrieve(dream(seed), { mode: "soft", k: 5 }));
      expect(hits[0]?.entry.id).toBe(ids[seed]);
      expect(hits.length).toBe(5);
      for (let i = 1; i < hits.length; i++)
        expect(hits[i - 1]?.score).toBeGreaterThanOrEqual(hits[i]?.score ?? 0);
    }
  });

  it("hard retrieval ranks by chroma cosine and honours the class filter", async () => {
    const target = unwrap(await pool.get(ids[12] as string));
    const hits = unwrap(await pool.retrieveSimilarClass(target?.chroma ?? [1, 0, 0], classFor(12), 3));
    expect(hits.length).toBe(3);
    expect(hits.every((h) => h.entry.classLabel === classFor(12))).toBe(true);
    expect(hits[0]?.entry.id).toBe(ids[12]);
  });

  it("hybrid retrieval returns each entry at most once", async () => {
    const hits = unwrap(await pool.retrieve(dream(21), { mode: "hybrid", k: 20 }));
    expect(new Set(hits.map((h) => h.entry.id)).size).toBe(hits.length);
    expect(hits[0]?.entry.id).toBe(ids[21]);
  });

  it("applies a predicate filter and fails with InvalidParameter when it throws", async () => {
    const hits = unwrap(
      await pool.retrieve(dream(5), { k: 10, filter: (e) => (e.meta.seed as number) % 2 === 1 }),
    );
    expect(hits.length).toBe(10);
    expect(hits.every((h) => (h.entry.meta.seed as number) % 2 === 1)).toBe(true);
    const failed = await pool.retrieve(dream(5), {
      filter: () => {
        throw new Error("boom");
      },
    });
    expect(unwrapErr(failed).kind).toBe("InvalidParameter");
  });

  it("retrieval updates usage count and lastUsedAt", async () => {
    const before = unwrap(await pool.get(ids[30] as string));
    await pool.retrieve(dream(30), { k: 1, now: 1_800_000_000_000 });
    const after = unwrap(await pool.get(ids[30] as string));
    expect(after?.usageCount).toBe((before?.usageCount ?? 0) + 1);
    expect(after?.lastUsedAt).toBe(1_800_000_000_000);
  });

  it("feedback keeps an exact running mean and minUtility filters on it", async () => {
    const id = ids[9] as string;
    unwrap(await pool.feedback(id, { utility: 0.5 }));
    unwrap(await pool.feedback(id, { lossBefore: 1, lossAfter: 1.1 }));
    const stats = unwrap(await pool.feedback(id, { utility: 0.3 }));
    expect(stats.count).toBe(3);
    expect(stats.mean).toBeCloseTo((0.5 - 0.1 + 0.3) / 3, 12);
    const rated = unwrap(
      await pool.retrieveByUtility(unwrap(await pool.get(id))?.chroma ?? [1, 1, 1], 10, 0.2),
    );
    expect(rated.map((h) => h.entry.id)).toEqual([id]);
    expect(unwrapErr(await pool.feedback("missing", { utility: 0.1 })).kind).toBe("InvalidParameter");
    expect(unwrapErr(await pool.feedback(id, { utility: 2 })).kind).toBe("InvalidParameter");
    expect(unwrapErr(await pool.feedback(id, { lossBefore: Number.NaN, lossAfter: 1 })).kind).toBe(
      "InvalidParameter",
    );
  });

  it("concurrent feedback on one entry loses no update", async () => {
    const id = ids[11] as string;
    const utilities = range(0, 20).map((i) => ((i % 7) - 3) / 4);
    await Promise.all(utilities.map((utility) => pool.feedback(id, { utility })));
    const entry = unwrap(await pool.get(id));
    expect(entry?.utility.count).toBe(20);
    expect(entry?.utility.mean).toBeCloseTo(utilities.reduce((a, b) => a + b, 0) / 20, 12);
  });

  it("rejects bad input with the right error and leaves the pool unchanged", async () => {
    const size = unwrap(await pool.size());
    const notTensor = { colors: [1, 2, 3] } as unknown as Parameters<PgDreamPool["add"]>[0];
    expect(unwrapErr(await pool.add(notTensor, resultFor(1))).kind).toBe("InvalidParameter");
    const badResult = { ...resultFor(1), energy: Number.NaN };
    expect(unwrapErr(await pool.add(dream(1), badResult)).detail).toMatchObject({
      parameter: "result.energy",
    });
    const badClass = "Teal" as unknown as "Red";
    expect(unwrapErr(await pool.add(dream(1), resultFor(1), { classLabel: badClass })).kind).toBe(
      "InvalidParameter",
    );
    const badMeta = { nested: { a: 1 } } as unknown as Record<string, number>;
    expect(unwrapErr(await pool.add(dream(1), resultFor(1), { meta: badMeta })).kind).toBe(
      "InvalidParameter",
    );
    expect(unwrapErr(await pool.retrieve(dream(1), { k: 0 })).detail).toMatchObject({
      parameter: "options.k",
    });
    const badMode = "fuzzy" as unknown as "soft";
    expect(unwrapErr(await pool.retrieve(dream(1), { mode: badMode })).kind).toBe("InvalidParameter");
    expect(unwrapErr(await pool.retrieve([1, Number.NaN, 0])).kind).toBe("InvalidParameter");
    const twoChannels = [1, 0] as unknown as readonly [number, number, number];
    expect(unwrapErr(await pool.retrieve(twoChannels)).kind).toBe("DimensionMismatch");
    const badBatch = [
      { tensor: dream(1), result: resultFor(1) },
      { tensor: null, result: resultFor(2) },
    ];
    const batch = unwrapErr(await pool.addBatch(badBatch as never));
    expect(batch.detail).toMatchObject({ parameter: "items[1].tensor" });
    expect(unwrap(await pool.size())).toBe(size);
  });

  it("gates incoherent results in addIfCoherent and addBatch", async () => {
    const gated = await open(backend, { coherenceThreshold: 0.8 });
    expect(unwrap(await gated.addIfCoherent(dream(1), resultFor(1, 0.79)))).toBeNull();
    expect(unwrap(await gated.addIfCoherent(dream(2), resultFor(2, 0.8)))).toMatch(/^d\d+$/);
    expect(unwrap(await gated.addWithClass(dream(3), resultFor(3, 0.5), "Red"))).toBeNull();
    const items = range(0, 10).map((s) => ({
      tensor: dream(s),
      result: resultFor(s, s % 2 === 0 ? 0.9 : 0.3),
    }));
    const progress: number[] = [];
    expect(unwrap(await gated.addBatch(items, { onProgress: (p) => progress.push(p.processed) }))).toBe(5);
    expect(progress.at(-1)).toBe(10);
    const stats = unwrap(await gated.stats());
    expect(stats.count).toBe(6);
    expect(stats.added).toBe(6);
    expect(stats.gatedOut).toBe(7);
  });

  it("fifo eviction keeps the newest maxSize entries", async () => {
    const small = await open(backend, { maxSize: 5 });
    const added = await fill(small, range(100, 108));
    expect(unwrap(await small.size())).toBe(5);
    expect(unwrap(await small.entries()).map((e) => e.id)).toEqual(added.slice(3));
    const stats = unwrap(await small.stats());
    expect(stats.evictions.capacity).toBe(3);
    for (const mode of ["hard", "soft", "hybrid"] as const) {
      const hits = unwrap(await small.retrieve(dream(100), { mode, k: 8 }));
      expect(hits.some((h) => added.slice(0, 3).includes(h.entry.id))).toBe(false);
    }
  });

  it("lru eviction removes the least recently retrieved entry", async () => {
    const lru = await open(backend, { maxSize: 3, evictionPolicy: "lru" });
    const [a, b, c] = await fill(lru, [200, 201, 202]);
    await lru.retrieve(dream(200), { k: 1, now: 1_700_000_000_500 });
    await fill(lru, [203]);
    const left = unwrap(await lru.entries()).map((e) => e.id);
    expect(left).toContain(a);
    expect(left).not.toContain(b);
    expect(left).toContain(c);
  });

  it("lowest-utility eviction removes the worst-rated entry (unrated counts as 0)", async () => {
    const low = await open(backend, { maxSize: 3, evictionPolicy: "lowest-utility" });
    const [a, b, c] = (await fill(low, [300, 301, 302])) as [string, string, string];
    await low.feedback(a, { utility: 0.4 });
    await low.feedback(b, { utility: -0.6 });
    await fill(low, [303]);
    const left = unwrap(await low.entries()).map((e) => e.id);
    expect(left).toEqual(expect.arrayContaining([a, c]));
    expect(left).not.toContain(b);
  });

  it("never exceeds the byte budget and rejects an entry larger than the whole budget", async () => {
    const probe = await open(backend);
    const one = unwrap(await probe.get(unwrap(await probe.add(dream(1), resultFor(1)))));
    const entryBytes = one?.bytes ?? 0;
    expect(entryBytes).toBeGreaterThan(1000);
    const budget = Math.floor(entryBytes * 6.5);
    const budgeted = await open(backend, { memoryBudgetBytes: budget, maxSize: 100 });
    for (const seed of range(400, 420)) {
      unwrap(await budgeted.add(dream(seed), resultFor(seed)));
      const stats = unwrap(await budgeted.stats());
      expect(stats.memory.usedBytes).toBeLessThanOrEqual(budget);
      expect(stats.count).toBeGreaterThan(0);
    }
    expect(unwrap(await budgeted.stats()).evictions.budget).toBeGreaterThan(10);
    const tooBig = await open(backend, { memoryBudgetBytes: entryBytes - 1 });
    const refused = unwrapErr(await tooBig.add(dream(2), resultFor(2)));
    expect(refused.kind).toBe("MemoryExceeded");
    expect(unwrap(await tooBig.size())).toBe(0);
  });

  it("remove and clear update size and usage, and removed ids never come back", async () => {
    const p = await open(backend);
    const added = await fill(p, range(500, 510));
    expect(unwrap(await p.remove(added[4] as string))).toBe(true);
    expect(unwrap(await p.remove(added[4] as string))).toBe(false);
    const hits = unwrap(await p.retrieve(dream(504), { k: 9 }));
    expect(hits.map((h) => h.entry.id)).not.toContain(added[4]);
    const stats = unwrap(await p.stats());
    expect(stats.count).toBe(9);
    expect(stats.evictions.removed).toBe(1);
    const bytes = unwrap(await p.entries()).reduce((sum, e) => sum + e.bytes, 0);
    expect(stats.memory.usedBytes).toBe(bytes);
    unwrap(await p.clear());
    expect(unwrap(await p.size())).toBe(0);
    expect(unwrap(await p.stats()).memory.usedBytes).toBe(0);
    const next = unwrap(await p.add(dream(1), resultFor(1)));
    expect(added).not.toContain(next);
  });

  it("reopening a table sees its entries; another encoder or dimension is InvalidConfiguration", async () => {
    const table = freshTable("reopen");
    const first = await open(backend, { table });
    const added = await fill(first, [600, 601, 602]);
    await first.close();
    const again = await open(backend, { table });
    expect(unwrap(await again.entries()).map((e) => e.id)).toEqual(added);
    const otherDim = await PgDreamPool.connect({
      connection: backend.connection(),
      table,
      embedding: { dim: 16 },
    });
    expect(unwrapErr(otherDim).detail).toMatchObject({
      kind: "InvalidConfiguration",
      parameter: "embedding.dim",
    });
    const otherSeed = await PgDreamPool.connect({
      connection: backend.connection(),
      table,
      embedding: { dim: 32, seed: 99 },
    });
    expect(unwrapErr(otherSeed).detail).toMatchObject({
      kind: "InvalidConfiguration",
      parameter: "embedding",
    });
    // The spectral window changes every feature, so it is part of the encoder's fingerprint.
    const otherWindow = await PgDreamPool.connect({
      connection: backend.connection(),
      table,
      embedding: { dim: 32 },
      spectralWindow: "hamming",
    });
    expect(unwrapErr(otherWindow).detail).toMatchObject({
      kind: "InvalidConfiguration",
      parameter: "embedding",
    });
    const otherM = await PgDreamPool.connect({
      connection: backend.connection(),
      table,
      embedding: { dim: 32 },
      hnsw: { m: 8 },
    });
    expect(unwrapErr(otherM).detail).toMatchObject({ kind: "InvalidConfiguration", parameter: "hnsw.m" });
  });

  it("a closed pool refuses work instead of throwing", async () => {
    const p = await open(backend);
    unwrap(await p.close());
    unwrap(await p.close());
    const e = unwrapErr(await p.size());
    expect(DreamError.isInstance(e)).toBe(true);
  });
});
