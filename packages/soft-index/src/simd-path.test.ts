import { unwrap, unwrapErr } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Hit } from "./contract.js";
import { ExactIndex } from "./exact-index.js";
import { SIMD_KERNEL_BASE64 } from "./simd-kernel-bytes.js";
import { SIMD_BLOCK_ROWS } from "./simd-slab.js";
import { decodeBase64, simdAvailable } from "./wasm-kernel.js";

// Both scan paths of ExactIndex on the same inputs; the WebAssembly SIMD path stores rows padded
// to a multiple of 4 floats and sums in float32, the JS path stores dim floats and sums in float64.
const both = (dim: number, metric: "cosine" | "euclidean" | "inner-product", initialCapacity = 2) =>
  [true, false].map((simd) => unwrap(ExactIndex.create({ dim, metric, initialCapacity, simd })));

// Deterministic, irregular, non-zero components (no ramps).
const wave = (dim: number, seed: number): Float32Array =>
  Float32Array.from({ length: dim }, (_, j) => Math.sin(seed * 12.9898 + j * 78.233) * 3.7 + 0.01);

describe("scan path selection", () => {
  it("uses WebAssembly SIMD by default here (Node 20 validates it) and the JS kernels on request", () => {
    expect(simdAvailable()).toBe(true);
    expect(unwrap(ExactIndex.create({ dim: 3 })).simd).toBe(true);
    expect(unwrap(ExactIndex.create({ dim: 3, simd: true })).simd).toBe(true);
    expect(unwrap(ExactIndex.create({ dim: 3, simd: false })).simd).toBe(false);
    const bytes = unwrap(unwrap(ExactIndex.create({ dim: 3, simd: false })).toBytes());
    expect(unwrap(ExactIndex.fromBytes(bytes)).simd).toBe(true);
    expect(unwrap(ExactIndex.fromBytes(bytes, { simd: false })).simd).toBe(false);
  });

  it("rejects a non-boolean simd option, naming it", () => {
    const created = unwrapErr(ExactIndex.create({ dim: 3, simd: "yes" as never }));
    expect(created.kind).toBe("InvalidParameter");
    expect(created.message).toContain("simd");
    const bytes = unwrap(unwrap(ExactIndex.create({ dim: 3 })).toBytes());
    expect(unwrapErr(ExactIndex.fromBytes(bytes, { simd: 1 as never })).kind).toBe("InvalidParameter");
  });

  it("decodes base64 exactly as Node does (the kernel is committed base64-embedded)", () => {
    expect(decodeBase64(SIMD_KERNEL_BASE64)).toEqual(
      new Uint8Array(Buffer.from(SIMD_KERNEL_BASE64, "base64")),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeBase64(Buffer.from(bytes).toString("base64"))).toEqual(bytes);
      }),
    );
    expect(() => decodeBase64("AB*D")).toThrow(RangeError);
  });
});

