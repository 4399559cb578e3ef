import { QuerySignature } from "@dreampool/embedding";
import { unwrap, unwrapErr } from "@dreampool/errors";
import { rerankHybrid, type ScoringCandidate } from "@dreampool/scoring";
import { COLOR_CLASSES, type ColorClass } from "@dreampool/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  classTensor,
  errorKind,
  fill,
  idsOf,
  poolOf,
  result,
  rngOf,
  tensorNear,
} from "./__fixtures__/pool-fixtures.js";
import type { DreamPool } from "./dream-pool.js";

const MODES = ["hard", "soft", "hybrid"] as const;

function labelledPool(perClass: number, options = {}): DreamPool {
  const pool = poolOf({ maxSize: 1000, ...options });
  for (let i = 0; i < perClass; i++) {
    for (const cls of COLOR_CLASSES)
      unwrap(
        pool.add(classTensor(cls, i * 10 + COLOR_CLASSES.indexOf(cls)), result(0.9), { classLabel: cls }),
      );
  }
  return pool;
}

describe("retrieval modes", () => {
  it("every mode finds the entries of the query's colour first", () => {
    const pool = labelledPool(4);
    for (const mode of MODES) {
      const hits = unwrap(pool.retrieve(classTensor("Blue", 999), { mode, k: 4 }));
      expect(hits.map((h) => h.entry.classLabel)).toEqual(["Blue", "Blue", "Blue", "Blue"]);
    }
  });

  it("hard mode ranks by chroma cosine (identical 1, and in descending order)", () => {
    const pool = labelledPool(2);
    const target = pool.entries()[3];
    const hits = unwrap(pool.retrieveSimilar(target?.chroma ?? [1, 0, 0], 20));
    expect(hits[0]?.entry.id).toBe(target?.id);
    expect(hits[0]?.components.similarity).toBeCloseTo(1, 6);
    for (let i = 1; i < hits.length; i++) {
      expect(hits[i - 1]?.components.similarity ?? 0).toBeGreaterThanOrEqual(
        hits[i]?.components.similarity ?? 0,
      );
    }
  });

  it("returns ScoredDream with components on one scale in every mode", () => {
    const pool = labelledPool(3);
    for (const mode of MODES) {
      const hits = unwrap(pool.retrieve([0.9, 0.2, 0.1], { mode, k: 5 }));
      expect(hits).toHaveLength(5);
      for (const h of hits) {
        expect(h.score).toBeCloseTo(h.components.base, 12);
        expect(h.components.similarityNormalized).toBeGreaterThanOrEqual(0);
        expect(h.components.similarityNormalized).toBeLessThanOrEqual(1);
      }
      for (let i = 1; i < hits.length; i++)
        expect(hits[i - 1]?.score ?? 0).toBeGreaterThanOrEqual(hits[i]?.score ?? 0);
    }
  });

  it("accepts a QuerySignature with a class hint, which lifts that class", () => {
    const pool = labelledPool(3);
    const q = unwrap(QuerySignature.withClass([0.5, 0.45, 0.45], "Red"));
    const hits = unwrap(pool.retrieve(q, { mode: "hybrid", k: 3 }));
    expect(hits.every((h) => h.components.classMatch === 1)).toBe(true);
  });

  it("handles k > size, the empty pool and an all-zero query colour", () => {
    const pool = poolOf();
    for (const mode of MODES) expect(unwrap(pool.retrieve([0.2, 0.3, 0.4], { mode }))).toEqual([]);
    fill(pool, 3);
    for (const mode of MODES) expect(unwrap(pool.retrieve([0.2, 0.3, 0.4], { mode, k: 50 }))).toHaveLength(3);
    const zero = unwrap(pool.retrieveSimilar([0, 0, 0], 2));
    expect(zero.map((h) => h.components.similarity)).toEqual([0, 0]);
  });

  it("keeps an all-black entry retrievable in hard mode (similarity 0)", () => {
    const pool = poolOf();
    const black = unwrap(pool.add(tensorNear([0, 0, 0], 1, 0), result(0.9)));
    fill(pool, 2);
    const hits = unwrap(pool.retrieve([0.5, 0.5, 0.5], { mode: "hard", k: 3 }));
    expect(hits.map((h) => h.entry.id)).toContain(black);
    expect(hits.find((h) => h.entry.id === black)?.components.similarity).toBe(0);
    expect(pool.remove(black)).toBe(true);
    expect(idsOf(pool.retrieve([0.5, 0.5, 0.5], { mode: "hard", k: 3 }))).not.toContain(black);
  });
});

