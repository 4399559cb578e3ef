import { unwrap, unwrapErr } from "@dreampool/errors";
import { describe, expect, it } from "vitest";
import { ExactIndex } from "./exact-index.js";
import { l2Norm } from "./vector-math.js";

// The seed crate's soft_index.rs tests (reference.md §3.8), restated against ExactIndex.
describe("reference behaviours (soft_index.rs)", () => {
  it("new(64): dim 64, empty", () => {
    const index = unwrap(ExactIndex.create({ dim: 64 }));
    expect(index.dim).toBe(64);
    expect(index.size).toBe(0);
  });

  it("three unit vectors, query x, k = 2: two results, the x axis first with score ~1", () => {
    const index = unwrap(ExactIndex.create({ dim: 3 }));
    unwrap(index.add("x", Float32Array.of(1, 0, 0)));
    unwrap(index.add("y", Float32Array.of(0, 1, 0)));
    unwrap(index.add("z", Float32Array.of(0, 0, 1)));
    const hits = unwrap(index.search(Float32Array.of(1, 0, 0), 2));
    expect(hits).toHaveLength(2);
    expect(hits[0]?.id).toBe("x");
    expect(Math.abs((hits[0]?.score ?? 0) - 1)).toBeLessThanOrEqual(0.01);
  });

  it("cosine: [1,0,0] ranks above [0.5,0.5,0] for query [1,0,0], with a strictly higher score", () => {
    const index = unwrap(ExactIndex.create({ dim: 3, metric: "cosine" }));
    unwrap(index.add("axis", Float32Array.of(1, 0, 0)));
    unwrap(index.add("diagonal", Float32Array.of(0.5, 0.5, 0)));
    const [first, second] = unwrap(index.search(Float32Array.of(1, 0, 0), 2));
    expect(first?.id).toBe("axis");
    expect(second?.id).toBe("diagonal");
    expect(first?.score).toBeGreaterThan(second?.score ?? Number.POSITIVE_INFINITY);
  });

  it("euclidean: [1,0,0] ranks above [10,0,0] for query [1.5,0,0]", () => {
    const index = unwrap(ExactIndex.create({ dim: 3, metric: "euclidean" }));
    unwrap(index.add("near", Float32Array.of(1, 0, 0)));
    unwrap(index.add("far", Float32Array.of(10, 0, 0)));
    const hits = unwrap(index.search(Float32Array.of(1.5, 0, 0), 2));
    expect(hits.map((h) => h.id)).toEqual(["near", "far"]);
    expect(hits.map((h) => h.distance)).toEqual([0.5, 8.5]);
  });

  it("the L2 norm of [3,4] is 5; an empty index answers []", () => {
    expect(l2Norm(Float32Array.of(3, 4))).toBe(5);
    expect(unwrap(unwrap(ExactIndex.create({ dim: 3 })).search(Float32Array.of(1, 0, 0), 5))).toEqual([]);
  });

  it("a 2-vector on a 3-dim index: DimensionMismatch, expected 3, got 2 (add and query)", () => {
    const index = unwrap(ExactIndex.create({ dim: 3 }));
    const errors = [
      unwrapErr(index.add("a", Float32Array.of(1, 0))),
      unwrapErr(index.search(Float32Array.of(1, 0), 1)),
    ];
    for (const error of errors) {
      expect(error.detail).toMatchObject({ kind: "DimensionMismatch", expected: 3, got: 2 });
    }
    expect(index.size).toBe(0);
  });
});
