import { unwrap, unwrapErr } from "@dreampool/errors";
import { estimateEntryBytes, metadataBytes } from "@dreampool/memory";
import { ChromaticTensor, COLOR_CLASSES, type ColorClass } from "@dreampool/tensor";
import { describe, expect, it } from "vitest";
import { classTensor, errorKind, fill, poolOf, result, tensorNear } from "./__fixtures__/pool-fixtures.js";

describe("adding entries", () => {
  it("accepts a coherent result and makes it retrievable at once (seed: max 5, threshold 0.5)", () => {
    const pool = poolOf({ maxSize: 5, coherenceThreshold: 0.5 });
    const t = unwrap(ChromaticTensor.fromSeed(42, 8, 8, 2));
    const id = unwrap(pool.addIfCoherent(t, result(0.9)));
    expect(id).toBe("d1");
    expect(pool.size).toBe(1);
    const hits = unwrap(pool.retrieveSimilar(t.meanRgb(), 1));
    expect(hits.map((h) => h.entry.id)).toEqual(["d1"]);
    expect(hits[0]?.components.similarity).toBeCloseTo(1, 6);
  });

  it("gates on coherence: equal to the threshold passes, below is null and counted", () => {
    const pool = poolOf({ coherenceThreshold: 0.75 });
    expect(unwrap(pool.addIfCoherent(tensorNear([0.2, 0.5, 0.7], 1), result(0.75)))).toBe("d1");
    expect(unwrap(pool.addIfCoherent(tensorNear([0.2, 0.5, 0.7], 2), result(0.7499)))).toBeNull();
    expect(unwrap(pool.addWithClass(tensorNear([0.9, 0.1, 0.1], 3), result(0.2), "Red"))).toBeNull();
    expect(unwrap(pool.add(tensorNear([0.9, 0.1, 0.1], 4), result(0.2)))).toBe("d2");
    expect(pool.size).toBe(2);
    expect(pool.stats()).toMatchObject({ added: 2, gatedOut: 2 });
  });

  it("gives stable sequential ids that are never reused, not even after remove or clear", () => {
    const pool = poolOf({ idPrefix: "dream" });
    const ids = fill(pool, 3);
    expect(ids).toEqual(["dream1", "dream2", "dream3"]);
    expect(pool.remove("dream2")).toBe(true);
    expect(fill(pool, 1, 7)).toEqual(["dream4"]);
    pool.clear();
    expect(fill(pool, 1, 8)).toEqual(["dream5"]);
  });

  it("keeps maxSize with fifo eviction (seed: max 3, threshold 0, five adds)", () => {
    const pool = poolOf({ maxSize: 3, coherenceThreshold: 0 });
    const ids = fill(pool, 5);
    expect(pool.size).toBe(3);
    expect(pool.entries().map((e) => e.id)).toEqual(ids.slice(2));
    expect(pool.has(ids[0] as string)).toBe(false);
    expect(pool.stats().evictions).toEqual({ capacity: 2, budget: 0, removed: 0 });
  });

  it("stores labelled entries and retrieves by class (seed: 5 Red + 5 Blue, k 3)", () => {
    const pool = poolOf({ maxSize: 20, coherenceThreshold: 0.5 });
    for (let i = 0; i < 5; i++) unwrap(pool.addWithClass(classTensor("Red", i), result(0.8), "Red"));
    for (let i = 5; i < 10; i++) unwrap(pool.addWithClass(classTensor("Blue", i), result(0.8), "Blue"));
    expect(pool.size).toBe(10);
    for (const cls of ["Red", "Blue"] as const) {
      const hits = unwrap(pool.retrieveSimilarClass([1, 0, 0], cls, 3));
      expect(hits).toHaveLength(3);
      expect(hits.every((h) => h.entry.classLabel === cls)).toBe(true);
    }
  });

  it("computes chroma, spectral features and a unit embedding once, at insertion", () => {
    const pool = poolOf({ embedding: { dim: 32 } });
    const t = tensorNear([0.3, 0.6, 0.2], 5);
    const entry = pool.get(unwrap(pool.add(t, result(0.9), { classLabel: "Green", meta: { step: 3 } })));
    expect(entry?.chroma).toEqual(t.meanRgb());
    expect(entry?.spectral.entropy).toBeGreaterThanOrEqual(0);
    expect(entry?.spectral.lowEnergy).toBeGreaterThanOrEqual(0);
    expect(entry?.embedding).toHaveLength(32);
    const norm = Math.hypot(...(entry?.embedding ?? []));
    expect(norm).toBeCloseTo(1, 5);
    expect(entry?.meta).toEqual({ step: 3 });
    expect(entry?.classLabel).toBe("Green");
    expect(entry?.utility).toEqual({ mean: null, count: 0 });
    expect(entry?.createdAt).toBe(1_000_000);
  });

  it("keeps its own copy of the result", () => {
    const pool = poolOf();
    const r = { ...result(0.9), meta: { a: 1 } as Record<string, number> };
    const id = unwrap(pool.add(tensorNear([0.5, 0.5, 0.1], 1), r));
    r.meta.a = 99;
    expect(pool.get(id)?.result.meta).toEqual({ a: 1 });
  });

  it("rejects bad input with the right error and leaves the pool unchanged", () => {
    const pool = poolOf();
    fill(pool, 2);
    const before = pool.stats();
    const t = tensorNear([0.4, 0.4, 0.4], 3);
    expect(errorKind(pool.add(t, { ...result(0.9), energy: Number.NaN }))).toBe("InvalidParameter");
    expect(errorKind(pool.add(t, { ...result(0.9), coherence: Number.POSITIVE_INFINITY }))).toBe(
      "InvalidParameter",
    );
    expect(errorKind(pool.add(t, { ...result(0.9), violation: "x" as never }))).toBe("InvalidParameter");
    expect(errorKind(pool.add(t, { ...result(0.9), grad: new Float32Array(5) }))).toBe("DimensionMismatch");
    expect(errorKind(pool.add(t, { ...result(0.9), meta: { x: Number.NaN } }))).toBe("InvalidParameter");
    expect(errorKind(pool.add({} as never, result(0.9)))).toBe("InvalidParameter");
    expect(errorKind(pool.add(null as never, result(0.9)))).toBe("InvalidParameter");
    expect(errorKind(pool.add(t, null as never))).toBe("InvalidParameter");
    expect(errorKind(pool.add(t, result(0.9), { classLabel: "Mauve" as never }))).toBe("InvalidParameter");
    expect(errorKind(pool.add(t, result(0.9), { now: Number.NaN }))).toBe("InvalidParameter");
    expect(errorKind(pool.addWithClass(t, result(0.9), null as never))).toBe("InvalidParameter");
    const broken = ChromaticTensor.unsafeCreate(
      SMALL_DIMS,
      new Float32Array(96).fill(Number.NaN),
      new Float32Array(32),
    );
    expect(errorKind(pool.add(broken, result(0.9)))).toBe("InvalidParameter");
    expect(pool.stats()).toEqual(before);
    expect(pool.entries().map((e) => e.id)).toEqual(["d1", "d2"]);
  });
});

