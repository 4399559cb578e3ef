import { describe, expect, it } from "vitest";
import { METRICS, type Metric, type VectorIndex } from "../contract.js";
import { describeDifferential, describeSnapshot } from "./contract-differential.js";
import {
  type ContractFactoryOptions,
  expectErrKind,
  expectOk,
  expectWellOrdered,
  hitIds,
  patterned,
  snapshotOf,
  type VectorIndexContractOptions,
  type VectorIndexFactory,
  vec,
} from "./fixtures.js";

/**
 * The behaviour every VectorIndex must show (docs in ../contract.ts), as a vitest suite. Call it
 * from a test file of the implementation:
 *
 *     describeVectorIndexContract("ExactIndex", ({ dim, metric }) => unwrap(ExactIndex.create({ dim, metric })),
 *       { restore: (bytes) => ExactIndex.fromBytes(bytes) });
 */
export function describeVectorIndexContract(
  name: string,
  factory: VectorIndexFactory,
  options: VectorIndexContractOptions,
): void {
  describe(`VectorIndex contract: ${name}`, () => {
    for (const metric of options.metrics ?? METRICS) {
      describe(`metric ${metric}`, () => {
        const make = (dim = 4): VectorIndex => factory({ dim, metric } satisfies ContractFactoryOptions);
        describeBasics(make, metric);
        describeSearch(make, metric);
        describeBadInput(make, metric);
        describeSnapshot(make, metric, options);
        describeDifferential(make, metric, options);
      });
    }
  });
}

