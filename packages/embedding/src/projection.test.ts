import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { orthonormalProjection } from "./projection.js";

/** (PᵀP)[i][j] when byColumns, (PPᵀ)[i][j] otherwise. */
function gram(p: Float64Array, dim: number, features: number, byColumns: boolean): number[][] {
  const n = byColumns ? features : dim;
  const g: number[][] = [];
  for (let i = 0; i < n; i++) {
    g.push([]);
    for (let j = 0; j < n; j++) {
      let s = 0;
      if (byColumns) for (let d = 0; d < dim; d++) s += p[d * features + i]! * p[d * features + j]!;
      else for (let f = 0; f < features; f++) s += p[i * features + f]! * p[j * features + f]!;
      g[i]!.push(s);
    }
  }
  return g;
}

describe("orthonormalProjection", () => {
  it("has orthonormal columns when features <= dim (an isometry), for any seed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (features, seed) => {
          const dim = features + (seed % 30);
          const g = gram(orthonormalProjection(dim, features, seed), dim, features, true);
          g.forEach((row, i) => {
            row.forEach((x, j) => {
              expect(x).toBeCloseTo(i === j ? 1 : 0, 10);
            });
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it("has orthogonal rows of length √(features/dim) when features > dim", () => {
    const g = gram(orthonormalProjection(8, 25, 3), 8, 25, false);
    g.forEach((row, i) => {
      row.forEach((x, j) => {
        expect(x).toBeCloseTo(i === j ? 25 / 8 : 0, 10);
      });
    });
  });

  it("depends on the seed and only on the seed", () => {
    expect(orthonormalProjection(16, 5, 9)).toEqual(orthonormalProjection(16, 5, 9));
    expect(orthonormalProjection(16, 5, 9)).not.toEqual(orthonormalProjection(16, 5, 10));
  });

  it("mixes every feature into every output dimension (no dimension copies one feature)", () => {
    const p = orthonormalProjection(64, 25, 1);
    for (let d = 0; d < 64; d++) {
      let nonZero = 0;
      for (let f = 0; f < 25; f++) if (Math.abs(p[d * 25 + f]!) > 1e-9) nonZero++;
      expect(nonZero).toBeGreaterThan(12);
    }
  });
});
