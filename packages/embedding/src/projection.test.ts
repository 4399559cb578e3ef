import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createProjection, orthonormalProjection } from "./projection.js";

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

describe("createProjection", () => {
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  const randomVector = (n: number, seed: number) =>
    Float64Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.7) + (i % 3) * 0.2);

  it("uses the randomised Hadamard transform for power-of-two dims, dense otherwise", () => {
    expect(createProjection(64, 25, 1).kind).toBe("hadamard");
    expect(createProjection(32, 25, 1).kind).toBe("hadamard");
    expect(createProjection(48, 25, 1).kind).toBe("dense");
    expect(createProjection(16, 25, 1).kind).toBe("dense");
  });

  it("keeps dot products exactly whenever dim >= features (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 1000 }),
        (features, extra, seed) => {
          const dim = features + extra;
          const p = createProjection(dim, features, seed);
          const x = randomVector(features, seed);
          const y = randomVector(features, seed + 1);
          const px = new Float32Array(dim);
          const py = new Float32Array(dim);
          p.apply(x, px, 0);
          p.apply(y, py, 0);
          const want = x.reduce((s, v, i) => s + v * y[i]!, 0);
          expect(dot(px, py)).toBeCloseTo(want, 4);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("makes every output of the Hadamard path depend on every feature", () => {
    const p = createProjection(64, 25, 3);
    for (let j = 0; j < 25; j++) {
      const x = new Float64Array(25);
      x[j] = 1;
      const out = new Float32Array(64);
      p.apply(x, out, 0);
      for (const v of out) expect(Math.abs(v)).toBeCloseTo(1 / 8, 6);
    }
  });
});