function describeBasics(make: (dim?: number) => VectorIndex, metric: Metric): void {
  it("starts empty: size 0, no ids, search returns []", () => {
    const index = make();
    expect(index.size).toBe(0);
    expect(index.metric).toBe(metric);
    expect(index.dim).toBe(4);
    expect([...index.ids()]).toEqual([]);
    expect(index.has("a")).toBe(false);
    expect(index.get("a")).toBeUndefined();
    expect(expectOk(index.search(vec(1, 2, 3, 4), 5))).toEqual([]);
    expect(index.stats()).toMatchObject({ dim: 4, metric, size: 0 });
  });

  it("adds, finds and lists entries; get returns a copy", () => {
    const index = make();
    const a = vec(1, -2, 0.5, 3);
    expectOk(index.add("a", a));
    expectOk(index.add("b", vec(-1, 0, 2, 1)));
    expect(index.size).toBe(2);
    expect(index.has("a")).toBe(true);
    expect([...index.ids()].sort()).toEqual(["a", "b"]);
    const stored = index.get("a");
    if (!stored) throw new Error("get(a) returned undefined");
    const norm = metric === "cosine" ? Math.hypot(...a) : 1;
    const expected = Array.from(a, (x) => x / norm);
    for (let i = 0; i < 4; i++) expect(stored[i]).toBeCloseTo(expected[i] as number, 5);
    stored[0] = 999;
    a[1] = 999; // the caller's vector was copied on the way in, too
    const again = index.get("a");
    expect(again?.[0]).toBeCloseTo(expected[0] as number, 5);
    expect(again?.[1]).toBeCloseTo(metric === "cosine" ? -2 / Math.hypot(1, 2, 0.5, 3) : -2, 5);
  });

  it("rejects a duplicate add and keeps the first vector", () => {
    const index = make();
    expectOk(index.add("a", vec(1, 0, 0, 0)));
    const before = snapshotOf(index, vec(0, 1, 0, 1));
    expectErrKind(index.add("a", vec(0, 1, 0, 0)), "InvalidParameter");
    expect(snapshotOf(index, vec(0, 1, 0, 1))).toEqual(before);
  });

  it("rejects an empty id, and accepts ids such as __proto__ and constructor as plain strings", () => {
    const index = make();
    expectErrKind(index.add("", vec(1, 0, 0, 0)), "InvalidParameter");
    expectErrKind(index.upsert("", vec(1, 0, 0, 0)), "InvalidParameter");
    expect(index.size).toBe(0);
    expectOk(index.add("__proto__", vec(1, 0, 0, 0)));
    expectOk(index.add("constructor", vec(0, 1, 0, 0)));
    expect([...index.ids()].sort()).toEqual(["__proto__", "constructor"]);
    expect(index.has("toString")).toBe(false);
  });

  it("upsert adds a new id and replaces an existing one", () => {
    const index = make();
    expectOk(index.upsert("a", vec(1, 0, 0, 0)));
    expectOk(index.add("b", vec(0, 0, 1, 0)));
    expect(hitIds(expectOk(index.search(vec(1, 0, 0, 0), 1)))).toEqual(["a"]);
    expectOk(index.upsert("a", vec(0, 0, -1, 0)));
    expect(index.size).toBe(2);
    expect(hitIds(expectOk(index.search(vec(0, 0, 1, 0), 2)))).toEqual(["b", "a"]);
    expect(index.get("a")?.[2]).toBeLessThan(0);
  });

  it("removes entries; removed ids never come back and the others keep their vectors", () => {
    const index = make(6);
    const vectors = Array.from({ length: 12 }, (_, i) => patterned(6, i + 1));
    for (const [i, v] of vectors.entries()) expectOk(index.add(`e${i}`, v));
    for (const i of [0, 5, 11, 6]) expect(index.remove(`e${i}`)).toBe(true);
    expect(index.remove("e5")).toBe(false);
    expect(index.remove("never-added")).toBe(false);
    expect(index.size).toBe(8);
    expect(index.stats().size).toBe(8);
    expect(index.has("e5")).toBe(false);
    expect(index.get("e5")).toBeUndefined();
    const live = [1, 2, 3, 4, 7, 8, 9, 10];
    expect([...index.ids()].sort()).toEqual(live.map((i) => `e${i}`).sort());
    for (const i of live) {
      const stored = index.get(`e${i}`);
      const v = vectors[i] as Float32Array;
      const norm = metric === "cosine" ? Math.hypot(...v) : 1;
      for (let j = 0; j < 6; j++) expect(stored?.[j]).toBeCloseTo((v[j] as number) / norm, 5);
    }
    for (const v of vectors) {
      const ids = hitIds(expectOk(index.search(v, 20)));
      expect(ids.filter((id) => ["e0", "e5", "e6", "e11"].includes(id))).toEqual([]);
      expect(ids).toHaveLength(8);
    }
    expectOk(index.add("e5", vectors[5] as Float32Array));
    expect(index.has("e5")).toBe(true);
  });

  it("clear empties the index, which stays usable", () => {
    const index = make();
    expectOk(index.add("a", vec(1, 2, 3, 4)));
    expectOk(index.add("b", vec(4, 3, 2, 1)));
    index.clear();
    expect(index.size).toBe(0);
    expect(index.has("a")).toBe(false);
    expect(expectOk(index.search(vec(1, 2, 3, 4), 3))).toEqual([]);
    expectOk(index.add("a", vec(-1, 2, -3, 4)));
    expect(hitIds(expectOk(index.search(vec(-1, 2, -3, 4), 3)))).toEqual(["a"]);
  });
}

