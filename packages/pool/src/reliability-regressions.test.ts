import { describe, expect, it } from "vitest";
import { errorKind, fill, poolOf, result, tensorNear } from "./__fixtures__/pool-fixtures.js";

// Failures found by internal/reliability's hostile-input suite, kept here as regressions.

describe("hostile input found by the reliability suite", () => {
  it("a tensor look-alike without ChromaticTensor's methods is InvalidParameter, not a TypeError", () => {
    const pool = poolOf();
    fill(pool, 3);
    const real = tensorNear([0.3, 0.6, 0.2], 7);
    const lookAlike = {
      rows: real.rows,
      cols: real.cols,
      layers: real.layers,
      colors: Float32Array.from(real.colors),
      certainty: Float32Array.from(real.certainty),
    };
    const before = JSON.stringify(pool.stats());
    expect(errorKind(pool.add(lookAlike as never, result(0.9)))).toBe("InvalidParameter");
    expect(errorKind(pool.addBatch([{ tensor: lookAlike as never, result: result(0.9) }]))).toBe(
      "InvalidParameter",
    );
    expect(errorKind(pool.retrieve(lookAlike as never, { k: 2 }))).toBe("InvalidParameter");
    expect(JSON.stringify(pool.stats())).toBe(before);
  });

  it("retrieveBalanced with a bad class anywhere in the list changes no usage counts", () => {
    const pool = poolOf();
    fill(pool, 6);
    const usage = () => JSON.stringify(pool.entries().map((e) => [e.id, e.usageCount, e.lastUsedAt]));
    const before = usage();
    expect(errorKind(pool.retrieveBalanced([0.5, 0.5, 0.5], ["Red", "Teal" as never], 2))).toBe(
      "InvalidParameter",
    );
    expect(usage()).toBe(before);
    expect(pool.retrieveBalanced([0.5, 0.5, 0.5], ["Red", "Blue"], 2).ok).toBe(true);
  });

  it("addBatch with a non-function Symbol.iterator or a throwing iterator is InvalidParameter, pool unchanged", () => {
    const pool = poolOf();
    fill(pool, 3);
    const before = JSON.stringify(pool.stats());
    expect(errorKind(pool.addBatch({ [Symbol.iterator]: 1 } as never))).toBe("InvalidParameter");
    const throwing = {
      *[Symbol.iterator]() {
        yield { tensor: tensorNear([0.2, 0.4, 0.6], 9), result: result(0.9) };
        throw new Error("hostile iterator");
      },
    };
    expect(errorKind(pool.addBatch(throwing))).toBe("InvalidParameter");
    expect(JSON.stringify(pool.stats())).toBe(before);
  });
});
