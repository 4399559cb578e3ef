import { unwrap, unwrapErr } from "@dreampool/errors";
import type { Hit, Metric } from "@dreampool/soft-index";
import { describe, expect, it } from "vitest";
import { HnswIndex } from "./hnsw-index.js";
import type { HnswIndexOptions } from "./options.js";
import { clusteredRows, exact, hnsw, nativeElementCount, scoreAgainst } from "./test-data.js";

const ids = (hits: readonly Hit[]): string[] => hits.map((h) => h.id);

function filled(n: number, dim: number, options: Partial<HnswIndexOptions> = {}, seed = 7) {
  const rows = clusteredRows(n, dim, seed);
  const index = hnsw({ dim, ...options });
  rows.forEach((v, i) => {
    unwrap(index.add(`v${i}`, v));
  });
  return { index, rows };
}

describe("HnswIndex.create", () => {
  it.each<[string, Partial<HnswIndexOptions>]>([
    ["dim", { dim: 0 }],
    ["dim", { dim: 2.5 }],
    ["metric", { metric: "manhattan" as Metric }],
    ["m", { m: 1 }],
    ["efConstruction", { efConstruction: 0 }],
    ["ef", { ef: -3 }],
    ["initialCapacity", { initialCapacity: 0 }],
    ["compactionThreshold", { compactionThreshold: 0 }],
    ["compactionThreshold", { compactionThreshold: 1.5 }],
    ["compactionThreshold", { compactionThreshold: Number.NaN }],
    ["seed", { seed: -1 }],
    ["exactFallbackRatio", { exactFallbackRatio: 2 }],
  ])("rejects a bad %s with InvalidConfiguration naming it", (field, bad) => {
    const e = unwrapErr(HnswIndex.create({ dim: 8, ...bad }));
    expect(e.kind).toBe("InvalidConfiguration");
    expect(e.message).toContain(field);
  });

  it("defaults: cosine, ef 64, capacity 1024, m 16, efConstruction 200", () => {
    expect(hnsw({ dim: 8 }).stats()).toMatchObject({
      kind: "hnsw",
      metric: "cosine",
      ef: 64,
      capacity: 1024,
      m: 16,
      efConstruction: 200,
      size: 0,
      tombstones: 0,
    });
  });
});

