import { type DreamResult, unwrap, unwrapErr } from "@dreampool/errors";
import { describe, expect, it } from "vitest";
import type { VectorIndex } from "./contract.js";
import { ExactIndex, MAX_DIM } from "./exact-index.js";

const v = (...xs: number[]): Float32Array => Float32Array.from(xs);
const kindOf = <T>(r: DreamResult<T>): string => unwrapErr(r).kind;
const ids = (index: VectorIndex, q: Float32Array, k: number): string[] =>
  unwrap(index.search(q, k)).map((h) => h.id);

// Every behaviour below holds on both scan paths.
describe.each([
  { path: "WebAssembly SIMD", simd: true },
  { path: "JS kernels", simd: false },
])("on $path", ({ simd }) => {
  describe("ExactIndex.create", () => {
    it("defaults to cosine and reports its shape", () => {
      const index = unwrap(ExactIndex.create({ simd, dim: 3 }));
      expect(index.kind).toBe("exact");
      expect(index.metric).toBe("cosine");
      expect(index.stats()).toEqual({
        kind: "exact",
        dim: 3,
        metric: "cosine",
        size: 0,
        tombstones: 0,
        capacity: 64,
        rebuilds: 0,
        filterErrors: 0,
      });
    });

    it.each([
      [{ dim: 0 }, "dim"],
      [{ dim: -3 }, "dim"],
      [{ dim: 2.5 }, "dim"],
      [{ dim: Number.NaN }, "dim"],
      [{ dim: MAX_DIM + 1 }, "dim"],
      [{ dim: "64" }, "dim"],
      [{ dim: 4, metric: "manhattan" }, "metric"],
      [{ dim: 4, initialCapacity: 0 }, "initialCapacity"],
      [{ dim: 4, initialCapacity: 1.5 }, "initialCapacity"],
      [{ dim: 4, initialCapacity: 2 ** 40 }, "initialCapacity"],
    ])("rejects %j naming %s", (options, parameter) => {
      const error = unwrapErr(ExactIndex.create(options as never));
      expect(error.kind).toBe("InvalidParameter");
      expect(error.message).toContain(parameter);
    });

    it("rejects a missing options object", () => {
      expect(kindOf(ExactIndex.create(null as never))).toBe("InvalidParameter");
    });
  });

  describe("ExactIndex storage", () => {
    it("doubles its slab as it fills and keeps every vector", () => {
      const index = unwrap(ExactIndex.create({ simd, dim: 3, metric: "euclidean", initialCapacity: 1 }));
      for (let i = 0; i < 100; i++) unwrap(index.add(`r${i}`, v(i, -i / 2, (i * 7) % 11)));
      expect(index.capacity).toBe(128);
      for (let i = 0; i < 100; i++)
        expect(Array.from(index.get(`r${i}`) ?? [])).toEqual([i, -i / 2, (i * 7) % 11]);
      expect(ids(index, v(42, -21, (42 * 7) % 11), 1)).toEqual(["r42"]);
    });

    it("removes in O(1) by moving the last row into the hole (no tombstones)", () => {
      const index = unwrap(ExactIndex.create({ simd, dim: 2, metric: "euclidean", initialCapacity: 4 }));
      for (const [id, x] of [
        ["a", 1],
        ["b", 2],
        ["c", 3],
        ["d", 4],
      ] as const)
        unwrap(index.add(id, v(x, -x)));
      expect(index.remove("a")).toBe(true);
      expect(index.stats()).toMatchObject({ size: 3, tombstones: 0, capacity: 4 });
      expect(Array.from(index.get("d") ?? [])).toEqual([4, -4]);
      expect(ids(index, v(4, -4), 3)).toEqual(["d", "c", "b"]);
      expect(index.remove("d")).toBe(true);
      expect(ids(index, v(0, 0), 3)).toEqual(["b", "c"]);
    });

    it("ids() is a snapshot: removing while iterating visits every id once", () => {
      const index = unwrap(ExactIndex.create({ simd, dim: 1, metric: "inner-product" }));
      for (let i = 0; i < 10; i++) unwrap(index.add(`x${i}`, v(i + 1)));
      const seen: string[] = [];
      for (const id of index.ids()) {
        seen.push(id);
        index.remove(id);
      }
      expect(seen.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `x${i}`).sort());
      expect(index.size).toBe(0);
    });

    it("normalises cosine rows without underflow or overflow", () => {
      const index = unwrap(ExactIndex.create({ simd, dim: 2 }));
      unwrap(index.add("tiny", Float64Array.of(1e-200, 1e-200) as unknown as Float32Array));
      unwrap(index.add("huge", v(3e38, -3e38)));
      expect(Array.from(index.get("tiny") ?? []).map((x) => x.toFixed(6))).toEqual(["0.707107", "0.707107"]);
      expect(Array.from(index.get("huge") ?? []).map((x) => x.toFixed(6))).toEqual(["0.707107", "-0.707107"]);
      const [top] = unwrap(index.search(v(1e-30, 1e-30), 1));
      expect(top?.id).toBe("tiny");
      expect(top?.score).toBeCloseTo(1, 6);
    });

    it("needs no build step: cosine scores are right straight after add (the seed returned 0)", () => {
      const index = unwrap(ExactIndex.create({ simd, dim: 2 }));
      unwrap(index.add("diag", v(3, 3)));
      expect(unwrap(index.search(v(1, 0), 1))[0]?.score).toBeCloseTo(Math.SQRT1_2, 6);
    });
  });

  describe("ExactIndex argument checks", () => {
    const index = (): ExactIndex => {
      const x = unwrap(ExactIndex.create({ simd, dim: 2, metric: "euclidean" }));
      unwrap(x.add("a", v(1, 2)));
      return x;
    };

    it("rejects non-string and malformed ids", () => {
      expect(kindOf(index().add(7 as unknown as string, v(1, 1)))).toBe("InvalidParameter");
      expect(unwrapErr(index().upsert("bad\uD800id", v(1, 1))).message).toContain("surrogate");
      expect(index().has("bad\uD800id")).toBe(false);
    });

    it("rejects components that do not fit a float32, and non-vectors", () => {
      expect(
        unwrapErr(index().add("b", Float64Array.of(1, 1e39) as unknown as Float32Array)).message,
      ).toContain("vector[1]");
      expect(kindOf(index().add("b", "12" as unknown as Float32Array))).toBe("InvalidParameter");
    });

    it("rejects malformed search options and batches, naming the culprit", () => {
      const x = index();
      expect(kindOf(x.search(v(0, 0), 1, 5 as never))).toBe("InvalidParameter");
      expect(unwrapErr(x.search(v(0, 0), 1, { filter: "yes" as never })).message).toContain("options.filter");
      expect(kindOf(x.searchBatch("q" as never, 1))).toBe("InvalidParameter");
      expect(unwrapErr(x.searchBatch([v(0, 0), v(0, Number.NaN)], 1)).message).toContain("queries[1][1]");
    });

    it("takes minScore at face value: Infinity keeps nothing, -Infinity everything", () => {
      const x = index();
      unwrap(x.add("b", v(-5, 0)));
      expect(unwrap(x.search(v(0, 0), 5, { minScore: Number.POSITIVE_INFINITY }))).toEqual([]);
      expect(ids(x, v(0, 0), 5)).toHaveLength(2);
      expect(unwrap(x.search(v(0, 0), 5, { minScore: Number.NEGATIVE_INFINITY }))).toHaveLength(2);
      expect(unwrap(x.search(v(0, 0), 5, { minScore: -Math.sqrt(5) })).map((h) => h.id)).toEqual(["a"]);
    });
  });

  describe("ExactIndex filters", () => {
    const filled = (n: number): ExactIndex => {
      const x = unwrap(ExactIndex.create({ simd, dim: 2, metric: "inner-product" }));
      for (let i = 0; i < n; i++) unwrap(x.add(`f${i}`, v(i, 1)));
      return x;
    };

    it("calls the filter at most once per row, and only for rows that could enter the top-k", () => {
      const x = filled(50);
      const calls: string[] = [];
      const recording =
        (accept: (id: string) => boolean) =>
        (id: string): boolean => {
          calls.push(id);
          return accept(id);
        };
      const hits = unwrap(x.search(v(1, 0), 3, { filter: recording((id) => id !== "f49") }));
      expect(hits.map((h) => h.id)).toEqual(["f48", "f47", "f46"]);
      expect(new Set(calls).size).toBe(calls.length);
      // Rows arrive in ascending score order here, so every row could enter: all 50 are asked.
      expect(calls).toHaveLength(50);
      const reversed = unwrap(ExactIndex.create({ simd, dim: 2, metric: "inner-product" }));
      for (let i = 49; i >= 0; i--) unwrap(reversed.add(`f${i}`, v(i, 1)));
      calls.length = 0;
      unwrap(reversed.search(v(1, 0), 3, { filter: recording(() => true) }));
      expect(calls).toEqual(["f49", "f48", "f47"]);
    });

    it("counts every throwing call in stats().filterErrors", () => {
      const x = filled(10);
      const hits = unwrap(
        x.search(v(1, 0), 10, {
          filter: (id) => {
            if (Number(id.slice(1)) % 3 === 0) throw new Error("boom");
            return true;
          },
        }),
      );
      expect(hits.map((h) => h.id)).toEqual(["f8", "f7", "f5", "f4", "f2", "f1"]);
      expect(x.stats().filterErrors).toBe(4);
    });
  });

  describe("ExactIndex re-entrancy", () => {
    const filled = (): ExactIndex => {
      const x = unwrap(ExactIndex.create({ simd, dim: 2, metric: "euclidean" }));
      for (let i = 0; i < 30; i++) unwrap(x.add(`r${i}`, v(i, 0)));
      return x;
    };

    it("lets a filter search the same index without disturbing the running search", () => {
      const x = filled();
      const nearTen = new Set(unwrap(x.search(v(10, 0), 5)).map((h) => h.id));
      const hits = unwrap(
        x.search(v(0, 0), 3, {
          filter: (id) =>
            !new Set(unwrap(x.search(v(10, 0), 5)).map((h) => h.id)).has(id) && !nearTen.has(id),
        }),
      );
      expect(hits.map((h) => h.id)).toEqual(["r0", "r1", "r2"]);
      const far = unwrap(
        x.search(v(10, 0), 3, { filter: (id) => unwrap(x.search(v(0, 0), 1))[0]?.id !== id }),
      );
      expect(far.map((h) => h.id)).toEqual(["r10", "r11", "r9"]);
    });

    it("refuses changes from inside its own search filter and stays intact", () => {
      const x = filled();
      let addResult: DreamResult<void> | undefined;
      const hits = unwrap(
        x.search(v(0, 0), 4, {
          filter: (id) => {
            if (id === "r0") x.remove("r29");
            if (id === "r1") addResult = x.add("new", v(0, 0));
            if (id === "r2") x.clear();
            return true;
          },
        }),
      );
      expect(addResult && unwrapErr(addResult).kind).toBe("CriticalState");
      // remove and clear threw inside the filter: counted as rejections, nothing changed.
      expect(hits.map((h) => h.id)).toEqual(["r1", "r3", "r4", "r5"]);
      expect(x.stats().filterErrors).toBe(2);
      expect(x.size).toBe(30);
      expect(x.has("r29")).toBe(true);
      expect(x.has("new")).toBe(false);
      expect(x.remove("r29")).toBe(true);
    });
  });

  describe("ExactIndex.clear", () => {
    it("gives the grown slab back and stays usable", () => {
      const index = unwrap(ExactIndex.create({ simd, dim: 2, metric: "euclidean", initialCapacity: 4 }));
      for (let i = 0; i < 40; i++) unwrap(index.add(`c${i}`, v(i, i)));
      expect(index.capacity).toBe(64);
      index.clear();
      expect(index.stats()).toMatchObject({ size: 0, capacity: 4 });
      unwrap(index.add("again", v(1, 1)));
      expect(unwrap(index.search(v(0, 0), 3)).map((h) => h.id)).toEqual(["again"]);
    });
  });

  describe("ExactIndex.searchBatch", () => {
    it("answers exactly like search for every metric and an odd number of queries", () => {
      for (const metric of ["cosine", "euclidean", "inner-product"] as const) {
        const index = unwrap(ExactIndex.create({ simd, dim: 7, metric }));
        const row = (i: number): Float32Array =>
          Float32Array.from({ length: 7 }, (_, j) => Math.sin(i * 7.3 + j * 1.7) + 0.1);
        for (let i = 0; i < 1100; i++) unwrap(index.add(`b${i}`, row(i)));
        unwrap(index.add("twin-b", row(1098))); // an exact duplicate in the last, partial block
        unwrap(index.add("twin-a", row(3)));
        const queries = [row(3), row(1098), row(500), row(42), row(7)];
        const options = { filter: (id: string) => id !== "b7", minScore: -10 };
        const batch = unwrap(index.searchBatch(queries, 5, options));
        expect(batch).toEqual(queries.map((q) => unwrap(index.search(q, 5, options))));
        // Equal vectors score bit-identically wherever their rows sit, so ties go by id.
        for (const [original, twin] of [
          ["b3", "twin-a"],
          ["b1098", "twin-b"],
        ]) {
          for (const hits of unwrap(index.searchBatch([row(500), row(1), row(900)], index.size))) {
            const at = hits.findIndex((h) => h.id === original);
            expect(hits[at + 1]?.id).toBe(twin);
            expect(hits[at + 1]?.score).toBe(hits[at]?.score);
          }
        }
      }
    });
  });
});
