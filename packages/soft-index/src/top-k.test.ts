import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareRanked, TopK } from "./top-k.js";

describe("TopK", () => {
  it("keeps the k best by score, ties by id ascending, like a full sort", () => {
    const entries = fc.array(
      fc.record({ score: fc.integer({ min: -5, max: 5 }), id: fc.string({ maxLength: 3 }) }),
      {
        maxLength: 80,
      },
    );
    fc.assert(
      fc.property(entries, fc.integer({ min: 0, max: 90 }), (raw, k) => {
        // Ids are unique in an index; keep the first of each.
        const unique = [...new Map(raw.map((e) => [e.id, e])).values()];
        const top = new TopK(k);
        for (const [handle, e] of unique.entries()) top.push(e.score, handle, e.id);
        const expected = [...unique].sort(compareRanked).slice(0, k);
        expect(top.drain().map((r) => [r.score, r.id])).toEqual(expected.map((e) => [e.score, e.id]));
      }),
      { numRuns: 300 },
    );
  });

  it("reports its threshold and what it would accept", () => {
    const top = new TopK(2);
    expect(top.threshold).toBe(Number.NEGATIVE_INFINITY);
    top.push(0.5, 0, "m");
    top.push(0.9, 1, "z");
    expect(top.full).toBe(true);
    expect(top.threshold).toBe(0.5);
    expect(top.accepts(0.5, "a")).toBe(true);
    expect(top.accepts(0.5, "n")).toBe(false);
    expect(top.accepts(0.4, "a")).toBe(false);
    expect(top.push(0.5, 2, "a")).toBe(true);
    expect(top.drain()).toEqual([
      { score: 0.9, handle: 1, id: "z" },
      { score: 0.5, handle: 2, id: "a" },
    ]);
    expect(top.size).toBe(0);
  });

  it("never keeps NaN, and keeps nothing with capacity 0", () => {
    const top = new TopK(3);
    expect(top.push(Number.NaN, 0, "a")).toBe(false);
    const none = new TopK(0);
    expect(none.push(1, 0, "a")).toBe(false);
    expect(none.threshold).toBe(Number.POSITIVE_INFINITY);
    expect(none.drain()).toEqual([]);
  });
});
