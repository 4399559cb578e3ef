import { DreamError, unwrap, unwrapErr } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mmrChroma } from "./chroma.js";
import type { MmrInput } from "./input.js";
import { mmr } from "./mmr.js";
import { mmrFast } from "./mmr-fast.js";
import { mmrNaive } from "./mmr-naive.js";

/** Seeded Gaussian-ish rows around a few centres, so that MMR has real redundancy to trade. */
function clustered(n: number, dim: number, seed: number, clusters = 4): Float32Array {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296 - 0.5;
  };
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dim }, next));
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const centre = centres[i % clusters]!;
    for (let j = 0; j < dim; j++) out[i * dim + j] = centre[j]! + 0.3 * next();
  }
  return out;
}

const red = [1, 0, 0] as const;
const redish = [0.95, 0.05, 0] as const;
const green = [0, 1, 0] as const;
const blue = [0, 0, 1] as const;

describe("mmr (exact)", () => {
  // Reference §3.11 uses lambda = 0.5 with the query equal to the first pick, where relevance and
  // redundancy cancel and every score ties at 0; lambda = 0.4 is the same scenario without the tie.
  it("picks the most relevant first, then trades relevance for novelty", () => {
    const candidates = [red, redish, green, blue];
    const selection = unwrap(mmrChroma({ candidates, query: red, k: 2, lambda: 0.4 }));
    expect(selection.indices[0]).toBe(0);
    expect(selection.indices[1]).toBe(2); // green and blue tie at 0; the lower index wins
    expect(selection.scores[0]).toBeCloseTo(0.4, 12);
    expect(selection.scores[1]).toBeCloseTo(0, 12);
    expect(selection.redundancy).toEqual([0, 0]);
    const redishScore = 0.4 * 0.99861 - 0.6 * 0.99861;
    expect(redishScore).toBeLessThan(selection.scores[1]!);
  });

  it("lambda = 1 is pure relevance: the near-duplicate comes second", () => {
    const selection = unwrap(
      mmrChroma({ candidates: [red, redish, green, blue], query: red, k: 3, lambda: 1 }),
    );
    expect(selection.indices).toEqual([0, 1, 2]);
  });

  it("scores every pick as lambda·relevance − (1 − lambda)·max similarity to the earlier picks", () => {
    const vectors = clustered(40, 6, 7);
    const query = vectors.slice(0, 6);
    const lambda = 0.6;
    const selection = unwrap(mmr({ vectors, dim: 6, query, k: 8, lambda }));
    const row = (i: number) => vectors.subarray(i * 6, i * 6 + 6);
    const cos = (a: Float32Array, b: Float32Array) => {
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (let j = 0; j < a.length; j++) {
        dot += a[j]! * b[j]!;
        na += a[j]! ** 2;
        nb += b[j]! ** 2;
      }
      return dot / Math.sqrt(na * nb);
    };
    selection.indices.forEach((index, t) => {
      const earlier = selection.indices.slice(0, t);
      const redundancy = t === 0 ? 0 : Math.max(...earlier.map((j) => cos(row(index), row(j))));
      expect(selection.redundancy[t]).toBeCloseTo(redundancy, 9);
      expect(selection.scores[t]).toBeCloseTo(lambda * cos(query, row(index)) - (1 - lambda) * redundancy, 9);
    });
  });

  it("relevance by query is the cosine for rows of any length, and 0 for a zero row", () => {
    const dim = 7; // not a multiple of the 4-lane unrolling, so the tail loop counts too
    const vectors = clustered(12, dim, 19).map((x, at) => (at < dim ? 0 : x * (1 + (at % 5))));
    const query = clustered(1, dim, 23);
    const byQuery = unwrap(mmr({ vectors, dim, query, k: 12, lambda: 1 }));
    const row = (i: number) => vectors.subarray(i * dim, (i + 1) * dim);
    const cos = (a: Float32Array, b: Float32Array) => {
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (let j = 0; j < dim; j++) {
        dot += a[j]! * b[j]!;
        na += a[j]! ** 2;
        nb += b[j]! ** 2;
      }
      return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
    };
    // lambda = 1: the scores are the relevances, in pick (= relevance) order.
    byQuery.indices.forEach((index, t) => {
      expect(byQuery.scores[t]).toBeCloseTo(cos(query, row(index)), 12);
    });
    expect(byQuery.scores[byQuery.indices.indexOf(0)]).toBe(0);
    const fast = unwrap(mmrFast({ vectors, dim, query, k: 12, lambda: 0.3 }));
    expect(fast.indices).toEqual(unwrap(mmr({ vectors, dim, query, k: 12, lambda: 0.3 })).indices);
  });

  it("breaks ties towards the lower index", () => {
    const vectors = [new Float32Array([1, 0]), new Float32Array([0, 1]), new Float32Array([0, 1])];
    const selection = unwrap(mmr({ vectors, relevance: [0.5, 0.5, 0.5], k: 3, lambda: 0.5 }));
    expect(selection.indices).toEqual([0, 1, 2]);
  });

  it("returns all candidates when k exceeds n, and nothing for no candidates", () => {
    const two = unwrap(mmrChroma({ candidates: [red, green], query: red, k: 10, lambda: 0.5 }));
    expect(two.indices).toEqual([0, 1]);
    expect(two.stoppedBy).toBe("candidates");
    const none = unwrap(mmr({ vectors: [], relevance: [], k: 3, lambda: 0.5 }));
    expect(none.indices).toEqual([]);
    expect(
      unwrap(mmrFast({ vectors: new Float32Array(0), relevance: [], k: 3, lambda: 0.5 })).indices,
    ).toEqual([]);
    expect(unwrapErr(mmr({ vectors: [new Float32Array(0)], relevance: [1], k: 1, lambda: 0.5 })).kind).toBe(
      "InvalidParameter",
    );
  });

  it("stops before a pick that would bring the dispersion under minDispersion", () => {
    const reds = [red, [0.99, 0.01, 0], [0.98, 0.02, 0]];
    const selection = unwrap(
      mmrChroma({ candidates: reds, query: red, k: 3, lambda: 0.7, minDispersion: 0.5 }),
    );
    expect(selection.indices.length).toBeLessThan(3);
    expect(selection.stoppedBy).toBe("minDispersion");
    const spread = unwrap(
      mmrChroma({ candidates: [red, green, blue], query: red, k: 3, lambda: 0.7, minDispersion: 0.5 }),
    );
    expect(spread.indices).toEqual([0, 1, 2]);
  });

  it("takes relevance, a flat buffer or a list of rows, and a custom similarity", () => {
    const vectors = clustered(30, 4, 3);
    const rows = Array.from({ length: 30 }, (_, i) => vectors.slice(i * 4, i * 4 + 4));
    const query = vectors.slice(8, 12);
    const flat = unwrap(mmr({ vectors, dim: 4, query, k: 5, lambda: 0.5 }));
    const listed = unwrap(mmr({ vectors: rows, query, k: 5, lambda: 0.5 }));
    expect(listed.indices).toEqual(flat.indices);
    const negativeDistance = (a: Float32Array, b: Float32Array) =>
      -Math.hypot(...Array.from(a, (x, j) => x - b[j]!));
    const custom = unwrap(mmr({ vectors: rows, query, k: 5, lambda: 0.5, similarity: negativeDistance }));
    expect(custom.indices[0]).toBe(2);
    expect(new Set(custom.indices).size).toBe(5);
  });
});

