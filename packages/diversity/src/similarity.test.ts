import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dotRows, dotRowsPair, SimilarityKernel } from "./similarity.js";

const rowsOf = (count: number, dim: number) =>
  fc.array(fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true }), {
    minLength: count * dim,
    maxLength: count * dim,
  });

describe("dotRowsPair", () => {
  it("is bit-identical to two dotRows calls, in either argument order, for any dim", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 19 })
          .chain((dim) => fc.tuple(fc.constant(dim), rowsOf(3, dim), rowsOf(1, dim))),
        ([dim, values, other]) => {
          const data = Float32Array.from(values);
          const shared = Float32Array.from(other);
          const out = new Float64Array(2);
          dotRowsPair(data, 0, data, dim, 2 * dim, dim, out);
          expect(out[0]).toBe(dotRows(data, 0, data, dim, dim));
          expect(out[1]).toBe(dotRows(data, 2 * dim, data, 0, dim));
          dotRowsPair(shared, 0, data, 0, 2 * dim, dim, out);
          expect(out[0]).toBe(dotRows(data, 0, shared, 0, dim));
          expect(out[1]).toBe(dotRows(data, 2 * dim, shared, 0, dim));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("SimilarityKernel", () => {
  it("similaritiesTo and toQuery equal row-by-row evaluation bit for bit (odd and even counts)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom("cosine" as const, "dot" as const),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (count, dim, similarity, seed) => {
          let state = seed || 1;
          const next = () => {
            state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
            return state / 4294967296 - 0.5;
          };
          const data = Float32Array.from({ length: count * dim }, next);
          const query = Float32Array.from({ length: dim }, next);
          const kernel = new SimilarityKernel(data, count, dim, similarity);
          const toLast = new Float64Array(count);
          kernel.similaritiesTo(count - 1, toLast);
          const relevance = kernel.toQuery(query);
          for (let i = 0; i < count; i++) {
            expect(toLast[i]).toBe(kernel.between(i, count - 1));
            const dot = dotRows(data, i * dim, query, 0, dim);
            if (similarity === "dot") expect(relevance[i]).toBe(dot);
            else expect(relevance[i]).toBeCloseTo((dot * kernel.inverseNorms[i]!) / Math.hypot(...query), 12);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