describe("filters", () => {
  it("classFilter, minUtility and a predicate apply inside the search, in every mode", () => {
    const pool = labelledPool(5);
    const greens = pool.entries().filter((e) => e.classLabel === "Green");
    unwrap(pool.feedback(greens[0]?.id as string, { utility: 0.9 }));
    unwrap(pool.feedback(greens[1]?.id as string, { utility: -0.4 }));
    for (const mode of MODES) {
      const byClass = unwrap(pool.retrieve([1, 0, 0], { mode, k: 3, classFilter: "Green" }));
      expect(byClass.map((h) => h.entry.classLabel)).toEqual(["Green", "Green", "Green"]);
      expect(idsOf(pool.retrieve([1, 0, 0], { mode, k: 10, minUtility: 0 }))).toEqual([greens[0]?.id]);
      const odd = unwrap(
        pool.retrieve([1, 0, 0], { mode, k: 10, filter: (e) => Number(e.id.slice(1)) % 2 === 1 }),
      );
      expect(odd).toHaveLength(10);
      expect(odd.every((h) => Number(h.entry.id.slice(1)) % 2 === 1)).toBe(true);
    }
  });

  it("a throwing filter fails the call with InvalidParameter and changes nothing", () => {
    const pool = labelledPool(1);
    const before = pool.entries().map((e) => e.usageCount);
    const e = unwrapErr(
      pool.retrieve([1, 0, 0], {
        mode: "hybrid",
        filter: () => {
          throw new Error("nope");
        },
      }),
    );
    expect(e.kind).toBe("InvalidParameter");
    expect(e.message).toContain("nope");
    expect(pool.entries().map((x) => x.usageCount)).toEqual(before);
  });

  it("a filter cannot change or re-search the pool while the indices are mid-search", () => {
    for (const index of ["exact", "hnsw"] as const) {
      const pool = poolOf({ index });
      const ids = fill(pool, 30);
      const inner: string[] = [];
      const hits = unwrap(
        pool.retrieve([0.5, 0.4, 0.3], {
          mode: "hybrid",
          k: 5,
          filter: (e) => {
            inner.push(errorKind(pool.add(tensorNear([0.1, 0.2, 0.3], 1), result(0.9))));
            inner.push(errorKind(pool.retrieve([0.1, 0.1, 0.1], { mode: "soft" })));
            inner.push(errorKind(pool.feedback(e.id, { utility: 1 })));
            inner.push(String(pool.remove(e.id)));
            pool.clear();
            return true;
          },
        }),
      );
      expect(hits).toHaveLength(5);
      expect(new Set(inner)).toEqual(new Set(["InvalidParameter", "false"]));
      expect(pool.size).toBe(30);
      expect(pool.entries().map((e) => e.id)).toEqual(ids);
      // Once the retrieval is over, the pool is writable again.
      expect(pool.remove(ids[0] as string)).toBe(true);
    }
  });

  it("retrieveByUtility keeps entries at or above the threshold, without feedback excluded (seed: 5 × 0.9 and 5 × 0.1)", () => {
    const pool = poolOf({ maxSize: 10 });
    const ids = fill(pool, 10);
    for (const [i, id] of ids.entries()) unwrap(pool.feedback(id, { utility: i < 5 ? 0.9 : 0.1 }));
    const hits = unwrap(pool.retrieveByUtility([0.5, 0.5, 0.5], 10, 0.5));
    expect(hits).toHaveLength(5);
    expect(hits.every((h) => (h.entry.utility.mean ?? -1) >= 0.5)).toBe(true);
  });

  it("retrieveBalanced gives kPerClass per class in the given order (seed: 5 R + 5 G + 5 B, 2 each)", () => {
    const pool = poolOf();
    for (const cls of ["Red", "Green", "Blue"] as const) {
      for (let i = 0; i < 5; i++) unwrap(pool.addWithClass(classTensor(cls, i), result(0.9), cls));
    }
    const hits = unwrap(pool.retrieveBalanced([0.5, 0.5, 0.5], ["Red", "Green", "Blue", "Red"], 2));
    expect(hits.map((h) => h.entry.classLabel)).toEqual(["Red", "Red", "Green", "Green", "Blue", "Blue"]);
  });
});