describe("exact, lazy and naive MMR agree", () => {
  const arbitraryCase = fc.record({
    n: fc.integer({ min: 1, max: 60 }),
    dim: fc.integer({ min: 1, max: 12 }),
    k: fc.integer({ min: 1, max: 70 }),
    lambda: fc.double({ min: 0, max: 1, noNaN: true }),
    seed: fc.integer({ min: 1, max: 2 ** 31 }),
    clusters: fc.integer({ min: 1, max: 6 }),
    similarity: fc.constantFrom("cosine" as const, "dot" as const),
    minDispersion: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1.5, noNaN: true })),
    useQuery: fc.boolean(),
  });

  it("select exactly what recomputing everything selects, on random data of random sizes", () => {
    fc.assert(
      fc.property(arbitraryCase, (c) => {
        const vectors = clustered(c.n, c.dim, c.seed, c.clusters);
        const relevanceSource = clustered(c.n + 1, 1, c.seed ^ 0x5bd1e995);
        const input: MmrInput = {
          vectors,
          dim: c.dim,
          k: c.k,
          lambda: c.lambda,
          similarity: c.similarity,
          minDispersion: c.minDispersion,
          ...(c.useQuery
            ? { query: clustered(1, c.dim, c.seed + 1) }
            : { relevance: relevanceSource.subarray(0, c.n) }),
        };
        const naive = unwrap(mmrNaive(input));
        const exact = unwrap(mmr(input));
        const lazy = unwrap(mmrFast(input));
        expect(exact.indices).toEqual(naive.indices);
        expect(exact.scores).toEqual(naive.scores);
        expect(exact.redundancy).toEqual(naive.redundancy);
        expect(exact.stoppedBy).toBe(naive.stoppedBy);
        expect(lazy.indices).toEqual(exact.indices);
        expect(lazy.scores).toEqual(exact.scores);
        expect(lazy.redundancy).toEqual(exact.redundancy);
        expect(lazy.similarityEvaluations).toBeLessThanOrEqual(exact.similarityEvaluations);
      }),
      { numRuns: 300 },
    );
  });

  it("lazy equals exact on larger clustered sets (many lazy rounds and heap reorders)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 1500 }),
        fc.integer({ min: 2, max: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 2, max: 40 }),
        (n, k, lambda, seed, clusters) => {
          const vectors = clustered(n, 16, seed, clusters);
          const input: MmrInput = { vectors, dim: 16, query: clustered(1, 16, seed + 7), k, lambda };
          const exact = unwrap(mmr(input));
          const lazy = unwrap(mmrFast(input));
          expect(lazy.indices).toEqual(exact.indices);
          expect(lazy.scores).toEqual(exact.scores);
          expect(lazy.redundancy).toEqual(exact.redundancy);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("agree when relevance spans extreme magnitudes (the lazy queue's buckets degenerate)", () => {
    // Relevance from -1e308 to 1e308: the span of the bounds overflows, so the queue falls back to
    // one bucket; tiny and subnormal values in between leave most buckets empty.
    const extreme = fc.oneof(
      fc.constantFrom(-1e308, 1e308, 5e-324, -5e-324, 0),
      fc.double({ min: -1e308, max: 1e308, noNaN: true }),
      fc.double({ min: -1e-300, max: 1e-300, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.array(extreme, { minLength: 2, maxLength: 40 }),
        fc.integer({ min: 2, max: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, relevance, k, lambda) => {
          const input = { vectors: clustered(relevance.length, 5, seed), dim: 5, relevance, k, lambda };
          const exact = unwrap(mmr(input));
          const lazy = unwrap(mmrFast(input));
          expect(lazy.indices).toEqual(exact.indices);
          expect(lazy.scores).toEqual(exact.scores);
          expect(lazy.redundancy).toEqual(exact.redundancy);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("agree when many scores tie exactly (duplicated rows, equal relevance)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 2, max: 30 }), (seed, n) => {
        const base = clustered(3, 3, seed);
        const vectors = new Float32Array(n * 3);
        for (let i = 0; i < n; i++) vectors.set(base.subarray((i % 3) * 3, (i % 3) * 3 + 3), i * 3);
        const relevance = Array.from({ length: n }, (_, i) => (i % 2) * 0.25);
        const input = { vectors, dim: 3, relevance, k: n, lambda: 0.5 };
        const naive = unwrap(mmrNaive(input));
        expect(unwrap(mmr(input)).indices).toEqual(naive.indices);
        expect(unwrap(mmrFast(input)).indices).toEqual(naive.indices);
      }),
      { numRuns: 100 },
    );
  });
});

describe("mmrFast", () => {
  it("with candidateLimit keeps only the most relevant candidates", () => {
    const vectors = clustered(200, 8, 11);
    const query = vectors.slice(0, 8);
    const limited = unwrap(mmrFast({ vectors, dim: 8, query, k: 10, lambda: 0.5, candidateLimit: 40 }));
    const relevance = unwrap(mmr({ vectors, dim: 8, query, k: 200, lambda: 1 })).indices.slice(0, 40);
    expect(limited.indices).toHaveLength(10);
    for (const index of limited.indices) expect(relevance).toContain(index);
  });

  it("spends fewer similarity evaluations than the exact scan on clustered data", () => {
    const vectors = clustered(2000, 16, 5, 40);
    const query = vectors.slice(0, 16);
    const exact = unwrap(mmr({ vectors, dim: 16, query, k: 20, lambda: 0.5 }));
    const lazy = unwrap(mmrFast({ vectors, dim: 16, query, k: 20, lambda: 0.5 }));
    expect(lazy.indices).toEqual(exact.indices);
    expect(lazy.similarityEvaluations).toBeLessThan(exact.similarityEvaluations / 2);
  });
});

describe("bad input", () => {
  const vectors = clustered(10, 4, 1);
  const query = vectors.slice(0, 4);
  const valid: MmrInput = { vectors, dim: 4, query, k: 3, lambda: 0.5 };
  const cases: [string, Partial<MmrInput> & Record<string, unknown>, string, string][] = [
    ["lambda above 1", { lambda: 1.5 }, "InvalidParameter", "lambda"],
    ["lambda below 0", { lambda: -0.1 }, "InvalidParameter", "lambda"],
    ["NaN lambda", { lambda: Number.NaN }, "InvalidParameter", "lambda"],
    ["k = 0", { k: 0 }, "InvalidParameter", "k"],
    ["negative k", { k: -2 }, "InvalidParameter", "k"],
    ["fractional k", { k: 1.5 }, "InvalidParameter", "k"],
    ["query of another length", { query: new Float32Array(3) }, "DimensionMismatch", "query"],
    ["NaN in the query", { query: new Float32Array([1, Number.NaN, 0, 0]) }, "InvalidParameter", "query[1]"],
    ["buffer not a multiple of dim", { dim: 3 }, "InvalidParameter", "vectors"],
    ["negative minDispersion", { minDispersion: -1 }, "InvalidParameter", "minDispersion"],
    ["unknown similarity", { similarity: "l2" as never }, "InvalidParameter", "similarity"],
  ];
  for (const [name, patch, kind, parameter] of cases) {
    it(`${name} → ${kind} naming ${parameter}, from every variant`, () => {
      for (const run of [mmr, mmrFast, mmrNaive]) {
        const error = unwrapErr(run({ ...valid, ...patch } as MmrInput));
        expect(DreamError.isInstance(error)).toBe(true);
        expect(error.kind).toBe(kind);
        expect(error.message).toContain(parameter);
      }
    });
  }

  it("rows of different lengths → DimensionMismatch", () => {
    const error = unwrapErr(
      mmr({ vectors: [new Float32Array(3), new Float32Array(4)], relevance: [1, 2], k: 1, lambda: 1 }),
    );
    expect(error.kind).toBe("DimensionMismatch");
  });

  it("NaN in a vector or in relevance → InvalidParameter naming the position", () => {
    const poisoned = vectors.slice();
    poisoned[9] = Number.NaN;
    expect(unwrapErr(mmr({ ...valid, vectors: poisoned })).message).toContain("vectors[2][1]");
    const relevance = Array.from({ length: 10 }, (_, i) => (i === 4 ? Number.NaN : i));
    const error = unwrapErr(mmrFast({ vectors, dim: 4, relevance, k: 2, lambda: 0.5 }));
    expect(error.message).toContain("relevance[4]");
  });

  it("relevance of the wrong length, both or neither of query and relevance", () => {
    expect(unwrapErr(mmr({ vectors, dim: 4, relevance: [1, 2], k: 2, lambda: 0.5 })).kind).toBe(
      "DimensionMismatch",
    );
    expect(unwrapErr(mmr({ ...valid, relevance: new Array(10).fill(1) })).message).toContain("query");
    expect(unwrapErr(mmr({ vectors, dim: 4, k: 2, lambda: 0.5 })).message).toContain("query");
  });

  it("a custom similarity that throws or returns NaN → InvalidParameter, no exception", () => {
    const throwing = () => {
      throw new Error("boom");
    };
    expect(unwrapErr(mmr({ ...valid, similarity: throwing })).message).toContain("boom");
    expect(unwrapErr(mmrFast({ ...valid, similarity: () => Number.NaN })).kind).toBe("InvalidParameter");
  });

  it("candidateLimit must be a positive integer", () => {
    expect(unwrapErr(mmrFast({ ...valid, candidateLimit: 0 })).message).toContain("candidateLimit");
  });

  it("a chroma that is not a triple", () => {
    expect(unwrapErr(mmrChroma({ candidates: [[1, 0]], query: red, k: 1, lambda: 0.5 })).message).toContain(
      "candidates[0]",
    );
    expect(
      unwrapErr(mmrChroma({ candidates: [red], query: [1, Number.NaN, 0], k: 1, lambda: 0.5 })).kind,
    ).toBe("InvalidParameter");
  });
});
