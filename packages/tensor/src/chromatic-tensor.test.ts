import { unwrap } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChromaticTensor, MAX_TENSOR_CELLS, validateDims, validateRgb } from "./chromatic-tensor.js";
import { expectErr } from "./test-support/arbitraries.js";

const meanAbsDiff = (a: Float32Array, b: Float32Array) =>
  a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

function correlation(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe("ChromaticTensor factories", () => {
  it("fromSeed is deterministic and shapes are [rows, cols, layers, 3] (reference §3.1)", () => {
    const a = unwrap(ChromaticTensor.fromSeed(42, 32, 32, 4));
    const b = unwrap(ChromaticTensor.fromSeed(42, 32, 32, 4));
    expect(a.colors).toEqual(b.colors);
    expect(a.certainty).toEqual(b.certainty);
    expect(unwrap(ChromaticTensor.zeros(64, 64, 8)).shape).toEqual([64, 64, 8, 3]);
  });

  it("gives neighbouring seeds unrelated tensors (the reference's ramp made them near-identical)", () => {
    for (let seed = -3; seed < 60; seed++) {
      const a = unwrap(ChromaticTensor.fromSeed(seed, 8, 8, 2));
      const b = unwrap(ChromaticTensor.fromSeed(seed + 1, 8, 8, 2));
      // Independent uniforms differ by 1/3 on average and are uncorrelated.
      expect(meanAbsDiff(a.colors, b.colors)).toBeGreaterThan(0.25);
      expect(Math.abs(correlation(a.colors, b.colors))).toBeLessThan(0.25);
    }
  });

  it("fromSeed fills colours in [0, 1) with distinct channels and certainty in [0.1, 1]", () => {
    const t = unwrap(ChromaticTensor.fromSeed(7, 16, 16, 2));
    expect(t.colors.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(t.certainty.every((v) => v >= 0.1 && v <= 1)).toBe(true);
    let channelSpread = 0;
    for (let i = 0; i < t.colors.length; i += 3) channelSpread += Math.abs(t.colors[i]! - t.colors[i + 1]!);
    expect(channelSpread / t.cells).toBeGreaterThan(0.25); // not near-grey
    const s = t.statistics();
    for (const m of s.meanRgb) expect(m).toBeCloseTo(0.5, 1);
    expect(s.variance).toBeCloseTo(1 / 12, 2);
    expect(s.meanCertainty).toBeCloseTo(0.55, 1);
  });

  it("fromArrays copies and validates its input", () => {
    const colors = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    const t = unwrap(ChromaticTensor.fromArrays({ rows: 2, cols: 1, layers: 1 }, colors, [0.5, 1]));
    colors[0] = 9;
    expect(t.colors[0]).toBeCloseTo(0.1, 6);
    expect(unwrap(t.rgbAt(1, 0, 0))[2]).toBeCloseTo(0.6, 6);
    expect(Array.from(t.certainty)).toEqual([0.5, 1]);
    const d = { rows: 2, cols: 1, layers: 1 };
    expect(expectErr(ChromaticTensor.fromArrays(d, [1, 2, 3]), "DimensionMismatch").detail).toMatchObject({
      expected: 6,
      got: 3,
    });
    expectErr(ChromaticTensor.fromArrays(d, colors, [1]), "DimensionMismatch");
    const nan = expectErr(ChromaticTensor.fromArrays(d, [0, 0, Number.NaN, 0, 0, 0]), "InvalidParameter");
    expect(nan.detail).toMatchObject({ parameter: "colors[2]", value: "NaN" });
    expectErr(
      ChromaticTensor.fromArrays(d, [0, 0, 0, 0, 0, 0], [1, Number.POSITIVE_INFINITY]),
      "InvalidParameter",
    );
    expectErr(ChromaticTensor.fromArrays(null as unknown as typeof d, []), "InvalidParameter");
    expectErr(ChromaticTensor.fromArrays({ rows: 2.5, cols: 1, layers: 1 }, []), "InvalidParameter");
  });

  it("fromColor adds seeded, clamped noise around the colour", () => {
    const d = { rows: 6, cols: 6, layers: 2 };
    const t = unwrap(ChromaticTensor.fromColor([1, 0.5, 0], d, { noise: 0.1, seed: 3, certainty: 0.7 }));
    const again = unwrap(ChromaticTensor.fromColor([1, 0.5, 0], d, { noise: 0.1, seed: 3, certainty: 0.7 }));
    expect(t.colors).toEqual(again.colors);
    for (let i = 0; i < t.colors.length; i += 3) {
      expect(t.colors[i]!).toBeGreaterThanOrEqual(0.9);
      expect(t.colors[i]!).toBeLessThanOrEqual(1);
      expect(Math.abs(t.colors[i + 1]! - 0.5)).toBeLessThanOrEqual(0.1 + 1e-7);
      expect(t.colors[i + 2]!).toBeLessThanOrEqual(0.1);
    }
    expect(t.certainty.every((k) => Math.abs(k - 0.7) < 1e-7)).toBe(true);
    expect(unwrap(ChromaticTensor.fromColor([0.2, 0.4, 0.6], d)).meanRgb()[1]).toBeCloseTo(0.4, 6);
  });

  it("every factory rejects bad sizes, seeds and values without throwing", () => {
    for (const [r, c, l] of [
      [0, 1, 1],
      [-2, 1, 1],
      [1.5, 1, 1],
      [Number.NaN, 1, 1],
      [1, Number.POSITIVE_INFINITY, 1],
    ]) {
      expectErr(ChromaticTensor.zeros(r!, c!, l!), "InvalidParameter");
      expectErr(ChromaticTensor.fromSeed(1, r!, c!, l!), "InvalidParameter");
      expectErr(ChromaticTensor.fromColor([0, 0, 0], { rows: r!, cols: c!, layers: l! }), "InvalidParameter");
    }
    const big = expectErr(ChromaticTensor.zeros(1 << 13, 1 << 13, 2), "InvalidParameter");
    expect(big.message).toContain(String(MAX_TENSOR_CELLS));
    expectErr(ChromaticTensor.zeros(1, 1, 1, Number.NaN), "InvalidParameter");
    expectErr(ChromaticTensor.fromSeed(0.5, 2, 2, 2), "InvalidParameter");
    const d = { rows: 2, cols: 2, layers: 1 };
    expectErr(
      ChromaticTensor.fromColor([0, 0] as unknown as [number, number, number], d),
      "DimensionMismatch",
    );
    expectErr(ChromaticTensor.fromColor([0, Number.NaN, 0], d), "InvalidParameter");
    expectErr(ChromaticTensor.fromColor([0, 0, 0], d, { noise: -0.1 }), "InvalidParameter");
    expectErr(ChromaticTensor.fromColor([0, 0, 0], d, { seed: 1.2 }), "InvalidParameter");
    expectErr(ChromaticTensor.fromColor([0, 0, 0], d, { certainty: Number.NaN }), "InvalidParameter");
    expectErr(ChromaticTensor.fromColor([0, 0, 0], null as unknown as typeof d), "InvalidParameter");
    expectErr(
      ChromaticTensor.fromColor([0, 0, 0], d, null as unknown as { noise: number }),
      "InvalidParameter",
    );
  });
});

describe("ChromaticTensor accessors", () => {
  const t = unwrap(
    ChromaticTensor.fromArrays(
      { rows: 1, cols: 2, layers: 2 },
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 0, 0.5],
      [1, 0.5, 0.25, 0.25],
    ),
  );

  it("indexes cells as ((r·cols + c)·layers + l)·3 + ch", () => {
    expect(unwrap(t.rgbAt(0, 1, 0))[0]).toBeCloseTo(0.7, 6);
    expect(unwrap(t.rgbAt(0, 0, 1))[2]).toBeCloseTo(0.6, 6);
    expect(t.dims).toEqual({ rows: 1, cols: 2, layers: 2 });
    expect(t.cells).toBe(4);
    expect(t.sameShape({ rows: 1, cols: 2, layers: 2 })).toBe(true);
    expect(t.sameShape({ rows: 2, cols: 1, layers: 2 })).toBe(false);
  });

  it("computes mean RGB, pooled variance and mean certainty", () => {
    const s = t.statistics();
    expect(s.meanRgb[0]).toBeCloseTo(0.55, 6);
    expect(s.meanRgb[1]).toBeCloseTo(0.375, 6);
    expect(s.meanRgb[2]).toBeCloseTo(0.575, 6);
    const values = Array.from(t.colors);
    const means = [0.55, 0.375, 0.575];
    const variance = values.reduce((acc, v, i) => acc + (v - means[i % 3]!) ** 2, 0) / values.length;
    expect(s.variance).toBeCloseTo(variance, 6);
    expect(s.meanCertainty).toBeCloseTo(0.5, 6);
    expect(String(t)).toContain("1x2x2");
  });

  it("rgbAt rejects out-of-range and non-integer coordinates", () => {
    for (const [r, c, l] of [
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, 2],
      [-1, 0, 0],
      [0, 0.5, 0],
      [Number.NaN, 0, 0],
    ]) {
      expectErr(t.rgbAt(r!, c!, l!), "InvalidParameter");
    }
  });

  it("validateDims and validateRgb report problems as DreamErrors", () => {
    expect(validateDims(2, 3, 4)).toBeNull();
    expect(validateDims(2, "3", 4)?.kind).toBe("InvalidParameter");
    expect(validateRgb("rgb", [0.1, 0.2, 0.3])).toBeNull();
    expect(validateRgb("rgb", "red")?.kind).toBe("InvalidParameter");
    expect(validateRgb("rgb", [1, 2, 3, 4])?.kind).toBe("DimensionMismatch");
  });

  it("statistics agree with a float64 recomputation (property)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 6 }), (seed, side) => {
        const u = unwrap(ChromaticTensor.fromSeed(seed, side, side + 1, 2));
        const m = u.meanRgb();
        for (let ch = 0; ch < 3; ch++) {
          let sum = 0;
          for (let i = ch; i < u.colors.length; i += 3) sum += u.colors[i]!;
          expect(m[ch]).toBeCloseTo(sum / u.cells, 10);
        }
      }),
      { numRuns: 30 },
    );
  });
});