describe("hybrid re-ranking", () => {
  it("over-fetch lets a high-utility entry from outside the similarity top-k in", () => {
    const pool = poolOf({ index: "exact" });
    // Ten near-identical reds close to the query, and one a little further away that helped a lot.
    const near = Array.from({ length: 10 }, (_, i) =>
      unwrap(pool.add(tensorNear([0.85, 0.12, 0.1], i, 0.02), result(0.9))),
    );
    const helpful = unwrap(pool.add(tensorNear([0.75, 0.3, 0.15], 77, 0.02), result(0.9)));
    // Other colours, so the over-fetched candidate list spans a realistic similarity range.
    for (let i = 0; i < 10; i++)
      unwrap(pool.add(tensorNear([0.1 + 0.05 * i, 0.6, 0.7], 200 + i, 0.02), result(0.9)));
    for (const id of near) unwrap(pool.feedback(id, { utility: -0.8 }));
    unwrap(pool.feedback(helpful, { utility: 1 }));
    const query = tensorNear([0.86, 0.12, 0.1], 500, 0.02);
    const similarityTop3 = idsOf(
      pool.retrieve(query, {
        mode: "hybrid",
        k: 3,
        weights: { alpha: 1, beta: 0, gamma: 0, delta: 0, lambda: 1 },
      }),
    );
    expect(similarityTop3).not.toContain(helpful);
    const withUtility = idsOf(
      pool.retrieve(query, {
        mode: "hybrid",
        k: 3,
        weights: { alpha: 0.5, beta: 0.5, gamma: 0, delta: 0, lambda: 1 },
      }),
    );
    expect(withUtility[0]).toBe(helpful);
    // Without over-fetch the candidate list is the similarity top-3 itself.
    const noOverFetch = idsOf(
      pool.retrieve(query, {
        mode: "soft",
        k: 3,
        overFetch: 1,
        weights: { alpha: 0.5, beta: 0.5, gamma: 0, delta: 0, lambda: 1 },
      }),
    );
    expect(noOverFetch).not.toContain(helpful);
  });

  it("diversity re-ranking brings in a different colour (MMR: λ = 1 and 0.3 share the first pick)", () => {
    const pool = poolOf();
    for (let i = 0; i < 4; i++) unwrap(pool.add(tensorNear([0.9, 0.1, 0.1], i, 0.01), result(0.9)));
    unwrap(pool.add(tensorNear([0.7, 0.05, 0.7], 10, 0.01), result(0.9)));
    unwrap(pool.add(tensorNear([0.1, 0.1, 0.9], 11, 0.01), result(0.9)));
    unwrap(pool.add(tensorNear([0.1, 0.9, 0.1], 12, 0.01), result(0.9)));
    const pure = unwrap(pool.retrieveDiverse([1, 0, 0], 3, 1));
    const diverse = unwrap(pool.retrieveDiverse([1, 0, 0], 3, 0.3));
    expect(pure).toHaveLength(3);
    expect(diverse).toHaveLength(3);
    expect(diverse[0]?.entry.id).toBe(pure[0]?.entry.id);
    const reds = new Set(["d1", "d2", "d3", "d4"]);
    expect(pure.every((h) => reds.has(h.entry.id))).toBe(true);
    expect(diverse.filter((h) => !reds.has(h.entry.id)).length).toBeGreaterThanOrEqual(1);
    const meanDistance = (hits: typeof pure) => {
      let sum = 0;
      for (const a of hits)
        for (const b of hits)
          sum += Math.hypot(...a.entry.chroma.map((c, i) => c - (b.entry.chroma[i] as number)));
      return sum / (hits.length * (hits.length - 1));
    };
    expect(meanDistance(diverse)).toBeGreaterThan(10 * meanDistance(pure));
    expect(diverse.slice(1).some((h) => h.components.diversityPenalty > 0)).toBe(true);
    expect(errorKind(pool.retrieveDiverse([1, 0, 0], 3, 2))).toBe("InvalidParameter");
    expect(errorKind(pool.retrieveDiverse([1, 0, 0], 3, 0.5, -1))).toBe("InvalidParameter");
    // Near-duplicate reds fall below a mean pairwise distance of 0.3 at once.
    const dispersed = unwrap(pool.retrieveDiverse([1, 0, 0], 5, 1, 0.3));
    expect(dispersed.length).toBeGreaterThanOrEqual(1);
    expect(dispersed.length).toBeLessThan(5);
  });
});

