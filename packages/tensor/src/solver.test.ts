import { unwrap } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChromaticTensor, type TensorDims } from "./chromatic-tensor.js";
import { ChromaticNativeSolver, DEFAULT_NATIVE_SOLVER_PARAMS, type NativeSolverParams } from "./solver.js";
import { energyTerms } from "./solver-kernel.js";
import { expectErr, tensorFromCells } from "./test-support/arbitraries.js";

const solver = unwrap(ChromaticNativeSolver.create());

/** Colours kept away from the energy's kinks: channels of a cell differ by > 1e-3, neighbours by > 1e-2. */
function isSmoothPoint(colors: Float32Array, d: TensorDims): boolean {
  for (let i = 0; i < colors.length; i += 3) {
    const [r, g, b] = [colors[i]!, colors[i + 1]!, colors[i + 2]!];
    if (Math.abs(r - g) <= 1e-3 || Math.abs(g - b) <= 1e-3 || Math.abs(r - b) <= 1e-3) return false;
  }
  const colStride = d.layers * 3;
  const rowStride = d.cols * colStride;
  for (let r = 0; r < d.rows; r++)
    for (let c = 0; c < d.cols; c++)
      for (let l = 0; l < d.layers; l++) {
        const i = ((r * d.cols + c) * d.layers + l) * 3;
        for (const [ok, j] of [
          [r + 1 < d.rows, i + rowStride],
          [c + 1 < d.cols, i + colStride],
        ] as const) {
          if (!ok) continue;
          const dist = Math.hypot(
            colors[i]! - colors[j]!,
            colors[i + 1]! - colors[j + 1]!,
            colors[i + 2]! - colors[j + 2]!,
          );
          if (dist <= 1e-2) return false;
        }
      }
  return true;
}

const smoothTensorArb = fc
  .record({
    rows: fc.integer({ min: 1, max: 4 }),
    cols: fc.integer({ min: 1, max: 4 }),
    layers: fc.integer({ min: 1, max: 3 }),
  })
  .chain((d) => {
    const n = d.rows * d.cols * d.layers * 3;
    return fc
      .array(fc.float({ min: Math.fround(0.02), max: Math.fround(1.2), noNaN: true }), {
        minLength: n,
        maxLength: n,
      })
      .map((colors) => unwrap(ChromaticTensor.fromArrays(d, colors)));
  })
  .filter((t) => isSmoothPoint(t.colors, t));

const paramsArb: fc.Arbitrary<NativeSolverParams> = fc.record({
  lambdaTv: fc.double({ min: 0, max: 3, noNaN: true }),
  lambdaSat: fc.double({ min: 0, max: 5, noNaN: true }),
  targetSaturation: fc.double({ min: 0, max: 1, noNaN: true }),
  discontinuityThreshold: fc.constant(0.3),
});

/** Central differences of the float64 energy, one coordinate at a time. */
function finiteDifferenceGradient(t: ChromaticTensor, params: NativeSolverParams, h = 1e-6): Float64Array {
  const x = Float64Array.from(t.colors);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const keep = x[i]!;
    x[i] = keep + h;
    const up = energyTerms(x, t, params, null).energy;
    x[i] = keep - h;
    const down = energyTerms(x, t, params, null).energy;
    x[i] = keep;
    out[i] = (up - down) / (2 * h);
  }
  return out;
}