const SMALL_DIMS = { rows: 4, cols: 4, layers: 2 };

describe("eviction policies", () => {
  it("lru evicts the least recently retrieved entry", () => {
    const pool = poolOf({ maxSize: 3, evictionPolicy: "lru", index: "exact" });
    const a = unwrap(pool.add(tensorNear([0.9, 0.1, 0.1], 1), result(0.9)));
    const b = unwrap(pool.add(tensorNear([0.1, 0.9, 0.1], 2), result(0.9)));
    const c = unwrap(pool.add(tensorNear([0.1, 0.1, 0.9], 3), result(0.9)));
    // Use a (the oldest): b becomes the least recently used.
    expect(unwrap(pool.retrieveSimilar([0.9, 0.1, 0.1], 1))[0]?.entry.id).toBe(a);
    unwrap(pool.add(tensorNear([0.5, 0.5, 0.1], 4), result(0.9)));
    expect(pool.has(a)).toBe(true);
    expect(pool.has(b)).toBe(false);
    expect(pool.has(c)).toBe(true);
  });

  it("lowest-utility evicts the worst mean utility; no feedback counts as neutral; ties go to the oldest", () => {
    const pool = poolOf({ maxSize: 4, evictionPolicy: "lowest-utility" });
    const [good, neutralOld, bad, neutralNew] = fill(pool, 4) as [string, string, string, string];
    unwrap(pool.feedback(good, { utility: 0.8 }));
    unwrap(pool.feedback(bad, { lossBefore: 0.3, lossAfter: 0.7 }));
    fill(pool, 1, 9);
    expect(pool.has(bad)).toBe(false);
    fill(pool, 1, 10);
    expect(pool.has(neutralOld)).toBe(false);
    expect(pool.has(neutralNew)).toBe(true);
    expect(pool.has(good)).toBe(true);
    // The helpful entry outlives everything neutral.
    fill(pool, 3, 11);
    expect(pool.has(good)).toBe(true);
    expect(pool.size).toBe(4);
  });

  it("fifo ignores use and utility", () => {
    const pool = poolOf({ maxSize: 2, evictionPolicy: "fifo" });
    const [first, second] = fill(pool, 2) as [string, string];
    unwrap(pool.feedback(first, { utility: 1 }));
    unwrap(pool.retrieveSimilar(pool.get(first)?.chroma ?? [1, 0, 0], 1));
    fill(pool, 1, 5);
    expect(pool.has(first)).toBe(false);
    expect(pool.has(second)).toBe(true);
  });
});