function describeSearch(make: (dim?: number) => VectorIndex, metric: Metric): void {
  const filled = (): VectorIndex => {
    const index = make(5);
    for (let i = 0; i < 20; i++) expectOk(index.add(`p${String(i).padStart(2, "0")}`, patterned(5, i + 1)));
    return index;
  };

  it("returns best first with scores and distances that follow the metric's convention", () => {
    const index = make(3);
    expectOk(index.add("x", vec(1, 0, 0)));
    expectOk(index.add("y", vec(0, 2, 0)));
    expectOk(index.add("xy", vec(1, 1, 0)));
    const hits = expectOk(index.search(vec(2, 0, 0), 3));
    expectWellOrdered(hits, metric);
    const byId = Object.fromEntries(hits.map((h) => [h.id, h.score]));
    const expected: Record<Metric, Record<string, number>> = {
      cosine: { x: 1, y: 0, xy: Math.SQRT1_2 },
      euclidean: { x: -1, y: -Math.sqrt(8), xy: -Math.sqrt(2) },
      "inner-product": { x: 2, y: 0, xy: 2 },
    };
    for (const [id, score] of Object.entries(expected[metric])) expect(byId[id]).toBeCloseTo(score, 4);
    expect(hits[0]?.id).toBe("x");
  });

  it("rejects k = 0, negative, fractional, NaN and Infinity; k > size returns every entry", () => {
    const index = filled();
    for (const k of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(expectErrKind(index.search(patterned(5, 3), k), "InvalidParameter")).toContain("k");
      expectErrKind(index.searchBatch([patterned(5, 3)], k), "InvalidParameter");
    }
    expect(expectOk(index.search(patterned(5, 3), 1))).toHaveLength(1);
    const all = expectOk(index.search(patterned(5, 3), 1000));
    expect(all).toHaveLength(20);
    expectWellOrdered(all, metric);
    expectErrKind(make(5).search(patterned(5, 3), 0), "InvalidParameter");
  });

  it("keeps only ids the filter accepts and calls it only with live ids", () => {
    const index = filled();
    index.remove("p04");
    const seen = new Set<string>();
    const even = (id: string): boolean => {
      seen.add(id);
      return Number(id.slice(1)) % 2 === 0;
    };
    const hits = expectOk(index.search(patterned(5, 7), 100, { filter: even }));
    expect(hitIds(hits).sort()).toEqual(["p00", "p02", "p06", "p08", "p10", "p12", "p14", "p16", "p18"]);
    expect(seen.has("p04")).toBe(false);
    expect(expectOk(index.search(patterned(5, 7), 3, { filter: () => false }))).toEqual([]);
    const top3 = expectOk(index.search(patterned(5, 7), 3, { filter: even }));
    expect(top3).toEqual(hits.slice(0, 3));
  });

  it("treats a throwing filter as 'reject', counts it and never throws", () => {
    const index = filled();
    const before = index.stats().filterErrors;
    const picky = (id: string): boolean => {
      if (id.endsWith("3")) throw new Error("filter bug");
      return true;
    };
    const hits = expectOk(index.search(patterned(5, 3), 100, { filter: picky }));
    expect(hitIds(hits).sort()).toEqual([...index.ids()].filter((id) => !id.endsWith("3")).sort());
    expect(index.stats().filterErrors).toBeGreaterThan(before);
    const none = expectOk(
      index.search(patterned(5, 3), 5, {
        filter: () => {
          throw new Error("always");
        },
      }),
    );
    expect(none).toEqual([]);
  });

  it("drops hits below minScore; NaN minScore is rejected", () => {
    const index = filled();
    const all = expectOk(index.search(patterned(5, 9), 100));
    const cut = (all[6] as { score: number }).score;
    const kept = expectOk(index.search(patterned(5, 9), 100, { minScore: cut }));
    expect(kept.every((h) => h.score >= cut)).toBe(true);
    expect(hitIds(kept)).toEqual(hitIds(all.filter((h) => h.score >= cut)));
    expect(expectOk(index.search(patterned(5, 9), 5, { minScore: 1e9 }))).toEqual([]);
    expectErrKind(index.search(patterned(5, 9), 5, { minScore: Number.NaN }), "InvalidParameter");
  });

  it("breaks ties by id ascending, whatever the insertion order", () => {
    const index = make(3);
    const same =
      metric === "cosine"
        ? [vec(1, 2, 2), vec(2, 4, 4), vec(0.5, 1, 1)]
        : [vec(1, 2, 2), vec(1, 2, 2), vec(1, 2, 2)];
    for (const [i, id] of ["m", "c", "x"].entries()) expectOk(index.add(id, same[i] as Float32Array));
    expectOk(index.add("far", vec(-3, 1, -2)));
    expectOk(index.add("a", same[1] as Float32Array));
    const hits = expectOk(index.search(vec(1, 2, 2), 4));
    expect(hitIds(hits)).toEqual(["a", "c", "m", "x"]);
    expect(hitIds(expectOk(index.search(vec(1, 2, 2), 2)))).toEqual(["a", "c"]);
    index.remove("c");
    expectOk(index.add("c", same[2] as Float32Array));
    expect(hitIds(expectOk(index.search(vec(1, 2, 2), 3)))).toEqual(["a", "c", "m"]);
  });

  it("searchBatch answers like search, one list per query", () => {
    const index = filled();
    const queries = [patterned(5, 2), patterned(5, 30), patterned(5, 11)];
    const batch = expectOk(index.searchBatch(queries, 4, { filter: (id) => id !== "p05" }));
    expect(batch).toEqual(queries.map((q) => expectOk(index.search(q, 4, { filter: (id) => id !== "p05" }))));
    expect(expectOk(index.searchBatch([], 4))).toEqual([]);
  });
}

