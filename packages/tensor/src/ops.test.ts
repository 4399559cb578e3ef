import { unwrap } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChromaticTensor } from "./chromatic-tensor.js";
import { hsvSaturation, hueDegrees } from "./color-math.js";
import { add, blend, clamp, complement, filter, invert, mix, normalize, saturate, sub } from "./ops.js";
import { expectErr, tensorFromCells, unitTensorArb, unitTensorPairArb } from "./test-support/arbitraries.js";

const pair = { rows: 1, cols: 1, layers: 2 };
const cellsOf = (t: ChromaticTensor) =>
  Array.from({ length: t.cells }, (_, i) => Array.from(t.colors.subarray(i * 3, i * 3 + 3)));

function expectCells(t: ChromaticTensor, expected: number[][]) {
  const got = cellsOf(t);
  expect(got).toHaveLength(expected.length);
  got.forEach((cell, i) => {
    cell.forEach((v, ch) => {
      expect(v).toBeCloseTo(expected[i]![ch]!, 6);
    });
  });
}

describe("ops on the reference fixtures (reference §3.1)", () => {
  it("mix adds colours, rescales only when the maximum exceeds 1, averages certainty", () => {
    const a = unwrap(ChromaticTensor.fromArrays(pair, [0.2, 0.4, 0.6, 0.1, 0.2, 0.3], [1, 0.5]));
    const b = unwrap(ChromaticTensor.fromArrays(pair, [0.3, 0.3, 0.3, 0.2, 0.5, 0.7], [0, 0.5]));
    const m = unwrap(mix(a, b));
    expectCells(m, [
      [0.5, 0.7, 0.9],
      [0.3, 0.7, 1.0],
    ]);
    expect(Array.from(m.certainty)).toEqual([0.5, 0.5]);
    // One value above 1 rescales the whole tensor by the maximum.
    const c = tensorFromCells(pair, [
      [0.5, 0.8, 0.2],
      [0.1, 0.1, 0.1],
    ]);
    expectCells(unwrap(mix(c, c)), [
      [0.625, 1, 0.25],
      [0.125, 0.125, 0.125],
    ]);
  });

  it("filter subtracts and clamps to [0, 1]", () => {
    const a = tensorFromCells(pair, [
      [0.4, 0.5, 0.6],
      [0.8, 0.1, 0.3],
    ]);
    const b = tensorFromCells(pair, [
      [0.2, 0.7, 0.1],
      [0.4, 0.5, 0.9],
    ]);
    expectCells(unwrap(filter(a, b)), [
      [0.2, 0, 0.5],
      [0.4, 0, 0],
    ]);
  });

  it("complement turns the hue by 180° at the same saturation and value (deliberate fix)", () => {
    const t = tensorFromCells(pair, [
      [0.1, 0.2, 0.3],
      [0.5, 0.6, 0.7],
    ]);
    const c = unwrap(complement(t));
    expectCells(c, [
      [0.3, 0.2, 0.1],
      [0.7, 0.6, 0.5],
    ]);
    // Reference colour [0.1, 0.2, 0.3] has hue 210°; its complement 30°.
    expect(hueDegrees(0.1, 0.2, 0.3)).toBeCloseTo(210, 4);
    expect(hueDegrees(c.colors[0]!, c.colors[1]!, c.colors[2]!)).toBeCloseTo(30, 4);
  });

  it("invert maps every channel x to 1 − x", () => {
    const t = tensorFromCells(pair, [
      [0.1, 0.2, 0.3],
      [0.5, 0.6, 1],
    ]);
    expectCells(unwrap(invert(t)), [
      [0.9, 0.8, 0.7],
      [0.5, 0.4, 0],
    ]);
  });

  it("saturate moves channels away from the cell's grey (R down, B up for alpha 1.5)", () => {
    const t = tensorFromCells(pair, [
      [0.3, 0.4, 0.5],
      [0.2, 0.4, 0.6],
    ]);
    const s = unwrap(saturate(t, 1.5));
    expectCells(s, [
      [0.25, 0.4, 0.55],
      [0.1, 0.4, 0.7],
    ]);
    expectCells(unwrap(saturate(t, 0)), [
      [0.4, 0.4, 0.4],
      [0.4, 0.4, 0.4],
    ]);
    // Clamped to [0, 1].
    expectCells(unwrap(saturate(t, 10)), [
      [0, 0.4, 1],
      [0, 0.4, 1],
    ]);
  });
});