describe("capacity and slots", () => {
  it("doubles capacity when full and keeps every entry findable", () => {
    const { index, rows } = filled(37, 16, { initialCapacity: 4 });
    expect(index.stats()).toMatchObject({ capacity: 64, slots: 37, size: 37 });
    rows.forEach((v, i) => {
      expect(ids(unwrap(index.search(v, 1)))).toEqual([`v${i}`]);
    });
  });

  it("recycles tombstoned slots for new entries without growing, and new rows answer for themselves", () => {
    // 400 entries: above EXACT_SCAN_MAX_SIZE, so searches walk hnswlib's graph.
    const { index, rows } = filled(400, 16, { initialCapacity: 400, compactionThreshold: 0.5 });
    const removed = Array.from({ length: 40 }, (_, i) => `v${i * 10 + 3}`);
    for (const id of removed) expect(index.remove(id)).toBe(true);
    expect(index.stats()).toMatchObject({ slots: 400, tombstones: 40, capacity: 400, rebuilds: 0 });
    const fresh = clusteredRows(40, 16, 99);
    fresh.forEach((v, i) => {
      unwrap(index.add(`n${i}`, v));
    });
    expect(index.stats()).toMatchObject({ slots: 400, tombstones: 0, capacity: 400, size: 400 });
    expect(nativeElementCount(index)).toBe(400);
    for (const [i, v] of fresh.entries()) {
      const [top] = unwrap(index.search(v, 1));
      expect(top?.id).toBe(`n${i}`);
      expect(top?.score).toBeCloseTo(1, 5);
    }
    // Queries at the removed rows: no removed id, and every score is the one of the row now stored.
    for (let q = 0; q < removed.length; q++) {
      const query = rows[q * 10 + 3] as Float32Array;
      const hits = unwrap(index.search(query, 20));
      expect(hits).toHaveLength(20);
      for (const hit of hits) {
        expect(removed).not.toContain(hit.id);
        const stored = index.get(hit.id) as Float32Array;
        expect(hit.score).toBeCloseTo(scoreAgainst("cosine", query, stored), 5);
      }
    }
    expect(index.stats().exactFallbacks).toBe(0);
  });

  it("compacts past the tombstone threshold, counting rebuilds, and keeps answers exact", () => {
    const { index, rows } = filled(40, 8, { initialCapacity: 16, compactionThreshold: 0.25 });
    for (let i = 0; i < 10; i++) index.remove(`v${i}`);
    expect(index.stats()).toMatchObject({ tombstones: 10, slots: 40, rebuilds: 0 });
    index.remove("v10");
    expect(index.stats()).toMatchObject({ tombstones: 0, slots: 29, size: 29, rebuilds: 1, capacity: 32 });
    for (let i = 11; i < 40; i++)
      expect(ids(unwrap(index.search(rows[i] as Float32Array, 1)))).toEqual([`v${i}`]);
    unwrap(index.compact());
    expect(index.stats().rebuilds).toBe(2);
  });

  it("never hands user ids to hnswlib: ids that look like wrapping labels stay distinct", () => {
    const index = hnsw({ dim: 4 });
    const named = ["5", "4294967301", "-1", "4294967295", "0"];
    const rows = clusteredRows(named.length, 4, 3, 5);
    named.forEach((id, i) => {
      unwrap(index.add(id, rows[i] as Float32Array));
    });
    expect(index.size).toBe(5);
    expect(index.remove("5")).toBe(true);
    expect(index.has("4294967301")).toBe(true);
    named.slice(1).forEach((id, i) => {
      expect(ids(unwrap(index.search(rows[i + 1] as Float32Array, 1)))).toEqual([id]);
      expect(index.get(id)).toEqual(unwrap(HnswIndex.fromBytes(unwrap(index.toBytes()))).get(id));
    });
  });

  it("renumbers labels (a rebuild) before they would run out, without losing or reviving entries", () => {
    const dim = 8;
    const index = unwrap(HnswIndex.createWithLabelLimit({ dim, initialCapacity: 64 }, 512));
    const mirror = exact(dim);
    const rows = clusteredRows(1500, dim, 11, 40);
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i] as Float32Array;
      unwrap(index.add(`r${i}`, v));
      unwrap(mirror.add(`r${i}`, v));
      if (i >= 300) {
        index.remove(`r${i - 300}`);
        mirror.remove(`r${i - 300}`);
      }
    }
    const stats = index.stats();
    expect(stats.rebuilds).toBeGreaterThanOrEqual(2);
    expect(stats.slots).toBeLessThanOrEqual(512);
    expect(nativeElementCount(index)).toBe(stats.slots);
    expect([...index.ids()].sort()).toEqual([...mirror.ids()].sort());
    let agree = 0;
    for (let q = 0; q < 50; q++) {
      const query = rows[1200 + q * 6] as Float32Array;
      const hits = unwrap(index.search(query, 10));
      for (const hit of hits) expect(index.has(hit.id)).toBe(true);
      const truth = new Set(ids(unwrap(mirror.search(query, 10))));
      agree += hits.filter((h) => truth.has(h.id)).length;
    }
    expect(agree / 500).toBeGreaterThanOrEqual(0.95);
    expect(index.stats().exactFallbacks).toBe(0);
  });
});