function describeBadInput(make: (dim?: number) => VectorIndex, metric: Metric): void {
  const probe = vec(0.5, -1, 2, 1);
  const seeded = (): VectorIndex => {
    const index = make();
    expectOk(index.add("a", vec(1, 2, 3, 4)));
    expectOk(index.add("b", vec(-2, 1, 0, 3)));
    return index;
  };
  const bad: [string, Float32Array, "DimensionMismatch" | "InvalidParameter"][] = [
    ["too short", vec(1, 2, 3), "DimensionMismatch"],
    ["too long", vec(1, 2, 3, 4, 5), "DimensionMismatch"],
    ["NaN", vec(1, Number.NaN, 3, 4), "InvalidParameter"],
    ["Infinity", vec(1, 2, Number.POSITIVE_INFINITY, 4), "InvalidParameter"],
    ["-Infinity", vec(Number.NEGATIVE_INFINITY, 2, 3, 4), "InvalidParameter"],
  ];
  for (const [label, vector, kind] of bad) {
    it(`rejects a ${label} vector in add, upsert, search and searchBatch; the index is unchanged`, () => {
      const index = seeded();
      const before = snapshotOf(index, probe);
      expectErrKind(index.add("c", vector), kind);
      expectErrKind(index.upsert("a", vector), kind);
      expectErrKind(index.upsert("c", vector), kind);
      expectErrKind(index.search(vector, 2), kind);
      expectErrKind(index.searchBatch([probe, vector], 2), kind);
      expect(snapshotOf(index, probe)).toEqual(before);
      expect(index.has("c")).toBe(false);
    });
  }

  it("names expected and actual length in a DimensionMismatch", () => {
    const message = expectErrKind(seeded().search(vec(1, 2), 1), "DimensionMismatch");
    expect(message).toContain("expected 4");
    expect(message).toContain("got 2");
  });

  if (metric === "cosine") {
    it("rejects a zero vector (it has no direction) in add, upsert and search", () => {
      const index = seeded();
      const before = snapshotOf(index, probe);
      const zero = new Float32Array(4);
      expectErrKind(index.add("z", zero), "InvalidParameter");
      expectErrKind(index.upsert("a", zero), "InvalidParameter");
      expectErrKind(index.search(zero, 1), "InvalidParameter");
      expect(snapshotOf(index, probe)).toEqual(before);
    });
  } else {
    it("accepts a zero vector as entry and as query", () => {
      const index = seeded();
      expectOk(index.add("z", new Float32Array(4)));
      const hits = expectOk(index.search(new Float32Array(4), 3));
      expect(hits).toHaveLength(3);
      if (metric === "euclidean") {
        expect(hits[0]?.id).toBe("z");
        expect(hits[0]?.distance).toBeCloseTo(0, 6);
      } else {
        // Every inner product with a zero query is 0: a three-way tie, broken by id.
        expect(hitIds(hits)).toEqual(["a", "b", "z"]);
      }
    });
  }
}
