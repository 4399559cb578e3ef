import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clusteredVectors, mulberry32, spread, uniformVectors, zipfSampler } from "./index.js";

describe("spread", () => {
  it("gives median, quartiles and extremes", () => {
    expect(spread([5, 1, 3, 2, 4])).toEqual({ median: 3, p25: 2, p75: 4, min: 1, max: 5, samples: 5 });
    expect(spread([1, 2]).median).toBe(1.5);
    expect(spread([]).samples).toBe(0);
  });

  it("keeps min <= p25 <= median <= p75 <= max", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1 }), (xs) => {
        const s = spread(xs);
        return s.min <= s.p25 && s.p25 <= s.median && s.median <= s.p75 && s.p75 <= s.max;
      }),
    );
  });
});

describe("seeded data", () => {
  it("mulberry32 is deterministic and in [0, 1)", () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mulberry32(8)()).not.toBe(mulberry32(7)());
  });

  it("clustered and uniform rows have unit length", () => {
    for (const data of [clusteredVectors(50, 16, 1, { clusters: 5 }), uniformVectors(50, 16, 1)]) {
      for (let i = 0; i < 50; i++) {
        let n = 0;
        for (let j = 0; j < 16; j++) n += data[i * 16 + j]! ** 2;
        expect(Math.sqrt(n)).toBeCloseTo(1, 5);
      }
    }
  });

  it("clustered rows sit closer to each other than uniform rows", () => {
    const meanCos = (data: Float32Array, n: number, d: number) => {
      let best = 0;
      for (let i = 0; i < n; i++) {
        let top = -1;
        for (let k = 0; k < n; k++) {
          if (k === i) continue;
          let dot = 0;
          for (let j = 0; j < d; j++) dot += data[i * d + j]! * data[k * d + j]!;
          top = Math.max(top, dot);
        }
        best += top;
      }
      return best / n;
    };
    expect(meanCos(clusteredVectors(200, 32, 3, { clusters: 10 }), 200, 32)).toBeGreaterThan(
      meanCos(uniformVectors(200, 32, 3), 200, 32) + 0.3,
    );
  });

  it("zipf favours low ranks and stays in range", () => {
    const next = zipfSampler(200, 1.1, mulberry32(3));
    const counts = new Array<number>(200).fill(0);
    for (let i = 0; i < 20000; i++) counts[next()]!++;
    expect(counts.every((c) => c >= 0)).toBe(true);
    expect(counts[0]!).toBeGreaterThan(counts[10]! * 5);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(20000);
  });
});
