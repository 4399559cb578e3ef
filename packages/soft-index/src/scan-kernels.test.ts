import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scoreDot, scoreDotPair, scoreNegativeL2, scoreNegativeL2Pair } from "./scan-kernels.js";

// The kernels against the one-line definitions, over dims and row ranges that exercise every
// remainder (rows not a multiple of six, odd dims, a non-zero first row).
const caseArb = fc
  .record({ dim: fc.integer({ min: 1, max: 13 }), rows: fc.integer({ min: 0, max: 20 }), seed: fc.integer() })
  .chain(({ dim, rows, seed }) =>
    fc.record({
      dim: fc.constant(dim),
      slab: fc.array(fc.integer({ min: -1000, max: 1000 }), {
        minLength: (rows + 1) * dim,
        maxLength: (rows + 1) * dim,
      }),
      query: fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: dim, maxLength: dim }),
      from: fc.integer({ min: 0, max: rows }),
      seed: fc.constant(seed),
    }),
  );

describe("scan kernels", () => {
  it("scoreDot and scoreNegativeL2 equal the plain definitions for every remainder", () => {
    fc.assert(
      fc.property(caseArb, ({ dim, slab: raw, query: rawQuery, from }) => {
        const slab = Float32Array.from(raw, (x) => x / 8);
        const query = Float64Array.from(rawQuery, (x) => x / 16);
        const rows = slab.length / dim;
        const dots = new Float64Array(rows);
        const l2 = new Float64Array(rows);
        scoreDot(slab, dim, query, from, rows, dots);
        scoreNegativeL2(slab, dim, query, from, rows, l2);
        for (let r = from; r < rows; r++) {
          let d = 0;
          let s = 0;
          for (let j = 0; j < dim; j++) {
            d += (query[j] as number) * (slab[r * dim + j] as number);
            s += ((query[j] as number) - (slab[r * dim + j] as number)) ** 2;
          }
          // Inputs are multiples of 1/128 with small sums: float64 is exact, whatever the order.
          expect(dots[r - from]).toBe(d);
          expect(l2[r - from]).toBe(-Math.sqrt(s));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("scores a row bit-identically on every path: 6-row step, remainder, and the two-query kernels", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 1, max: 17 }),
        fc.integer(),
        (dim, rows, seed) => {
          let state = seed;
          const next = (): number => {
            state = (Math.imul(state, 1664525) + 1013904223) | 0;
            return (state >>> 8) / 2 ** 22 - 2; // non-dyadic sums: summation order would show
          };
          const slab = Float32Array.from({ length: rows * dim }, next);
          const qa = Float64Array.from({ length: dim }, next);
          const qb = Float64Array.from({ length: dim }, next);
          for (const [single, pair] of [
            [scoreDot, scoreDotPair],
            [scoreNegativeL2, scoreNegativeL2Pair],
          ] as const) {
            const all = new Float64Array(rows);
            single(slab, dim, qa, 0, rows, all);
            const outA = new Float64Array(rows);
            const outB = new Float64Array(rows);
            pair(slab, dim, qa, qb, 0, rows, outA, outB);
            const allB = new Float64Array(rows);
            single(slab, dim, qb, 0, rows, allB);
            expect(outA).toEqual(all);
            expect(outB).toEqual(allB);
            for (let r = 0; r < rows; r++) {
              const alone = new Float64Array(1);
              single(slab, dim, qa, r, r + 1, alone);
              expect(alone[0]).toBe(all[r]);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
