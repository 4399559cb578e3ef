import { unwrap } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChromaticTensor } from "./chromatic-tensor.js";
import { gradientStep, mseLoss } from "./loss.js";
import { ChromaticNativeSolver } from "./solver.js";
import { expectErr, tensorFromCells, unitTensorPairArb } from "./test-support/arbitraries.js";

const pair = { rows: 1, cols: 1, layers: 2 };

describe("mseLoss", () => {
  it("is the mean squared colour difference", () => {
    const a = tensorFromCells(pair, [
      [0.5, 0.5, 0.5],
      [1, 0, 0],
    ]);
    const b = tensorFromCells(pair, [
      [0.5, 0.5, 0.5],
      [0, 0, 0.5],
    ]);
    expect(unwrap(mseLoss(a, b))).toBeCloseTo((1 + 0.25) / 6, 12);
    expect(unwrap(mseLoss(a, a))).toBe(0);
  });

  it("is symmetric and non-negative (property)", () => {
    fc.assert(
      fc.property(unitTensorPairArb, ([a, b]) => {
        const ab = unwrap(mseLoss(a, b));
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(unwrap(mseLoss(b, a))).toBe(ab);
      }),
    );
  });

  it("rejects mismatched shapes and non-tensors", () => {
    const a = unwrap(ChromaticTensor.zeros(2, 2, 1));
    expectErr(mseLoss(a, unwrap(ChromaticTensor.zeros(2, 2, 2))), "DimensionMismatch");
    expectErr(mseLoss(a, null as unknown as ChromaticTensor), "InvalidParameter");
  });
});

describe("gradientStep", () => {
  it("moves against the gradient and lowers the solver's energy", () => {
    const solver = unwrap(ChromaticNativeSolver.create());
    let t = unwrap(ChromaticTensor.fromSeed(11, 6, 6, 2));
    const energies: number[] = [];
    for (let step = 0; step < 5; step++) {
      const r = unwrap(solver.evaluate(t, true));
      energies.push(r.energy);
      t = unwrap(gradientStep(t, r.grad!, 0.01, { clampToUnit: true }));
    }
    for (let i = 1; i < energies.length; i++) expect(energies[i]!).toBeLessThan(energies[i - 1]!);
    expect(t.colors.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it("computes colours − rate·grad exactly and copies certainty", () => {
    const t = unwrap(ChromaticTensor.fromArrays({ rows: 1, cols: 1, layers: 1 }, [0.5, 0.25, 1], [0.3]));
    const s = unwrap(gradientStep(t, new Float32Array([1, -1, 2]), 0.25));
    expect(Array.from(s.colors)).toEqual([0.25, 0.5, 0.5]);
    expect(s.certainty[0]).toBeCloseTo(0.3, 7);
    expect(s.certainty).not.toBe(t.certainty);
  });

  it("rejects bad gradients and rates", () => {
    const t = unwrap(ChromaticTensor.zeros(1, 1, 1));
    expectErr(gradientStep(t, new Float32Array(2), 0.1), "DimensionMismatch");
    expectErr(gradientStep(t, [1, 2, 3] as unknown as Float32Array, 0.1), "InvalidParameter");
    expect(
      expectErr(gradientStep(t, new Float32Array([0, Number.NaN, 0]), 0.1), "InvalidParameter").detail,
    ).toMatchObject({
      parameter: "grad[1]",
    });
    for (const rate of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      expectErr(gradientStep(t, new Float32Array(3), rate), "InvalidParameter");
    }
    expectErr(gradientStep(t, new Float32Array([3e38, 0, 0]), 1e10), "InvalidParameter");
    expectErr(gradientStep({} as ChromaticTensor, new Float32Array(3), 0.1), "InvalidParameter");
  });
});
