import { DreamError, unwrap, unwrapErr } from "@dreampool/errors";
import type { ColorClass } from "@dreampool/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ScoringCandidate } from "./candidate.js";
import { type RerankOptions, rerankHybrid } from "./rerank.js";
import { DEFAULT_RETRIEVAL_WEIGHTS, type RetrievalWeights } from "./weights.js";

const weightsOf = (
  alpha: number,
  beta: number,
  gamma: number,
  delta: number,
  lambda: number,
): RetrievalWeights => ({
  alpha,
  beta,
  gamma,
  delta,
  lambda,
});

let nextId = 0;
function candidate(similarity: number, patch: Partial<ScoringCandidate> = {}): ScoringCandidate {
  nextId++;
  return {
    id: `c${nextId}`,
    similarity,
    utility: null,
    classLabel: null,
    lastUsedAt: 0,
    vector: new Float32Array([Math.cos(nextId), Math.sin(nextId), 0.3]),
    ...patch,
  };
}

const options = (patch: Partial<RerankOptions>): RerankOptions => ({
  weights: DEFAULT_RETRIEVAL_WEIGHTS,
  queryClass: null,
  k: 10,
  diversity: false,
  ...patch,
});

describe("rerankHybrid: reference behaviours (§3.10) on non-degenerate data", () => {
  it("ranks the similar, useful, same-class entry first under the default weights", () => {
    const hits = [
      candidate(0.95, { utility: 0.9, classLabel: "Red" }),
      candidate(0.8, { utility: 0.5, classLabel: "Green" }),
      candidate(0.6, { utility: 0.3, classLabel: "Blue" }),
    ];
    const ranked = unwrap(rerankHybrid(hits, options({ queryClass: "Red", diversity: { method: "exact" } })));
    expect(ranked).toHaveLength(3);
    expect(ranked[0]!.id).toBe(hits[0]!.id);
  });

  it("a high-utility entry outranks a slightly more similar low-utility one under utility-heavy weights", () => {
    const lowUtility = candidate(1.0, { utility: 0.3 });
    const highUtility = candidate(0.95, { utility: 0.9 });
    // The rest of the over-fetched list gives the similarity range a realistic width.
    const rest = [candidate(0.6), candidate(0.5), candidate(0.4)];
    const list = [lowUtility, highUtility, ...rest];
    const utilityHeavy = unwrap(rerankHybrid(list, options({ weights: weightsOf(0.3, 0.7, 0, 0, 0) })));
    expect(utilityHeavy[0]!.id).toBe(highUtility.id);
    const similarityHeavy = unwrap(rerankHybrid(list, options({ weights: weightsOf(0.9, 0.1, 0, 0, 0) })));
    expect(similarityHeavy[0]!.id).toBe(lowUtility.id);
  });

  it("class match breaks a tie in similarity and utility", () => {
    const blue = candidate(0.9, { utility: 0.5, classLabel: "Blue" });
    const red = candidate(0.9, { utility: 0.5, classLabel: "Red" });
    const ranked = unwrap(
      rerankHybrid([blue, red], options({ queryClass: "Red", weights: weightsOf(0.3, 0.3, 0.4, 0, 0) })),
    );
    expect(ranked.map((r) => r.id)).toEqual([red.id, blue.id]);
    expect(ranked[0]!.components.classMatch).toBe(1);
    expect(ranked[1]!.components.classMatch).toBe(0);
  });

  it("the duplicate penalty puts a distinct entry before a near-duplicate of the first", () => {
    const red = candidate(0.95, { utility: 0.8, vector: new Float32Array([1, 0, 0]) });
    const nearRed = candidate(0.94, { utility: 0.78, vector: new Float32Array([0.98, 0.02, 0]) });
    const green = candidate(0.93, { utility: 0.76, vector: new Float32Array([0, 1, 0]) });
    const weights = weightsOf(0.5, 0.5, 0, 0.5, 0.9);
    const ranked = unwrap(
      rerankHybrid([red, nearRed, green], options({ weights, diversity: { method: "exact" } })),
    );
    expect(ranked.map((r) => r.id)).toEqual([red.id, green.id, nearRed.id]);
    const plain = unwrap(rerankHybrid([red, nearRed, green], options({ weights })));
    expect(plain.map((r) => r.id)).toEqual([red.id, nearRed.id, green.id]);
  });

  it("no candidates, no results", () => {
    expect(unwrap(rerankHybrid([], options({})))).toEqual([]);
  });
});