describe("arithmetic ops", () => {
  const a = unwrap(ChromaticTensor.fromArrays(pair, [0.2, 0.4, 0.6, 0.9, 0.1, 0.3], [1, 0.2]));
  const b = unwrap(ChromaticTensor.fromArrays(pair, [0.5, 0.1, 0.3, 0.4, 0.7, 0.9], [0, 0.6]));

  it("add and sub work channel-wise without clamping and average certainty", () => {
    const s = unwrap(add(a, b));
    expectCells(s, [
      [0.7, 0.5, 0.9],
      [1.3, 0.8, 1.2],
    ]);
    const d = unwrap(sub(a, b));
    expectCells(d, [
      [-0.3, 0.3, 0.3],
      [0.5, -0.6, -0.6],
    ]);
    expect(Array.from(d.certainty).map((x) => Number(x.toFixed(6)))).toEqual([0.5, 0.4]);
  });

  it("blend interpolates colours and certainty; weight 0 is a, weight 1 is b", () => {
    expect(unwrap(blend(a, b, 0)).colors).toEqual(a.colors);
    expect(unwrap(blend(a, b, 1)).colors).toEqual(b.colors);
    const q = unwrap(blend(a, b, 0.25));
    expectCells(q, [
      [0.275, 0.325, 0.525],
      [0.775, 0.25, 0.45],
    ]);
    expect(q.certainty[0]).toBeCloseTo(0.75, 6);
    expect(q.certainty[1]).toBeCloseTo(0.3, 6);
  });

  it("normalize divides by the maximum only above 1 and keeps negatives", () => {
    const t = tensorFromCells(pair, [
      [2, 1, -0.5],
      [0.5, 0, 0.25],
    ]);
    expectCells(unwrap(normalize(t)), [
      [1, 0.5, -0.25],
      [0.25, 0, 0.125],
    ]);
    const inGamut = tensorFromCells(pair, [
      [0.9, 0.1, 0],
      [0.5, 0.3, 0.2],
    ]);
    expect(unwrap(normalize(inGamut)).colors).toEqual(inGamut.colors);
  });

  it("normalize maps non-finite values (only reachable through unsafeCreate) to 0", () => {
    const t = ChromaticTensor.unsafeCreate(
      pair,
      new Float32Array([Number.NaN, 0.5, Number.POSITIVE_INFINITY, 0.2, 0.4, 0.8]),
      new Float32Array([1, 1]),
    );
    expectCells(unwrap(normalize(t)), [
      [0, 0.5, 0],
      [0.2, 0.4, 0.8],
    ]);
  });

  it("clamp bounds every value", () => {
    const t = tensorFromCells(pair, [
      [2, 0.5, -1],
      [0.3, 0.7, 0.1],
    ]);
    expectCells(unwrap(clamp(t, 0.2, 0.6)), [
      [0.6, 0.5, 0.2],
      [0.3, 0.6, 0.2],
    ]);
  });
});

describe("op properties", () => {
  const unary = {
    normalize: (t: ChromaticTensor) => normalize(t),
    clamp: (t: ChromaticTensor) => clamp(t, 0.1, 0.9),
    complement: (t: ChromaticTensor) => complement(t),
    invert: (t: ChromaticTensor) => invert(t),
    saturate: (t: ChromaticTensor) => saturate(t, 1.7),
  };
  const binary = {
    mix,
    filter,
    add,
    sub,
    blend: (a: ChromaticTensor, b: ChromaticTensor) => blend(a, b, 0.3),
  };

  it("every op keeps the shape, returns a new tensor and leaves its inputs untouched", () => {
    fc.assert(
      fc.property(unitTensorPairArb, ([a, b]) => {
        const before = [Float32Array.from(a.colors), Float32Array.from(b.colors)];
        const results = [
          ...Object.values(unary).map((op) => unwrap(op(a))),
          ...Object.values(binary).map((op) => unwrap(op(a, b))),
        ];
        for (const r of results) {
          expect(r.shape).toEqual(a.shape);
          expect(r.colors).toHaveLength(a.colors.length);
          expect(r.certainty).toHaveLength(a.cells);
          expect(r.colors).not.toBe(a.colors);
          expect(r.colors.every(Number.isFinite)).toBe(true);
        }
        expect(a.colors).toEqual(before[0]);
        expect(b.colors).toEqual(before[1]);
      }),
    );
  });

  it("complement keeps saturation and value, turns chromatic hues by 180° and is an involution", () => {
    fc.assert(
      fc.property(unitTensorArb, (t) => {
        const c = unwrap(complement(t));
        const back = unwrap(complement(c));
        for (let i = 0; i < t.colors.length; i += 3) {
          const [r, g, b] = [t.colors[i]!, t.colors[i + 1]!, t.colors[i + 2]!];
          const [cr, cg, cb] = [c.colors[i]!, c.colors[i + 1]!, c.colors[i + 2]!];
          expect(Math.max(cr, cg, cb)).toBeCloseTo(Math.max(r, g, b), 6);
          expect(hsvSaturation(cr, cg, cb)).toBeCloseTo(hsvSaturation(r, g, b), 4);
          if (Math.max(r, g, b) - Math.min(r, g, b) > 1e-2) {
            const turn = (hueDegrees(cr, cg, cb) - hueDegrees(r, g, b) + 360) % 360;
            expect(turn).toBeCloseTo(180, 2);
          }
          for (let ch = 0; ch < 3; ch++) expect(back.colors[i + ch]).toBeCloseTo(t.colors[i + ch]!, 6);
        }
      }),
    );
  });

  it("filter and saturate stay in [0, 1]; mix stays at or below 1", () => {
    fc.assert(
      fc.property(unitTensorPairArb, fc.double({ min: 0, max: 5, noNaN: true }), ([a, b], alpha) => {
        for (const t of [unwrap(filter(a, b)), unwrap(saturate(a, alpha))]) {
          expect(t.colors.every((v) => v >= 0 && v <= 1)).toBe(true);
        }
        expect(unwrap(mix(a, b)).colors.every((v) => v >= 0 && v <= 1)).toBe(true);
      }),
    );
  });

  it("sub undoes add up to float32 rounding", () => {
    fc.assert(
      fc.property(unitTensorPairArb, ([a, b]) => {
        const back = unwrap(sub(unwrap(add(a, b)), b));
        back.colors.forEach((v, i) => {
          expect(Math.abs(v - a.colors[i]!)).toBeLessThan(1e-6);
        });
      }),
    );
  });
});