describe("both paths against the naive scan", () => {
  // Components are multiples of 1/4 in [-3, 3] and dim <= 13: every product and sum is exact in
  // float32 and in float64, so both paths must give exactly the naive answer, ties by id included.
  const component = fc.integer({ min: -12, max: 12 }).map((x) => x / 4);
  const scenario = fc.integer({ min: 1, max: 13 }).chain((dim) =>
    fc.record({
      dim: fc.constant(dim),
      metric: fc.constantFrom("euclidean" as const, "inner-product" as const),
      rows: fc.array(fc.array(component, { minLength: dim, maxLength: dim }), {
        minLength: 1,
        maxLength: 70,
      }),
      removals: fc.array(fc.nat(69), { maxLength: 20 }),
      query: fc.array(component, { minLength: dim, maxLength: dim }),
      k: fc.integer({ min: 1, max: 12 }),
      modulus: fc.option(fc.integer({ min: 2, max: 4 })),
      minRank: fc.option(fc.nat(30)),
    }),
  );

  it("returns exactly the naive top-k (scores, order, filter, minScore) on both paths", () => {
    fc.assert(
      fc.property(scenario, ({ dim, metric, rows, removals, query, k, modulus, minRank }) => {
        const live = new Map<string, number[]>();
        const indexes = both(dim, metric);
        rows.forEach((row, i) => {
          live.set(`r${i}`, row);
          for (const index of indexes) unwrap(index.add(`r${i}`, Float32Array.from(row)));
        });
        for (const r of removals) {
          live.delete(`r${r}`);
          for (const index of indexes) index.remove(`r${r}`);
        }
        const score = (row: number[]): number => {
          let s = 0;
          for (let j = 0; j < dim; j++) {
            const q = query[j] as number;
            const x = row[j] as number;
            s += metric === "euclidean" ? (q - x) * (q - x) : q * x;
          }
          return metric === "euclidean" ? -Math.sqrt(s) : s;
        };
        const filter = modulus === null ? undefined : (id: string) => Number(id.slice(1)) % modulus !== 0;
        const ranked = [...live]
          .map(([id, row]) => ({ id, score: score(row) }))
          .filter((h) => filter === undefined || filter(h.id))
          .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
        const minScore = minRank === null ? undefined : ranked[Math.min(minRank, ranked.length - 1)]?.score;
        const expected = ranked.filter((h) => minScore === undefined || h.score >= minScore).slice(0, k);
        for (const index of indexes) {
          const hits = unwrap(index.search(Float32Array.from(query), k, { filter, minScore }));
          expect(hits.map((h) => [h.id, h.score])).toEqual(expected.map((h) => [h.id, h.score]));
        }
      }),
      { numRuns: 150 },
    );
  });

  it("agree with each other on cosine up to float32 rounding (same ids, scores within 1e-6)", () => {
    const [simd, js] = both(29, "cosine") as [ExactIndex, ExactIndex];
    for (let i = 0; i < 3000; i++) {
      for (const index of [simd, js]) unwrap(index.add(`c${i}`, wave(29, i)));
    }
    for (let q = 0; q < 20; q++) {
      const query = wave(29, 10_000 + q);
      const a = unwrap(simd.search(query, 10));
      const b = unwrap(js.search(query, 10));
      expect(a.map((h) => h.id)).toEqual(b.map((h) => h.id));
      for (const [i, hit] of a.entries()) {
        expect(Math.abs(hit.score - (b[i] as Hit).score)).toBeLessThan(1e-6);
      }
    }
  });
});