describe("rerankHybrid: scores and components", () => {
  it("every result carries components that add up to its score, the first included", () => {
    const list = Array.from({ length: 12 }, (_, i) =>
      candidate(0.3 + 0.05 * ((i * 7) % 12), {
        utility: ((i * 5) % 9) / 4 - 1,
        classLabel: (["Red", "Green", null] as const)[i % 3],
      }),
    );
    const weights = DEFAULT_RETRIEVAL_WEIGHTS;
    const ranked = unwrap(
      rerankHybrid(list, options({ weights, queryClass: "Red", k: 6, diversity: { method: "exact" } })),
    );
    expect(ranked[0]!.components.diversityPenalty).toBe(0);
    for (const { score, components: c } of ranked) {
      const base =
        weights.alpha * c.similarityNormalized + weights.beta * c.utility + weights.gamma * c.classMatch;
      expect(c.base).toBeCloseTo(base, 12);
      expect(score).toBeCloseTo(weights.lambda * c.base - c.diversityPenalty, 12);
    }
    // Greedy MMR scores never rise down the list: one scale from first to last.
    for (let i = 1; i < ranked.length; i++)
      expect(ranked[i]!.score).toBeLessThanOrEqual(ranked[i - 1]!.score);
  });

  it("normalises similarity over all candidates, constant similarity to 1, utility null to 0.5", () => {
    const ranked = unwrap(
      rerankHybrid([candidate(0.2), candidate(0.6), candidate(0.4, { utility: -1 })], options({})),
    );
    const byId = new Map(ranked.map((r) => [r.id, r.components]));
    const normalized = [...byId.values()].map((c) => c.similarityNormalized).sort();
    expect(normalized[0]).toBe(0);
    expect(normalized[1]).toBeCloseTo(0.5, 12);
    expect(normalized[2]).toBe(1);
    const flat = unwrap(rerankHybrid([candidate(0.7), candidate(0.7)], options({})));
    expect(flat.map((r) => r.components.similarityNormalized)).toEqual([1, 1]);
    expect(flat[0]!.components.utility).toBe(0.5);
    expect(ranked.find((r) => r.components.similarity === 0.4)!.components.utility).toBe(0);
  });

  it("an entry outside the top-k by similarity enters through utility (over-fetch works)", () => {
    const list = Array.from({ length: 20 }, (_, i) => candidate(0.9 - 0.01 * i, { utility: -0.2 }));
    const proven = list[14]!;
    const overFetched = list.map((c) => (c === proven ? { ...c, utility: 1 } : c));
    const ranked = unwrap(
      rerankHybrid(overFetched, options({ k: 5, weights: weightsOf(0.3, 0.7, 0, 0, 1) })),
    );
    expect(ranked.map((r) => r.id)).toContain(proven.id);
    expect(ranked[0]!.id).toBe(proven.id);
    // Given only the similarity top-5 (no over-fetch), it could never have appeared.
    const topFive = unwrap(
      rerankHybrid(overFetched.slice(0, 5), options({ k: 5, weights: weightsOf(0.3, 0.7, 0, 0, 1) })),
    );
    expect(topFive.map((r) => r.id)).not.toContain(proven.id);
  });

  it("recency moves a recently used entry up only when configured", () => {
    const now = 1_000_000_000;
    const stale = candidate(0.9, { lastUsedAt: now - 10 * 3_600_000 });
    const fresh = candidate(0.85, { lastUsedAt: now - 60_000 });
    const list = [stale, fresh, candidate(0.5)];
    const off = unwrap(rerankHybrid(list, options({ now })));
    expect(off[0]!.id).toBe(stale.id);
    const on = unwrap(
      rerankHybrid(
        list,
        options({
          now,
          recencyHalfLifeMs: 3_600_000,
          recencyWeight: 0.5,
          weights: weightsOf(0.5, 0, 0, 0, 1),
        }),
      ),
    );
    expect(on[0]!.id).toBe(fresh.id);
    expect(on[0]!.components.recency).toBeCloseTo(2 ** (-60_000 / 3_600_000), 12);
    expect(on.find((r) => r.id === stale.id)!.components.recency).toBeCloseTo(2 ** -10, 12);
  });

  it("the fast diversity method ranks exactly like the exact one", () => {
    const classes: (ColorClass | null)[] = ["Red", "Green", "Blue", null];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            similarity: fc.double({ min: -1, max: 1, noNaN: true }),
            utility: fc.option(fc.double({ min: -1, max: 1, noNaN: true })),
            cls: fc.integer({ min: 0, max: 3 }),
            vector: fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.integer({ min: 1, max: 45 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (rows, k, lambda) => {
          const list = rows.map((r, i) =>
            candidate(r.similarity, {
              id: `r${i}`,
              utility: r.utility,
              classLabel: classes[r.cls]!,
              vector: Float32Array.from(r.vector),
            }),
          );
          const run = (method: "exact" | "fast") =>
            unwrap(rerankHybrid(list, options({ k, queryClass: "Red", diversity: { method, lambda } })));
          expect(run("fast")).toEqual(run("exact"));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("without diversity the order is base descending, ties to the earlier candidate", () => {
    const list = [candidate(0.5, { id: "a" }), candidate(0.5, { id: "b" }), candidate(0.9, { id: "c" })];
    expect(unwrap(rerankHybrid(list, options({}))).map((r) => r.id)).toEqual(["c", "a", "b"]);
  });

  it("without diversity the top k equal a stable full sort by base (many ties, any k)", () => {
    const classes: (ColorClass | null)[] = ["Red", "Green", null];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            // Few distinct values, so equal bases (ties) are common.
            similarity: fc.constantFrom(-0.5, 0, 0.25, 0.5, 1),
            utility: fc.option(fc.constantFrom(-1, 0, 0.5)),
            cls: fc.integer({ min: 0, max: 2 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 70 }),
        (rows, k) => {
          const list = rows.map((r, i) =>
            candidate(r.similarity, { id: `r${i}`, utility: r.utility, classLabel: classes[r.cls]! }),
          );
          const all = unwrap(rerankHybrid(list, options({ k: list.length, queryClass: "Red" })));
          const reference = all
            .map((r, rank) => ({ r, position: Number(r.id.slice(1)), rank }))
            .sort((a, b) => b.r.score - a.r.score || a.position - b.position)
            .slice(0, k)
            .map((x) => x.r);
          expect(unwrap(rerankHybrid(list, options({ k, queryClass: "Red" })))).toEqual(reference);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("rerankHybrid: bad input", () => {
  const list = [candidate(0.9), candidate(0.8), candidate(0.7)];
  const cases: [string, unknown[], Partial<RerankOptions> & Record<string, unknown>, string, string][] = [
    [
      "lambda above 1 in the weights",
      list,
      { weights: weightsOf(0.5, 0.2, 0.1, 0.1, 1.2) },
      "InvalidParameter",
      "weights.lambda",
    ],
    [
      "diversity lambda below 0",
      list,
      { diversity: { method: "exact", lambda: -0.1 } },
      "InvalidParameter",
      "diversity.lambda",
    ],
    [
      "a negative weight",
      list,
      { weights: weightsOf(-0.1, 0.2, 0.1, 0.1, 0.7) },
      "InvalidParameter",
      "weights.alpha",
    ],
    ["k = 0", list, { k: 0 }, "InvalidParameter", "k"],
    ["k negative", list, { k: -3 }, "InvalidParameter", "k"],
    ["a NaN similarity", [candidate(Number.NaN)], {}, "InvalidParameter", "candidates[0].similarity"],
    [
      "a utility outside [-1, 1]",
      [candidate(0.5, { utility: 2 })],
      {},
      "InvalidParameter",
      "candidates[0].utility",
    ],
    [
      "an unknown class",
      [candidate(0.5, { classLabel: "Teal" as ColorClass })],
      {},
      "InvalidParameter",
      "classLabel",
    ],
    [
      "vectors of different lengths",
      [candidate(0.5), candidate(0.4, { vector: new Float32Array(5) })],
      { diversity: { method: "fast" } },
      "DimensionMismatch",
      "candidates[1].vector",
    ],
    ["recency without now", list, { recencyHalfLifeMs: 1000 }, "InvalidParameter", "now"],
    ["a zero half-life", list, { now: 5, recencyHalfLifeMs: 0 }, "InvalidParameter", "recencyHalfLifeMs"],
    [
      "an unknown diversity method",
      list,
      { diversity: { method: "slow" as "fast" } },
      "InvalidParameter",
      "diversity",
    ],
  ];
  for (const [name, candidates, patch, kind, parameter] of cases) {
    it(`${name} → ${kind} naming ${parameter}`, () => {
      const error = unwrapErr(rerankHybrid(candidates as ScoringCandidate[], options(patch)));
      expect(DreamError.isInstance(error)).toBe(true);
      expect(error.kind).toBe(kind);
      expect(error.message).toContain(parameter);
    });
  }
});
