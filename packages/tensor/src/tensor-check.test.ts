import { unwrap } from "@dreampool/errors";
import { describe, expect, it } from "vitest";
import { ChromaticTensor } from "./chromatic-tensor.js";
import { complement, mix } from "./ops.js";
import { ChromaticNativeSolver } from "./solver.js";
import { tensorFromBytes, tensorToBytes, writeTensorBytes } from "./tensor-bytes.js";
import { validateSameShape, validateTensor } from "./tensor-check.js";
import { expectErr } from "./test-support/arbitraries.js";

// What a tensor made by a second copy of this package looks like to this one: the same fields,
// a different class.
const foreign = {
  rows: 1,
  cols: 2,
  layers: 1,
  colors: new Float32Array([0.9, 0.2, 0.1, 0.1, 0.3, 0.8]),
  certainty: new Float32Array([1, 0.5]),
} as unknown as ChromaticTensor;

describe("validateTensor", () => {
  it("accepts real tensors and structurally identical ones from another package copy", () => {
    expect(validateTensor("t", unwrap(ChromaticTensor.zeros(2, 3, 1)))).toBeNull();
    expect(validateTensor("t", foreign)).toBeNull();
    const c = unwrap(complement(foreign));
    expect(Array.from(c.colors).map((v) => Number(v.toFixed(6)))).toEqual([0.1, 0.8, 0.9, 0.8, 0.6, 0.1]);
    expect(unwrap(mix(foreign, foreign)).certainty[1]).toBe(0.5);
    expect(unwrap(ChromaticNativeSolver.create()).evaluate(foreign, true).ok).toBe(true);
    expect(unwrap(tensorFromBytes(tensorToBytes(foreign))).colors).toEqual(foreign.colors);
  });

  it("names what is wrong", () => {
    expect(validateTensor("x", null)?.message).toContain("x = null");
    expect(validateTensor("x", { ...foreign, colors: [0.1, 0.2, 0.3] })?.kind).toBe("InvalidParameter");
    expect(validateTensor("x", { ...foreign, rows: 0 })?.detail).toMatchObject({ parameter: "rows" });
    expect(validateTensor("x", { ...foreign, colors: new Float32Array(5) })?.detail).toMatchObject({
      kind: "DimensionMismatch",
      expected: 6,
      got: 5,
      context: "x.colors",
    });
    expect(validateTensor("x", { ...foreign, certainty: new Float32Array(3) })?.detail).toMatchObject({
      context: "x.certainty",
    });
    expect(validateSameShape(foreign, unwrap(ChromaticTensor.zeros(2, 1, 1)), "op")?.message).toContain(
      "rows of b; a is 1x2x1, b is 2x1x1",
    );
  });

  it("guards writeTensorBytes and sameShape against non-tensors", () => {
    const target = new Uint8Array(100);
    expectErr(writeTensorBytes(null as unknown as ChromaticTensor, target), "InvalidParameter");
    expectErr(
      writeTensorBytes({ ...foreign, colors: new Float32Array(2) } as ChromaticTensor, target),
      "DimensionMismatch",
    );
    expect(foreign.colors).toHaveLength(6);
    const t = unwrap(ChromaticTensor.zeros(1, 2, 1));
    expect(t.sameShape(foreign)).toBe(true);
    expect(t.sameShape(null as unknown as ChromaticTensor)).toBe(false);
  });
});