describe("memory budget", () => {
  it("never lets usage exceed the budget and evicts for budget before capacity", () => {
    const probe = poolOf();
    const entryBytes = probe.get(fill(probe, 1)[0] as string)?.bytes ?? 0;
    expect(entryBytes).toBeGreaterThan(1000);
    const budget = Math.floor(entryBytes * 10.5);
    const pool = poolOf({ maxSize: 100, memoryBudgetBytes: budget, evictionThreshold: 0.9 });
    for (let i = 0; i < 40; i++) {
      fill(pool, 1, 100 + i);
      const { memory } = pool.stats();
      expect(memory.usedBytes).toBeLessThanOrEqual(budget);
      expect(memory.usedBytes).toBe(pool.entries().reduce((s, e) => s + e.bytes, 0));
    }
    // Eviction frees down to 90% of the budget: at most 9 entries of this size stay.
    expect(pool.size).toBe(9);
    expect(pool.stats().evictions.budget).toBe(31);
    expect(pool.stats().memory.ratio).toBeLessThanOrEqual(0.9);
  });

  it("counts metadata, gradients and the index row in an entry's bytes", () => {
    const pool = poolOf({ index: "exact" });
    const t = tensorNear([0.3, 0.3, 0.8], 1);
    const plain = pool.get(unwrap(pool.add(t, result(0.9))))?.bytes ?? 0;
    const withGrad =
      pool.get(unwrap(pool.add(t, { ...result(0.9), grad: new Float32Array(96).fill(0.1) })))?.bytes ?? 0;
    const withMeta =
      pool.get(unwrap(pool.add(t, result(0.9), { meta: { note: "x".repeat(500) } })))?.bytes ?? 0;
    expect(withGrad - plain).toBeGreaterThanOrEqual(96 * 4);
    expect(withMeta - plain).toBeGreaterThan(400);
    const hnsw = poolOf({ index: "hnsw" });
    expect(hnsw.get(unwrap(hnsw.add(t, result(0.9))))?.bytes ?? 0).toBeGreaterThan(plain);
  });

  it("charges an entry exactly memory's calibrated estimate (the result's empty meta is counted once)", () => {
    for (const index of ["exact", "hnsw"] as const) {
      const pool = poolOf({ index });
      const t = tensorNear([0.6, 0.3, 0.2], 2);
      const dims = { rows: t.rows, cols: t.cols, layers: t.layers };
      const indexCost = index === "exact" ? { kind: "exact" as const } : { kind: "hnsw" as const, m: 16 };
      const base = { dims, embeddingDim: 64, index: indexCost, chromaIndex: true };
      const plain = pool.get(unwrap(pool.add(t, result(0.9))))?.bytes;
      expect(plain).toBe(estimateEntryBytes({ ...base, meta: {} }));
      const meta = { note: "y".repeat(300), run: 7.5 };
      const withMeta = pool.get(unwrap(pool.add(t, result(0.9), { meta })))?.bytes;
      expect(withMeta).toBe(estimateEntryBytes({ ...base, meta }));
      // A non-empty solver meta adds what its fields cost beyond the empty object already counted.
      const solverMeta = { solver: "z".repeat(200) };
      const withSolverMeta = pool.get(unwrap(pool.add(t, { ...result(0.9), meta: solverMeta })))?.bytes;
      expect(withSolverMeta).toBe(
        estimateEntryBytes({ ...base, meta: {} }) + metadataBytes(solverMeta) - metadataBytes({}),
      );
    }
  });

  it("refuses an entry larger than the whole budget with MemoryExceeded and leaves the pool unchanged", () => {
    const pool = poolOf({ memoryBudgetBytes: 40_000 });
    fill(pool, 3);
    const before = pool.stats();
    const ids = pool.entries().map((e) => e.id);
    const huge = tensorNear([0.5, 0.2, 0.2], 1, 0.05, { rows: 32, cols: 32, layers: 4 });
    const e = unwrapErr(pool.add(huge, result(0.9)));
    expect(e.kind).toBe("MemoryExceeded");
    expect(pool.stats()).toEqual(before);
    expect(pool.entries().map((x) => x.id)).toEqual(ids);
    expect(unwrapErr(pool.addBatch([{ tensor: huge, result: result(0.9) }])).kind).toBe("InvalidParameter");
    expect(pool.stats()).toEqual(before);
  });
});

