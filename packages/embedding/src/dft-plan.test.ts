import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDftPlan, type DftStrategy, defaultStrategy } from "./dft-plan.js";

/** The textbook O(n²) DFT, straight from the definition. */
function naiveDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      const angle = (-2 * Math.PI * j * k) / n;
      outRe[k]! += re[j]! * Math.cos(angle) - im[j]! * Math.sin(angle);
      outIm[k]! += re[j]! * Math.sin(angle) + im[j]! * Math.cos(angle);
    }
  }
  return [outRe, outIm];
}

function randomSignal(n: number, seed: number): [Float64Array, Float64Array] {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  return [Float64Array.from({ length: n }, next), Float64Array.from({ length: n }, next)];
}

function maxError(plan: ReturnType<typeof createDftPlan>, re: Float64Array, im: Float64Array): number {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  plan.forward(re, im, outRe, outIm);
  const [wantRe, wantIm] = naiveDft(re, im);
  let worst = 0;
  for (let k = 0; k < n; k++) {
    worst = Math.max(worst, Math.abs(outRe[k]! - wantRe[k]!), Math.abs(outIm[k]! - wantIm[k]!));
  }
  return worst;
}

describe("DFT plans", () => {
  const cases: [DftStrategy, number[]][] = [
    ["direct", [1, 2, 3, 5, 6, 7, 8, 10, 16, 17, 31]],
    ["radix", [2, 4, 8, 16, 32, 64, 128]],
    ["bluestein", [1, 2, 3, 5, 6, 7, 10, 12, 31, 33, 100, 127]],
  ];
  for (const [strategy, sizes] of cases) {
    it(`${strategy} matches the naive DFT for n = ${sizes.join(", ")}`, () => {
      for (const n of sizes) {
        const [re, im] = randomSignal(n, n * 7919);
        expect(maxError(createDftPlan(n, strategy), re, im)).toBeLessThan(1e-9 * n);
      }
    });
  }

  it("computes only the requested leading outputs", () => {
    const [re, im] = randomSignal(12, 3);
    for (const strategy of ["direct", "bluestein"] as const) {
      const outRe = new Float64Array(12).fill(99);
      const outIm = new Float64Array(12).fill(99);
      createDftPlan(12, strategy).forward(re, im, outRe, outIm, 7);
      const [wantRe] = naiveDft(re, im);
      expect(outRe[6]).toBeCloseTo(wantRe[6]!, 10);
      expect(outRe[7]).toBe(99);
    }
  });

  it("picks fft.js for powers of two, the direct sum for short other lengths, Bluestein above", () => {
    expect(defaultStrategy(1)).toBe("direct");
    expect(defaultStrategy(8)).toBe("radix");
    expect(defaultStrategy(1024)).toBe("radix");
    expect(defaultStrategy(7)).toBe("direct");
    expect(defaultStrategy(16)).toBe("radix");
    expect(defaultStrategy(15)).toBe("direct");
    expect(defaultStrategy(17)).toBe("bluestein");
    expect(defaultStrategy(100)).toBe("bluestein");
  });

  it("refuses a radix plan for a length that is not a power of two", () => {
    expect(() => createDftPlan(12, "radix")).toThrow(RangeError);
  });

  it("agrees with the naive DFT on arbitrary lengths and signals (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), fc.integer(), (n, seed) => {
        const [re, im] = randomSignal(n, seed);
        expect(maxError(createDftPlan(n), re, im)).toBeLessThan(1e-9 * n);
        expect(maxError(createDftPlan(n, "bluestein"), re, im)).toBeLessThan(1e-9 * n);
      }),
      { numRuns: 60 },
    );
  });
});

describe("forwardReal", () => {
  it("matches the complex transform of the same signal with a zero imaginary part", () => {
    for (const strategy of ["direct", "radix", "bluestein"] as const) {
      for (const n of strategy === "radix" ? [2, 4, 8, 32] : [1, 3, 8, 12, 33]) {
        const [re] = randomSignal(n, n);
        const plan = createDftPlan(n, strategy);
        const outputs = Math.floor(n / 2) + 1;
        const gotRe = new Float64Array(n);
        const gotIm = new Float64Array(n);
        plan.forwardReal(re, gotRe, gotIm, outputs);
        const [wantRe, wantIm] = naiveDft(re, new Float64Array(n));
        for (let k = 0; k < outputs; k++) {
          expect(gotRe[k]).toBeCloseTo(wantRe[k]!, 9);
          expect(gotIm[k]).toBeCloseTo(wantIm[k]!, 9);
        }
      }
    }
  });
});