describe("search", () => {
  it("clamps k to the live count and returns all live entries best first", () => {
    const { index } = filled(30, 8);
    index.remove("v3");
    const hits = unwrap(index.search(clusteredRows(1, 8, 5)[0] as Float32Array, 1000));
    expect(hits).toHaveLength(29);
    expect(ids(hits)).not.toContain("v3");
    for (let i = 1; i < hits.length; i++)
      expect((hits[i - 1] as Hit).score).toBeGreaterThanOrEqual((hits[i] as Hit).score);
  });

  it.each([0, -1, 1.5, Number.NaN])("rejects k = %s with InvalidParameter", (k) => {
    const { index } = filled(5, 4);
    expect(unwrapErr(index.search(new Float32Array([1, 2, 3, 4]), k)).kind).toBe("InvalidParameter");
  });

  it("breaks ties by id on the graph path too (duplicates among many rows)", () => {
    const { index, rows } = filled(600, 16);
    const twin = rows[0] as Float32Array;
    for (const id of ["t-e", "t-a", "t-d", "t-c", "t-b", "t-f"]) unwrap(index.add(id, twin));
    const hits = unwrap(index.search(twin, 4));
    expect(ids(hits)).toEqual(["t-a", "t-b", "t-c", "t-d"]);
    expect(index.stats().exactFallbacks).toBe(0);
  });

  it("orders ties inside the top k by id on the graph path, then the next-best hits", () => {
    const { index, rows } = filled(600, 16);
    const twin = rows[0] as Float32Array;
    for (const id of ["t-c", "t-a", "t-b"]) unwrap(index.add(id, twin));
    const truth = exact(16);
    for (const id of index.ids()) unwrap(truth.add(id, index.get(id) as Float32Array));
    const hits = unwrap(index.search(twin, 7));
    expect(ids(hits).slice(0, 4)).toEqual(["t-a", "t-b", "t-c", "v0"]);
    expect(ids(hits)).toEqual(ids(unwrap(truth.search(twin, 7))));
    expect(index.stats().exactFallbacks).toBe(0);
  });

  it("cosine: a query is scaled to unit length once, so any positive multiple gives the same answer", () => {
    const { index } = filled(500, 16);
    const query = clusteredRows(1, 16, 31)[0] as Float32Array;
    const unit = unwrap(index.search(query, 10));
    for (const factor of [37.5, 1e-3]) {
      const scaled = query.map((x) => x * factor);
      const hits = unwrap(index.search(scaled, 10));
      expect(ids(hits)).toEqual(ids(unit));
      hits.forEach((hit, i) => {
        expect(hit.score).toBeCloseTo((unit[i] as Hit).score, 6);
        expect(hit.score).toBeCloseTo(scoreAgainst("cosine", query, index.get(hit.id) as Float32Array), 5);
      });
    }
    expect(index.stats().exactFallbacks).toBe(0);
  });

  it("an explicit empty options object answers exactly like no options", () => {
    const { index, rows } = filled(400, 8);
    const query = rows[5] as Float32Array;
    expect(unwrap(index.search(query, 9, {}))).toEqual(unwrap(index.search(query, 9)));
    expect(unwrapErr(index.search(query, 9, null as unknown as object)).kind).toBe("InvalidParameter");
  });

  it.each<Metric>(["cosine", "euclidean", "inner-product"])(
    "%s: scores and distances follow the contract and match an independent computation",
    (metric) => {
      const { index, rows } = filled(300, 12, { metric });
      const query = clusteredRows(1, 12, 77)[0] as Float32Array;
      const truth = exact(12, metric);
      rows.forEach((v, i) => {
        unwrap(truth.add(`v${i}`, v));
      });
      const hits = unwrap(index.search(query, 10));
      expect(ids(hits)).toEqual(ids(unwrap(truth.search(query, 10))));
      for (const hit of hits) {
        expect(hit.score).toBeCloseTo(scoreAgainst(metric, query, index.get(hit.id) as Float32Array), 5);
        expect(hit.distance).toBeCloseTo(metric === "euclidean" ? -hit.score : 1 - hit.score, 10);
      }
    },
  );

  it("applies minScore after ranking", () => {
    const { index, rows } = filled(200, 8);
    const all = unwrap(index.search(rows[0] as Float32Array, 20));
    const cut = (all[9] as Hit).score;
    expect(unwrap(index.search(rows[0] as Float32Array, 20, { minScore: cut }))).toEqual(all.slice(0, 10));
  });

  it("searchBatch equals one search per query and names the bad query", () => {
    const { index, rows } = filled(200, 8);
    const queries = rows.slice(0, 5);
    expect(unwrap(index.searchBatch(queries, 7))).toEqual(queries.map((q) => unwrap(index.search(q, 7))));
    const bad = [...queries.slice(0, 2), new Float32Array([1, Number.NaN, 0, 0, 0, 0, 0, 0])];
    const e = unwrapErr(index.searchBatch(bad, 7));
    expect(e.kind).toBe("InvalidParameter");
    expect(e.message).toContain("queries[2]");
  });

  it("setEf validates, applies, and survives compaction", () => {
    const { index } = filled(50, 8);
    expect(unwrapErr(index.setEf(0)).kind).toBe("InvalidParameter");
    unwrap(index.setEf(200));
    unwrap(index.compact());
    expect(index.stats().ef).toBe(200);
  });

  it("clear empties the index and it stays usable", () => {
    const { index, rows } = filled(2000, 8, { initialCapacity: 256 });
    index.clear();
    expect(index.size).toBe(0);
    expect(index.stats()).toMatchObject({ capacity: 256, slots: 0, tombstones: 0 });
    expect(unwrap(index.search(rows[0] as Float32Array, 3))).toEqual([]);
    unwrap(index.add("v0", rows[0] as Float32Array));
    expect(ids(unwrap(index.search(rows[0] as Float32Array, 3)))).toEqual(["v0"]);
  });

  it("upsert moves an entry: it answers with its new row only", () => {
    const { index, rows } = filled(300, 8);
    const moved = rows[299] as Float32Array;
    unwrap(index.upsert("v0", moved));
    expect(index.size).toBe(300);
    const nearOld = unwrap(index.search(rows[0] as Float32Array, 300));
    const v0 = nearOld.find((h) => h.id === "v0");
    expect(v0?.score).toBeCloseTo(scoreAgainst("cosine", rows[0] as Float32Array, moved), 6);
    expect(ids(unwrap(index.search(moved, 2))).sort()).toEqual(["v0", "v299"]);
  });
});