describe("op errors", () => {
  const a = tensorFromCells(pair, [
    [0.1, 0.2, 0.3],
    [0.4, 0.5, 0.6],
  ]);
  const wide = unwrap(ChromaticTensor.zeros(1, 2, 1));
  const deep = unwrap(ChromaticTensor.zeros(1, 1, 3));

  it("binary ops reject mismatched shapes with DimensionMismatch naming the dimension", () => {
    for (const op of [mix, filter, add, sub, (x: ChromaticTensor, y: ChromaticTensor) => blend(x, y, 0.5)]) {
      const e = expectErr(op(a, wide), "DimensionMismatch");
      expect(e.message).toContain("cols of b");
      expect(e.message).toContain("1x1x2");
      expect(e.message).toContain("1x2x1");
      const d = expectErr(op(a, deep), "DimensionMismatch");
      expect(d.detail).toMatchObject({ expected: 2, got: 3 });
    }
  });

  it("scalar arguments must be finite and in range (InvalidParameter naming them)", () => {
    for (const alpha of [Number.NaN, Number.POSITIVE_INFINITY, -0.5]) {
      expect(expectErr(saturate(a, alpha), "InvalidParameter").detail).toMatchObject({ parameter: "alpha" });
    }
    for (const weight of [Number.NaN, -0.1, 1.5, Number.NEGATIVE_INFINITY]) {
      expect(expectErr(blend(a, a, weight), "InvalidParameter").detail).toMatchObject({
        parameter: "weight",
      });
    }
    expect(expectErr(clamp(a, Number.NaN, 1), "InvalidParameter").detail).toMatchObject({ parameter: "min" });
    expect(expectErr(clamp(a, 0, Number.POSITIVE_INFINITY), "InvalidParameter").detail).toMatchObject({
      parameter: "max",
    });
    const e = expectErr(clamp(a, 0.8, 0.2), "InvalidParameter");
    expect(e.message).toContain("0.2");
    expect(e.message).toContain(">= min (0.8)");
  });

  it("non-tensors and broken tensors are rejected, never thrown on", () => {
    const broken = ChromaticTensor.unsafeCreate(pair, new Float32Array(5), new Float32Array(2));
    const hostile: unknown[] = [null, undefined, 42, "tensor", {}, { colors: [1, 2, 3] }];
    const ops = [
      (t: ChromaticTensor) => normalize(t),
      (t: ChromaticTensor) => clamp(t, 0, 1),
      (t: ChromaticTensor) => complement(t),
      (t: ChromaticTensor) => invert(t),
      (t: ChromaticTensor) => saturate(t, 1),
      (t: ChromaticTensor) => mix(t, a),
      (t: ChromaticTensor) => filter(a, t),
      (t: ChromaticTensor) => add(t, a),
      (t: ChromaticTensor) => sub(a, t),
      (t: ChromaticTensor) => blend(t, a, 0.5),
    ];
    for (const op of ops) {
      for (const h of hostile) expectErr(op(h as ChromaticTensor), "InvalidParameter");
      expectErr(op(broken), "DimensionMismatch");
    }
  });

  it("float32 overflow in add, sub and mix is reported instead of producing Infinity", () => {
    const huge = unwrap(ChromaticTensor.fromArrays(pair, [3e38, 0, 0, 0, 0, 0]));
    const negative = unwrap(ChromaticTensor.fromArrays(pair, [-3e38, 0, 0, 0, 0, 0]));
    expect(expectErr(add(huge, huge), "InvalidParameter").message).toContain("colors[0]");
    expectErr(sub(huge, negative), "InvalidParameter");
    expectErr(mix(huge, huge), "InvalidParameter");
  });
});

describe("clamp bounds beyond float32 (found by internal/reliability)", () => {
  it("bounds that overflow float32 are InvalidParameter, never a tensor holding Infinity", () => {
    const t = unwrap(ChromaticTensor.fromSeed(3, 2, 2, 1));
    for (const [min, max] of [
      [1e300, 1e300],
      [-Number.MAX_VALUE, -Number.MAX_VALUE],
      [1e39, 2e39],
    ] as const) {
      const r = clamp(t, min, max);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.kind).toBe("InvalidParameter");
    }
    // Wide bounds that only the data's range reaches stay fine.
    expect(Array.from(unwrap(clamp(t, -1e300, 1e300)).colors)).toEqual(Array.from(t.colors));
  });
});