describe("rows in WebAssembly memory", () => {
  it("keeps every row intact across many memory.grow calls, padding invisible", () => {
    const dim = 37; // stride 40: three padding floats per row
    const [simd, js] = both(dim, "euclidean", 1) as [ExactIndex, ExactIndex];
    const n = 20_000; // capacity doubles 1 -> 32768: 15 growths, most of them memory.grow
    for (let i = 0; i < n; i++) {
      for (const index of [simd, js]) unwrap(index.add(`g${i}`, wave(dim, i)));
    }
    expect(simd.capacity).toBe(32_768);
    for (let i = 0; i < n; i += 7) expect(simd.get(`g${i}`)).toEqual(wave(dim, i));
    expect(simd.get("g19999")).toHaveLength(dim);
    expect([...simd.ids()]).toEqual([...js.ids()]);
    // Rows at block edges and the very last one are found at distance 0 on both paths.
    for (const i of [0, SIMD_BLOCK_ROWS - 1, SIMD_BLOCK_ROWS, 3 * SIMD_BLOCK_ROWS + 5, n - 1]) {
      for (const index of [simd, js]) {
        const [first] = unwrap(index.search(wave(dim, i), 3));
        expect(first?.id).toBe(`g${i}`);
        expect(first?.distance).toBe(0);
      }
    }
  });

  it("removes by swapping the last row in, as the JS slab does", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat(40)), { minLength: 1, maxLength: 120 }),
        (dim, operations) => {
          const [simd, js] = both(dim, "euclidean") as [ExactIndex, ExactIndex];
          const model = new Map<string, Float32Array>();
          operations.forEach(([isAdd, key], step) => {
            const id = `k${key}`;
            if (isAdd) {
              const vector = wave(dim, step + 1);
              model.set(id, vector);
              for (const index of [simd, js]) unwrap(index.upsert(id, vector));
            } else {
              const existed = model.delete(id);
              expect(simd.remove(id)).toBe(existed);
              expect(js.remove(id)).toBe(existed);
            }
          });
          expect(simd.size).toBe(model.size);
          for (const [id, vector] of model) expect(simd.get(id)).toEqual(vector);
          expect([...simd.ids()]).toEqual([...js.ids()]);
          const query = wave(dim, 999);
          expect(unwrap(simd.search(query, 50)).map((h) => h.id)).toEqual(
            unwrap(js.search(query, 50)).map((h) => h.id),
          );
        },
      ),
      { numRuns: 80 },
    );
  });

  it("writes the same snapshot bytes as the JS path, and either path restores the other's", () => {
    for (const metric of ["cosine", "euclidean", "inner-product"] as const) {
      const [simd, js] = both(6, metric) as [ExactIndex, ExactIndex];
      for (let i = 0; i < 300; i++) {
        for (const index of [simd, js]) unwrap(index.add(`s${i}-é😀`, wave(6, i)));
      }
      for (let i = 0; i < 300; i += 7) for (const index of [simd, js]) index.remove(`s${i}-é😀`);
      const bytes = unwrap(simd.toBytes());
      expect(bytes).toEqual(unwrap(js.toBytes()));
      const intoJs = unwrap(ExactIndex.fromBytes(bytes, { simd: false }));
      const intoSimd = unwrap(ExactIndex.fromBytes(unwrap(js.toBytes()), { simd: true }));
      expect(unwrap(intoSimd.toBytes())).toEqual(bytes);
      for (const id of simd.ids()) expect(intoJs.get(id)).toEqual(simd.get(id));
      const query = wave(6, 4242);
      expect(unwrap(intoSimd.search(query, 9))).toEqual(unwrap(simd.search(query, 9)));
      expect(unwrap(intoJs.search(query, 9))).toEqual(unwrap(js.search(query, 9)));
      unwrap(intoSimd.add("after", wave(6, 1)));
      expect(intoSimd.get("after")).toEqual(simd.get("s1-é😀"));
    }
  });

  it("gives the grown memory back on clear (a new, smaller WebAssembly.Memory)", () => {
    const index = unwrap(
      ExactIndex.create({ dim: 64, metric: "inner-product", initialCapacity: 8, simd: true }),
    );
    for (let i = 0; i < 5000; i++) unwrap(index.add(`m${i}`, wave(64, i)));
    expect(index.capacity).toBe(8192);
    index.clear();
    expect(index.stats()).toMatchObject({ size: 0, capacity: 8 });
    unwrap(index.add("again", wave(64, 3)));
    expect(index.get("again")).toEqual(wave(64, 3));
    expect(unwrap(index.search(wave(64, 3), 5)).map((h) => h.id)).toEqual(["again"]);
  });

  it("re-scores its block when a filter searched the same index (shared WebAssembly slots)", () => {
    const index = unwrap(ExactIndex.create({ dim: 5, metric: "euclidean", simd: true }));
    const n = 3 * SIMD_BLOCK_ROWS + 17;
    for (let i = 0; i < n; i++) unwrap(index.add(`n${i}`, wave(5, i)));
    const keep = (id: string): boolean => Number(id.slice(1)) % 3 !== 0;
    const query = wave(5, 77_777);
    const plain = unwrap(index.search(query, 15, { filter: keep }));
    let nested = 0;
    const reentrant = unwrap(
      index.search(query, 15, {
        filter: (id) => {
          nested += unwrap(index.search(wave(5, nested), 2)).length;
          return keep(id);
        },
      }),
    );
    expect(nested).toBeGreaterThan(15);
    expect(reentrant).toEqual(plain);
  });

  it("scores in float64 when float32 sums could overflow (huge inner-product components)", () => {
    const [simd, js] = both(4, "inner-product") as [ExactIndex, ExactIndex];
    const rows = [
      [3e30, -2e30, 1e30, 5e29],
      [-1e30, 4e30, 2e30, 1e30],
      [2.5e30, 2.5e30, -3e30, 1e29],
    ];
    rows.forEach((row, i) => {
      for (const index of [simd, js]) unwrap(index.add(`h${i}`, Float32Array.from(row)));
    });
    const query = Float32Array.of(1e30, 1e30, -2e30, 3e29);
    const hits = unwrap(simd.search(query, 3));
    expect(hits).toEqual(unwrap(js.search(query, 3)));
    for (const hit of hits) expect(Number.isFinite(hit.score)).toBe(true);
    // 11.03e60, -0.7e60, -0.85e60: far beyond float32 (3.4e38), plain in float64.
    expect(hits.map((h) => h.id)).toEqual(["h2", "h1", "h0"]);
    expect(Math.abs((hits[0]?.score ?? 0) / 11.03e60 - 1)).toBeLessThan(1e-6); // float32-rounded inputs
  });
});
