import { type DreamError, type DreamErrorKind, type DreamResult, unwrap } from "@dreampool/errors";
import fc from "fast-check";
import { expect } from "vitest";
import { ChromaticTensor, type TensorDims } from "../chromatic-tensor.js";

/** Small shapes, including degenerate ones (1 row, 1 column, 1 layer). */
export const dimsArb: fc.Arbitrary<TensorDims> = fc.record({
  rows: fc.integer({ min: 1, max: 5 }),
  cols: fc.integer({ min: 1, max: 5 }),
  layers: fc.integer({ min: 1, max: 3 }),
});

const cellsOf = (d: TensorDims) => d.rows * d.cols * d.layers;

/** Any finite float32 (extremes, subnormals and -0 included). */
export const anyFloat32 = fc.float({ noNaN: true, noDefaultInfinity: true });

/** A tensor of `dims` whose colours come from `value` and certainty from [0, 1]. */
export function tensorOf(dims: TensorDims, value: fc.Arbitrary<number>): fc.Arbitrary<ChromaticTensor> {
  const cells = cellsOf(dims);
  return fc
    .tuple(
      fc.array(value, { minLength: cells * 3, maxLength: cells * 3 }),
      fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: cells, maxLength: cells }),
    )
    .map(([colors, certainty]) => unwrap(ChromaticTensor.fromArrays(dims, colors, certainty)));
}

/** Tensors with colours in [0, 1]. */
export const unitTensorArb: fc.Arbitrary<ChromaticTensor> = dimsArb.chain((d) =>
  tensorOf(d, fc.float({ min: 0, max: 1, noNaN: true })),
);

/** Two tensors of the same shape with colours in [0, 1]. */
export const unitTensorPairArb: fc.Arbitrary<[ChromaticTensor, ChromaticTensor]> = dimsArb.chain((d) =>
  fc.tuple(
    tensorOf(d, fc.float({ min: 0, max: 1, noNaN: true })),
    tensorOf(d, fc.float({ min: 0, max: 1, noNaN: true })),
  ),
);

/** Asserts a failed result of the given kind and returns its error for further checks. */
export function expectErr<T>(result: DreamResult<T>, kind: DreamErrorKind): DreamError {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error("unreachable");
  expect(result.error.kind).toBe(kind);
  return result.error;
}

/** Tensor from explicit cells, certainty 1. */
export function tensorFromCells(dims: TensorDims, cells: readonly (readonly [number, number, number])[]) {
  return unwrap(ChromaticTensor.fromArrays(dims, cells.flat()));
}