describe("filters", () => {
  it("a throwing filter never crashes: it rejects, is counted, on graph and exact paths", () => {
    const { index, rows } = filled(3000, 16);
    const explosive = (id: string): boolean => {
      if (id.endsWith("7")) throw new Error(`boom ${id}`);
      return true;
    };
    for (const k of [10, 5000]) {
      const hits = unwrap(index.search(rows[7] as Float32Array, k, { filter: explosive }));
      expect(hits.length).toBe(k === 10 ? 10 : 2700);
      expect(hits.some((h) => h.id.endsWith("7"))).toBe(false);
    }
    expect(index.stats().filterErrors).toBeGreaterThan(300);
  });

  it("a selective filter falls back to an exact scan of the allowed set", () => {
    const { index, rows } = filled(3000, 16);
    const allowed = new Set(["v5", "v1500", "v2999", "v42", "v777"]);
    const before = index.stats().exactFallbacks;
    const query = rows[100] as Float32Array;
    const hits = unwrap(index.search(query, 10, { filter: (id) => allowed.has(id) }));
    expect(index.stats().exactFallbacks).toBe(before + 1);
    const expected = [...allowed]
      .map((id) => ({ id, score: scoreAgainst("cosine", query, index.get(id) as Float32Array) }))
      .sort((a, b) => b.score - a.score);
    expect(ids(hits)).toEqual(expected.map((e) => e.id));
  });

  it("a broad filter stays on the graph and returns k allowed hits", () => {
    const { index, rows } = filled(3000, 16);
    const even = (id: string) => Number(id.slice(1)) % 2 === 0;
    const before = index.stats().exactFallbacks;
    const hits = unwrap(index.search(rows[10] as Float32Array, 10, { filter: even }));
    expect(hits).toHaveLength(10);
    expect(hits.every((h) => even(h.id))).toBe(true);
    expect(index.stats().exactFallbacks).toBe(before);
  });
});

describe("bad input", () => {
  it("rejects bad vectors and ids and leaves the index unchanged", () => {
    const { index, rows } = filled(20, 4);
    const before = JSON.stringify(unwrap(index.search(rows[0] as Float32Array, 20)));
    const cases = [
      index.add("x", new Float32Array([1, Number.NaN, 0, 0])),
      index.add("x", new Float32Array([1, Number.POSITIVE_INFINITY, 0, 0])),
      index.add("x", new Float32Array([1, 0, 0])),
      index.add("x", Float64Array.from([1, 0, 0, 0]) as unknown as Float32Array),
      index.add("", rows[0] as Float32Array),
      index.add(7 as unknown as string, rows[0] as Float32Array),
      index.add("v3", rows[0] as Float32Array),
      index.upsert("v3", new Float32Array(4)),
    ];
    expect(cases.map((r) => (r.ok ? "ok" : r.error.kind))).toEqual([
      "InvalidParameter",
      "InvalidParameter",
      "DimensionMismatch",
      "InvalidParameter",
      "InvalidParameter",
      "InvalidParameter",
      "InvalidParameter",
      "InvalidParameter",
    ]);
    expect(index.size).toBe(20);
    expect(JSON.stringify(unwrap(index.search(rows[0] as Float32Array, 20)))).toBe(before);
    const filter = { filter: "yes" } as unknown as { filter: (id: string) => boolean };
    expect(unwrapErr(index.search(rows[0] as Float32Array, 3, filter)).message).toContain("options.filter");
    expect(unwrapErr(index.search(rows[0] as Float32Array, 3, { minScore: Number.NaN })).kind).toBe(
      "InvalidParameter",
    );
    expect(index.remove(42 as unknown as string)).toBe(false);
  });
});