describe("usage and cache", () => {
  it("retrieval updates usageCount and lastUsedAt of returned entries only", () => {
    const pool = poolOf();
    fill(pool, 8);
    const hits = unwrap(pool.retrieve([0.5, 0.2, 0.8], { mode: "soft", k: 3, now: 5_000_000 }));
    const returned = new Set(hits.map((h) => h.entry.id));
    for (const e of pool.entries()) {
      expect(e.usageCount).toBe(returned.has(e.id) ? 1 : 0);
      expect(e.lastUsedAt).toBe(returned.has(e.id) ? 5_000_000 : 1_000_000);
    }
  });

  it("repeated soft queries hit the query cache (colour, signature and tensor queries)", () => {
    const pool = poolOf();
    fill(pool, 10);
    const t = tensorNear([0.3, 0.7, 0.2], 42);
    const sig = unwrap(QuerySignature.withClass([0.3, 0.7, 0.2], "Green"));
    for (let i = 0; i < 3; i++) {
      unwrap(pool.retrieve([0.3, 0.7, 0.2], { mode: "soft" }));
      unwrap(pool.retrieve(sig, { mode: "hybrid" }));
      unwrap(pool.retrieve(t, { mode: "soft" }));
    }
    const { cache } = pool.stats();
    expect(cache.misses).toBe(3);
    expect(cache.hits).toBe(6);
    expect(cache.hitRate).toBeCloseTo(2 / 3, 10);
    // The same tensor again answers identically from the cache.
    expect(idsOf(pool.retrieve(t, { mode: "soft" }))).toEqual(idsOf(pool.retrieve(t, { mode: "soft" })));
  });

  it("hard mode does not touch the cache", () => {
    const pool = poolOf();
    fill(pool, 4);
    unwrap(pool.retrieve([0.3, 0.7, 0.2], { mode: "hard" }));
    expect(pool.stats().cache.misses).toBe(0);
  });
});