describe("ChromaticNativeSolver gradient", () => {
  it("matches central finite differences (relative error < 1e-3) on random tensors and parameters", () => {
    fc.assert(
      fc.property(smoothTensorArb, paramsArb, (t, params) => {
        const s = unwrap(ChromaticNativeSolver.create(params));
        const grad = unwrap(s.evaluate(t, true)).grad;
        expect(grad).toBeInstanceOf(Float32Array);
        expect(grad).toHaveLength(t.colors.length);
        const fd = finiteDifferenceGradient(t, params);
        const scale = Math.max(...Array.from(fd, Math.abs), 1e-3);
        for (let i = 0; i < fd.length; i++) {
          // Relative per component, with a floor at 1e-3 of the largest component for near-zero ones.
          const rel = Math.abs(grad![i]! - fd[i]!) / Math.max(Math.abs(fd[i]!), 1e-3 * scale);
          expect(rel).toBeLessThan(1e-3);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("uses the correct saturation derivative: ∂s/∂max = +min/max², ∂s/∂min = −1/max", () => {
    // One cell [0.8, 0.4, 0.2], energy = P = (s − 0)² with s = 0.75.
    const s = unwrap(ChromaticNativeSolver.create({ lambdaTv: 0, lambdaSat: 1, targetSaturation: 0 }));
    const t = tensorFromCells({ rows: 1, cols: 1, layers: 1 }, [[0.8, 0.4, 0.2]]);
    const r = unwrap(s.evaluate(t, true));
    expect(r.energy).toBeCloseTo(0.5625, 6);
    const [dMax, dMid, dMin] = Array.from(r.grad!);
    expect(dMax).toBeCloseTo(2 * 0.75 * (0.2 / 0.64), 5); // the reference had −2·0.75·(0.6/0.64)
    expect(dMid).toBe(0);
    expect(dMin).toBeCloseTo(-2 * 0.75 * (1 / 0.8), 5);
  });

  it("lays the gradient out like tensor.colors (row-major cells, then layers)", () => {
    // 2x2x2: only cell (r=0, c=1, l=1) differs from its neighbours; TV pulls it back towards them.
    const d = { rows: 2, cols: 2, layers: 2 };
    const colors = new Array(24).fill(0.5);
    const odd = ((0 * 2 + 1) * 2 + 1) * 3; // flat index 9
    colors[odd] = 0.9;
    const t = unwrap(ChromaticTensor.fromArrays(d, colors));
    const s = unwrap(ChromaticNativeSolver.create({ lambdaSat: 0 }));
    const grad = unwrap(s.evaluate(t, true)).grad!;
    // Neighbours of (0,1,1) in its layer: (1,1,1) below and (0,0,1) to the left; each pair gives ±1 on R.
    expect(grad[odd]).toBeCloseTo(2, 6);
    expect(grad[((1 * 2 + 1) * 2 + 1) * 3]).toBeCloseTo(-1, 6);
    expect(grad[((0 * 2 + 0) * 2 + 1) * 3]).toBeCloseTo(-1, 6);
    const touched = new Set([odd, ((1 * 2 + 1) * 2 + 1) * 3, ((0 * 2 + 0) * 2 + 1) * 3]);
    grad.forEach((g, i) => {
      if (!touched.has(i)) expect(g).toBe(0);
    });
  });

  it("gives no TV gradient for coincident neighbours and none at all for a black tensor", () => {
    const black = unwrap(ChromaticTensor.zeros(3, 3, 2));
    const r = unwrap(solver.evaluate(black, true));
    expect(Array.from(r.grad!).every((g) => g === 0)).toBe(true);
    expect(r.energy).toBeCloseTo(0.1 * 0.25, 12); // every saturation 0, target 0.5
  });

  it("omits grad when not asked for", () => {
    const t = unwrap(ChromaticTensor.fromSeed(3, 4, 4, 2));
    expect(unwrap(solver.evaluate(t, false)).grad).toBeUndefined();
  });
});

describe("ChromaticNativeSolver metrics", () => {
  it("energy = lambda_tv·TV + lambda_sat·P with the terms in meta", () => {
    // 1x2x1: red next to green; TV = √2; saturations 1 and 1 → P = 0.25.
    const t = tensorFromCells({ rows: 1, cols: 2, layers: 1 }, [
      [1, 0, 0],
      [0, 1, 0],
    ]);
    const s = unwrap(ChromaticNativeSolver.create({ lambdaTv: 2, lambdaSat: 4 }));
    const r = unwrap(s.evaluate(t, false));
    expect(r.meta.total_variation).toBeCloseTo(Math.SQRT2, 6);
    expect(r.meta.saturation_penalty).toBeCloseTo(0.25, 6);
    expect(r.energy).toBeCloseTo(2 * Math.SQRT2 + 4 * 0.25, 6);
    expect(r.meta).toMatchObject({ lambda_tv: 2, lambda_sat: 4, target_saturation: 0.5, solver: s.name });
    // Violation: both cells saturation 1 (+0.05 each) and one discontinuity (+0.5) → 0.6 / 2.
    expect(r.violation).toBeCloseTo(0.3, 6);
  });

  it("scores an all-zero tensor at coherence 0.4 (balance 0, no hues), like the reference", () => {
    const r = unwrap(solver.evaluate(unwrap(ChromaticTensor.zeros(8, 8, 4)), false));
    expect(r.coherence).toBeCloseTo(0.4, 12);
    expect(r.meta.color_balance).toBe(0);
    expect(r.meta.hue_harmony).toBe(1);
    expect(r.meta.mean_hue).toBeUndefined();
    expect(r.violation).toBe(0);
  });

  it("averages hue on the circle: 350° and 10° have mean 0° and spread 10°", () => {
    // hue 350°: r = 1, g = 0, b = 1/6; hue 10°: r = 1, g = 1/6, b = 0.
    const t = tensorFromCells({ rows: 1, cols: 2, layers: 1 }, [
      [1, 0, 1 / 6],
      [1, 1 / 6, 0],
    ]);
    const r = unwrap(solver.evaluate(t, false));
    expect(Math.min(Number(r.meta.mean_hue), 360 - Number(r.meta.mean_hue))).toBeCloseTo(0, 4);
    expect(r.meta.hue_harmony).toBeCloseTo(1 - 10 / 180, 4); // arithmetic mean 180° would give 1 − 170/180
    const m = [(1 + 1) / 2, 1 / 12, 1 / 12];
    const balance = 1 - (Math.abs(m[0]! - 0.5) + Math.abs(m[1]! - 0.5) + Math.abs(m[2]! - 0.5)) / 1.5;
    expect(r.coherence).toBeCloseTo(0.6 * balance + 0.4 * (1 - 10 / 180), 6);
  });

  it("leaves achromatic cells out of the hue statistics", () => {
    const t = tensorFromCells({ rows: 1, cols: 3, layers: 1 }, [
      [0.2, 0.2, 0.2],
      [0, 0.8, 0],
      [0.5, 0.5, 0.5],
    ]);
    const r = unwrap(solver.evaluate(t, false));
    expect(r.meta.hue_harmony).toBe(1);
    expect(r.meta.mean_hue).toBeCloseTo(120, 6);
  });

  it("floors colour balance at 0 for out-of-gamut means", () => {
    const t = tensorFromCells({ rows: 1, cols: 1, layers: 1 }, [[3, 3, 3]]);
    const r = unwrap(solver.evaluate(t, false));
    expect(r.meta.color_balance).toBe(0);
    expect(r.violation).toBe(1);
  });

  it("keeps coherence and violation in [0, 1] and is deterministic", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 6 }), (seed, side) => {
        const t = unwrap(ChromaticTensor.fromSeed(seed, side, side, 2));
        const r = unwrap(solver.evaluate(t, true));
        expect(r.coherence).toBeGreaterThanOrEqual(0);
        expect(r.coherence).toBeLessThanOrEqual(1);
        expect(r.violation).toBeGreaterThanOrEqual(0);
        expect(r.violation).toBeLessThanOrEqual(1);
        expect(unwrap(solver.evaluate(t, true))).toEqual(r);
      }),
      { numRuns: 50 },
    );
  });

  it("ranks a smooth tensor below a noisy one in energy", () => {
    const smooth = unwrap(
      ChromaticTensor.fromColor([0.8, 0.3, 0.2], { rows: 8, cols: 8, layers: 2 }, { noise: 0.02, seed: 1 }),
    );
    const noisy = unwrap(ChromaticTensor.fromSeed(1, 8, 8, 2));
    expect(unwrap(solver.evaluate(smooth, false)).energy).toBeLessThan(
      unwrap(solver.evaluate(noisy, false)).energy / 5,
    );
  });
});

describe("ChromaticNativeSolver errors", () => {
  it("create validates every parameter (InvalidConfiguration naming it)", () => {
    expect(unwrap(ChromaticNativeSolver.create()).params).toEqual(DEFAULT_NATIVE_SOLVER_PARAMS);
    expect(unwrap(ChromaticNativeSolver.create({ lambdaSat: 0.5 })).params.lambdaSat).toBe(0.5);
    const bad: [keyof NativeSolverParams, unknown][] = [
      ["lambdaTv", -1],
      ["lambdaTv", Number.NaN],
      ["lambdaSat", Number.POSITIVE_INFINITY],
      ["lambdaSat", "0.1"],
      ["targetSaturation", 1.5],
      ["targetSaturation", -0.1],
      ["discontinuityThreshold", 0],
      ["discontinuityThreshold", Number.NEGATIVE_INFINITY],
    ];
    for (const [parameter, value] of bad) {
      const e = expectErr(ChromaticNativeSolver.create({ [parameter]: value }), "InvalidConfiguration");
      expect(e.detail).toMatchObject({ parameter });
      expect(e.message).toContain(parameter);
    }
    expectErr(ChromaticNativeSolver.create(null as unknown as object), "InvalidConfiguration");
  });

  it("evaluate rejects non-tensors, broken tensors, non-finite colours and a non-boolean flag", () => {
    for (const h of [null, undefined, 7, {}, { colors: new Float32Array(3) }]) {
      expectErr(solver.evaluate(h as unknown as ChromaticTensor, true), "InvalidParameter");
    }
    const short = ChromaticTensor.unsafeCreate(
      { rows: 2, cols: 2, layers: 1 },
      new Float32Array(11),
      new Float32Array(4),
    );
    expectErr(solver.evaluate(short, false), "DimensionMismatch");
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const colors = new Float32Array(12).fill(0.5);
      colors[7] = bad;
      const t = ChromaticTensor.unsafeCreate({ rows: 2, cols: 2, layers: 1 }, colors, new Float32Array(4));
      const e = expectErr(solver.evaluate(t, true), "InvalidParameter");
      expect(e.detail).toMatchObject({ parameter: "t.colors[7]" });
    }
    const t = unwrap(ChromaticTensor.zeros(2, 2, 1));
    expectErr(solver.evaluate(t, "yes" as unknown as boolean), "InvalidParameter");
    // The extremes of float32 stay finite in the float64 sums.
    const huge = unwrap(
      ChromaticTensor.fromArrays({ rows: 1, cols: 2, layers: 1 }, [3.4e38, 0, 0, -3.4e38, 0, 0]),
    );
    const extreme = unwrap(solver.evaluate(huge, true));
    expect(Number.isFinite(extreme.energy)).toBe(true);
    expect(extreme.violation).toBe(1);
    // ... but a derivative can leave float32's range: reported, not returned as Infinity.
    const steep = unwrap(ChromaticTensor.fromArrays({ rows: 1, cols: 1, layers: 1 }, [2e-6, 0, -3e38]));
    expect(Number.isFinite(unwrap(solver.evaluate(steep, false)).energy)).toBe(true);
    expect(expectErr(solver.evaluate(steep, true), "InvalidParameter").detail).toMatchObject({
      parameter: "t.colors[0]",
    });
  });
});