describe("addBatch", () => {
  it("gates, counts and reports progress (later: 32 items, every 5th at coherence 0.2 → 25)", () => {
    const pool = poolOf({ maxSize: 100 });
    const items = Array.from({ length: 32 }, (_, i) => ({
      tensor: classTensor(COLOR_CLASSES[i % 10] as ColorClass, i),
      result: result(i % 5 === 0 ? 0.2 : 0.9),
      classLabel: COLOR_CLASSES[i % 10] as ColorClass,
    }));
    const progress: number[] = [];
    expect(unwrap(pool.addBatch(items, { onProgress: (p) => progress.push(p.added) }))).toBe(25);
    expect(pool.size).toBe(25);
    expect(progress).toHaveLength(32);
    expect(progress.at(-1)).toBe(25);
    expect(unwrap(pool.addBatch(items.slice(0, 5), { gate: false }))).toBe(5);
  });

  it("checks every item first: a bad one fails the batch with nothing added", () => {
    const pool = poolOf();
    const good = { tensor: tensorNear([0.2, 0.2, 0.6], 1), result: result(0.9) };
    const e = unwrapErr(
      pool.addBatch([good, good, { tensor: good.tensor, result: { ...result(0.9), energy: Number.NaN } }]),
    );
    expect(e.kind).toBe("InvalidParameter");
    expect(e.message).toContain("items[2].result.energy");
    expect(pool.size).toBe(0);
    expect(errorKind(pool.addBatch(5 as never))).toBe("InvalidParameter");
    expect(errorKind(pool.addBatch([good], { onProgress: 3 as never }))).toBe("InvalidParameter");
  });

  it("survives a throwing progress callback", () => {
    const pool = poolOf();
    const items = [0, 1, 2].map((i) => ({ tensor: tensorNear([0.7, 0.2, 0.4], i), result: result(0.9) }));
    const added = pool.addBatch(items, {
      onProgress: () => {
        throw new Error("boom");
      },
    });
    expect(unwrap(added)).toBe(3);
  });
});

describe("remove and clear", () => {
  it("remove takes an entry out of every index and the budget", () => {
    const pool = poolOf({ memoryBudgetBytes: "10 MiB" });
    const ids = fill(pool, 5);
    const used = pool.stats().memory.usedBytes;
    const gone = pool.get(ids[2] as string);
    expect(pool.remove(ids[2] as string)).toBe(true);
    expect(pool.remove(ids[2] as string)).toBe(false);
    expect(pool.remove(42 as never)).toBe(false);
    expect(pool.stats().memory.usedBytes).toBe(used - (gone?.bytes ?? 0));
    expect(pool.stats().index.live).toBe(4);
    expect(pool.stats().evictions.removed).toBe(1);
  });

  it("clear empties entries, indices, cache, budget and counters", () => {
    const pool = poolOf({ memoryBudgetBytes: "10 MiB" });
    const ids = fill(pool, 6);
    unwrap(pool.retrieve([0.5, 0.5, 0.5], { mode: "soft" }));
    unwrap(pool.retrieve([0.5, 0.5, 0.5], { mode: "soft" }));
    unwrap(pool.feedback(ids[0] as string, { utility: 0.5 }));
    pool.clear();
    const s = pool.stats();
    expect(s.count).toBe(0);
    expect(s.memory.usedBytes).toBe(0);
    expect(s.index.live).toBe(0);
    expect(s.cache).toEqual({ hits: 0, misses: 0, hitRate: 0, size: 0 });
    expect(s.added).toBe(0);
    for (const mode of ["hard", "soft", "hybrid"] as const) {
      expect(unwrap(pool.retrieve([0.5, 0.5, 0.5], { mode, k: 10 }))).toEqual([]);
    }
    expect(ids.some((id) => pool.has(id))).toBe(false);
    expect(pool.get(ids[0] as string)).toBeUndefined();
  });
});
