import { unwrap, unwrapErr } from "@dreampool/errors";
import { describe, expect, it } from "vitest";
import { classTensor, errorKind, fill, poolOf, result } from "./__fixtures__/pool-fixtures.js";

describe("feedback", () => {
  it("keeps a running mean of utility = -clamp(after - before, -1, 1)", () => {
    const pool = poolOf();
    const [id] = fill(pool, 1) as [string];
    expect(unwrap(pool.feedback(id, { lossBefore: 0.5, lossAfter: 0.3 })).mean).toBeCloseTo(0.2, 12);
    const second = unwrap(pool.feedback(id, { lossBefore: 0.3, lossAfter: 0.5 }));
    expect(second.count).toBe(2);
    expect(second.mean).toBeCloseTo(0, 12);
    // A huge loss drop is clamped to +1.
    expect(unwrap(pool.feedback(id, { lossBefore: 10, lossAfter: 0 })).mean).toBeCloseTo(1 / 3, 12);
    expect(unwrap(pool.feedback(id, { utility: -1 })).mean).toBeCloseTo(0, 12);
    expect(pool.get(id)?.utility).toEqual({ mean: expect.closeTo(0, 12), count: 4 });
  });

  it("does not re-encode the entry (utility acts through scoring)", () => {
    const pool = poolOf();
    const [id] = fill(pool, 1) as [string];
    const before = Array.from(pool.get(id)?.embedding ?? []);
    unwrap(pool.feedback(id, { utility: 0.9 }));
    expect(Array.from(pool.get(id)?.embedding ?? [])).toEqual(before);
  });

  it("feeds the pool's bias profile, whose new class weights re-key the query cache", () => {
    const pool = poolOf({ index: "exact" });
    const reds = [0, 1, 2].map(
      (i) => unwrap(pool.addWithClass(classTensor("Red", i), result(0.9), "Red")) as string,
    );
    [3, 4, 5].map((i) => unwrap(pool.addWithClass(classTensor("Orange", i), result(0.9), "Orange")));
    const hitsBefore = pool.stats().cache;
    for (const id of reds) unwrap(pool.feedback(id, { lossBefore: 0.5, lossAfter: 0.1 }));
    // A new bias key makes the next query a cache miss rather than a stale hit.
    unwrap(pool.retrieve([0.9, 0.3, 0.1], { mode: "soft" }));
    unwrap(pool.retrieve([0.9, 0.3, 0.1], { mode: "soft" }));
    expect(pool.stats().cache.misses).toBe(hitsBefore.misses + 1);
    expect(pool.stats().cache.hits).toBe(hitsBefore.hits + 1);
  });

  it("rejects unknown ids and bad feedback without changing anything", () => {
    const pool = poolOf();
    const [id] = fill(pool, 1) as [string];
    expect(errorKind(pool.feedback("d999", { utility: 0.1 }))).toBe("InvalidParameter");
    expect(errorKind(pool.feedback("__proto__", { utility: 0.1 }))).toBe("InvalidParameter");
    expect(errorKind(pool.feedback(id, { utility: 1.5 }))).toBe("InvalidParameter");
    expect(errorKind(pool.feedback(id, { utility: Number.NaN }))).toBe("InvalidParameter");
    expect(errorKind(pool.feedback(id, { lossBefore: Number.NaN, lossAfter: 1 }))).toBe("InvalidParameter");
    expect(errorKind(pool.feedback(id, { lossBefore: 1 } as never))).toBe("InvalidParameter");
    expect(errorKind(pool.feedback(id, null as never))).toBe("InvalidParameter");
    expect(unwrapErr(pool.feedback(7 as never, { utility: 0 })).message).toContain("live entry");
    expect(pool.get(id)?.utility).toEqual({ mean: null, count: 0 });
  });
});
