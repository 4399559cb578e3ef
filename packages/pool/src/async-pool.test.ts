import { unwrap } from "@dreampool/errors";
import { describe, expect, it } from "vitest";
import { classTensor, poolOf, result, tensorNear } from "./__fixtures__/pool-fixtures.js";
import type { DreamPoolLike } from "./types.js";

// Application code written against the async interface only, as it would be for either backend.
async function seedAndQuery(pool: DreamPoolLike): Promise<string[]> {
  const id = unwrap(await pool.add(classTensor("Red", 1), result(0.9), { classLabel: "Red" }));
  unwrap(await pool.addWithClass(classTensor("Blue", 2), result(0.9), "Blue"));
  expect(unwrap(await pool.addIfCoherent(classTensor("Green", 3), result(0.1)))).toBeNull();
  expect(unwrap(await pool.addBatch([{ tensor: tensorNear([0.5, 0.5, 0.2], 4), result: result(0.9) }]))).toBe(
    1,
  );
  unwrap(await pool.feedback(id, { utility: 0.5 }));
  expect(unwrap(await pool.has(id))).toBe(true);
  expect(unwrap(await pool.get(id))?.utility.count).toBe(1);
  expect(unwrap(await pool.size())).toBe(3);
  expect(unwrap(await pool.entries())).toHaveLength(3);
  expect(
    unwrap(await pool.retrieveSimilarClass([1, 0, 0], "Blue", 2)).map((h) => h.entry.classLabel),
  ).toEqual(["Blue"]);
  expect(unwrap(await pool.retrieveByUtility([1, 0, 0], 5, 0.2)).map((h) => h.entry.id)).toEqual([id]);
  expect(unwrap(await pool.retrieveBalanced([1, 0, 0], ["Red", "Blue"], 1))).toHaveLength(2);
  expect(unwrap(await pool.retrieveDiverse([1, 0, 0], 2, 0.5))).toHaveLength(2);
  expect(unwrap(await pool.retrieveSoft([0.9, 0.1, 0.1], 1))).toHaveLength(1);
  const hits = unwrap(await pool.retrieve([0.9, 0.1, 0.1], { mode: "hybrid", k: 3 })).map((h) => h.entry.id);
  expect(unwrap(await pool.stats()).count).toBe(3);
  expect(unwrap(await pool.remove(id))).toBe(true);
  unwrap(await pool.clear());
  expect(unwrap(await pool.size())).toBe(0);
  unwrap(await pool.close());
  return hits;
}

describe("asAsync", () => {
  it("offers the whole pool API as Promises of DreamResults", async () => {
    const hits = await seedAndQuery(poolOf().asAsync());
    expect(hits[0]).toBe("d1");
    expect(hits).toHaveLength(3);
  });

  it("passes errors through as failed results, not rejections", async () => {
    const pool = poolOf().asAsync();
    const r = await pool.retrieve([0.5, 0.5, 0.5], { k: -1 });
    expect(r.ok).toBe(false);
  });
});
