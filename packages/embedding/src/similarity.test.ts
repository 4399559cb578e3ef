import { describe, expect, it } from "vitest";
import { cosineSimilarity } from "./similarity.js";

describe("cosineSimilarity", () => {
  it("is the cosine of the angle, 0 against a zero vector", () => {
    expect(cosineSimilarity([1, 0], [0, 1])).toEqual({ ok: true, value: 0 });
    const r = cosineSimilarity(Float32Array.from([1, 2, 3]), [2, 4, 6]);
    expect(r.ok && r.value).toBeCloseTo(1, 12);
    const opposite = cosineSimilarity([1, -2], [-3, 6]);
    expect(opposite.ok && opposite.value).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([0, 0], [1, 2])).toEqual({ ok: true, value: 0 });
  });

  it("rejects vectors of different lengths and non-finite components", () => {
    const mismatch = cosineSimilarity([1, 2, 3], [1, 2]);
    expect(!mismatch.ok && mismatch.error.kind).toBe("DimensionMismatch");
    const nan = cosineSimilarity([1, Number.NaN], [1, 2]);
    expect(!nan.ok && nan.error.message).toContain("a[1]");
    const inf = cosineSimilarity([1, 2], [1, Number.POSITIVE_INFINITY]);
    expect(!inf.ok && inf.error.message).toContain("b[1]");
  });
});