describe("bad retrieval input", () => {
  const pool = poolOf();
  fill(pool, 5);
  const bad: [string, Parameters<DreamPool["retrieve"]>][] = [
    ["k = 0", [[0.5, 0.5, 0.5], { k: 0 }]],
    ["k fractional", [[0.5, 0.5, 0.5], { k: 1.5 }]],
    ["k NaN", [[0.5, 0.5, 0.5], { k: Number.NaN }]],
    ["k negative", [[0.5, 0.5, 0.5], { k: -3 }]],
    ["overFetch 0", [[0.5, 0.5, 0.5], { overFetch: 0 }]],
    ["mode", [[0.5, 0.5, 0.5], { mode: "fuzzy" as never }]],
    ["classFilter", [[0.5, 0.5, 0.5], { classFilter: "Teal" as never }]],
    ["minUtility", [[0.5, 0.5, 0.5], { minUtility: 2 }]],
    ["filter", [[0.5, 0.5, 0.5], { filter: 1 as never }]],
    ["weights", [[0.5, 0.5, 0.5], { weights: { alpha: -1, beta: 0, gamma: 0, delta: 0, lambda: 1 } }]],
    ["diversity", [[0.5, 0.5, 0.5], { diversity: { method: "slow" as never } }]],
    ["now", [[0.5, 0.5, 0.5], { now: Number.POSITIVE_INFINITY }]],
    ["unknown option", [[0.5, 0.5, 0.5], { kk: 3 } as never]],
    ["NaN colour", [[Number.NaN, 0, 0], {}]],
    ["short colour", [[0.5, 0.5] as never, {}]],
    ["not a query", ["red" as never, {}]],
    [
      "bad signature",
      [{ chroma: [0.1, 0.1, 0.1], classHint: "Teal", spectral: null, utilityPrior: null } as never, {}],
    ],
  ];
  it.each(bad)("%s gives InvalidParameter (or DimensionMismatch) and changes nothing", (_name, args) => {
    const before = JSON.stringify(pool.stats());
    const kind = errorKind(pool.retrieve(...args));
    expect(["InvalidParameter", "DimensionMismatch"]).toContain(kind);
    expect(JSON.stringify(pool.stats())).toBe(before);
  });

  it("never returns more than k, never an unknown id, for any k and colour (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.tuple(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
        fc.constantFrom(...MODES),
        fc.constantFrom(...(COLOR_CLASSES as readonly ColorClass[])),
        (k, rgb, mode, cls) => {
          const hits = unwrap(pool.retrieve(rgb, { mode, k }));
          expect(hits.length).toBe(Math.min(k, pool.size));
          expect(hits.every((h) => pool.has(h.entry.id))).toBe(true);
          expect(new Set(hits.map((h) => h.entry.id)).size).toBe(hits.length);
          expect(unwrap(pool.retrieve(rgb, { mode, k, classFilter: cls }))).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("soft retrieval skips candidates that cannot make the top k", () => {
  // Two identical pools: one answers k from k·overFetch candidates (records of hopeless candidates
  // are skipped), the other ranks the same candidate list in full (k = k·overFetch, overFetch 1).
  // The first k of the full ranking must be exactly the pruned answer: ids, scores, components.
  // The pools vary in what the pool-wide bounds see: feedback on two thirds of the entries or on
  // none, and class labels mixed, absent, or all one class.
  type Labels = "mixed" | "none" | "one";
  function twinPools(
    seed: number,
    utilities: number[],
    recency: boolean,
    withFeedback: boolean,
    labels: Labels,
  ): [DreamPool, DreamPool] {
    const make = () => {
      const pool = poolOf({
        index: "exact",
        maxSize: 400,
        ...(recency ? { recencyHalfLifeMs: 60_000 } : {}),
      });
      const rng = rngOf(seed);
      for (let i = 0; i < 240; i++) {
        const cls = COLOR_CLASSES[i % COLOR_CLASSES.length] as ColorClass;
        const t = tensorNear([rng(), rng(), rng()], seed * 1000 + i);
        const classLabel =
          labels === "none" ? undefined : labels === "one" ? "Red" : i % 5 === 0 ? undefined : cls;
        const id = unwrap(pool.add(t, result(0.9), { classLabel, now: i * 997 }));
        const u = utilities[i % utilities.length] as number;
        if (withFeedback && i % 3 !== 0) pool.feedback(id, { utility: u });
      }
      return pool;
    };
    return [make(), make()];
  }

  it("returns exactly what ranking every candidate returns", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 7 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 2, max: 6 }),
        fc.option(fc.constantFrom(...COLOR_CLASSES)),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        fc.constantFrom<Labels>("mixed", "none", "one"),
        (seed, utilities, recency, k, overFetch, classHint, beta, withFeedback, labels) => {
          const [pruned, full] = twinPools(seed, utilities, recency, withFeedback, labels);
          const rng = rngOf(seed + 7);
          const query = {
            chroma: [rng(), rng(), rng()] as const,
            classHint: classHint ?? null,
            spectral: null,
            utilityPrior: null,
          };
          const weights = { alpha: 0.65, beta, gamma: 0.1, delta: 0.05, lambda: 0.7 };
          const now = 400_000;
          const got = unwrap(pruned.retrieve(query, { mode: "soft", k, overFetch, weights, now }));
          const all = unwrap(
            full.retrieve(query, { mode: "soft", k: k * overFetch, overFetch: 1, weights, now }),
          );
          expect(got.map((r) => [r.entry.id, r.score, r.components])).toEqual(
            all.slice(0, k).map((r) => [r.entry.id, r.score, r.components]),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("without feedback (ranking skipped: similarity order) returns exactly what rerankHybrid returns", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 6 }),
        fc.option(fc.constantFrom(...COLOR_CLASSES)),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom<Labels>("mixed", "none", "one"),
        (seed, k, overFetch, classHint, gamma, labels) => {
          const [pool, lister] = twinPools(seed, [0], false, false, labels);
          const rng = rngOf(seed + 7);
          const query = {
            chroma: [rng(), rng(), rng()] as const,
            classHint: classHint ?? null,
            spectral: null,
            utilityPrior: null,
          };
          const weights = { alpha: 0.65, beta: 0.2, gamma, delta: 0.05, lambda: 0.7 };
          const got = unwrap(pool.retrieve(query, { mode: "soft", k, overFetch, weights }));
          // The candidate list the index gives, in its order, ranked by scoring itself.
          const listed = unwrap(lister.retrieve(query, { mode: "soft", k: k * overFetch, overFetch: 1 }));
          const candidates: ScoringCandidate[] = listed.map(({ entry, components }) => ({
            id: entry.id,
            similarity: components.similarity,
            utility: entry.utility.mean,
            classLabel: entry.classLabel,
            lastUsedAt: 0,
            vector: entry.embedding,
          }));
          const expected = unwrap(
            rerankHybrid(candidates, { weights, queryClass: classHint ?? null, k, diversity: false }),
          );
          expect(got.map((r) => [r.entry.id, r.score, r.components])).toEqual(
            expected.map((r) => [r.id, r.score, r.components]),
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("soft retrieval's pool-wide bounds", () => {
  it("a hit deep in the candidate list still wins through its utility", () => {
    const pool = poolOf({ index: "exact", maxSize: 200 });
    const rng = rngOf(42);
    for (let i = 0; i < 120; i++) {
      unwrap(pool.add(tensorNear([0.6 + 0.1 * rng(), 0.3 + 0.1 * rng(), 0.2], 500 + i), result(0.9)));
    }
    const query = tensorNear([0.65, 0.35, 0.2], 9_999);
    const similarityOnly = { alpha: 1, beta: 0, gamma: 0, delta: 0, lambda: 1 };
    const bySimilarity = unwrap(pool.retrieve(query, { k: 40, overFetch: 1, weights: similarityOnly }));
    const deep = (bySimilarity[29] as (typeof bySimilarity)[number]).entry.id;
    unwrap(pool.feedback(deep, { utility: 1 }));
    const weights = { alpha: 0.65, beta: 1, gamma: 0.1, delta: 0.05, lambda: 0.7 };
    const pruned = unwrap(pool.retrieve(query, { k: 5, overFetch: 8, weights }));
    const full = unwrap(pool.retrieve(query, { k: 40, overFetch: 1, weights }));
    expect(pruned.map((r) => r.entry.id)).toContain(deep);
    expect(pruned.map((r) => [r.entry.id, r.score])).toEqual(
      full.slice(0, 5).map((r) => [r.entry.id, r.score]),
    );
  });
});
