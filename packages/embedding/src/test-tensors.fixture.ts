// Tensors for tests: built from a function of (row, col, layer, channel), so the expected spectrum
// follows from the formula.
import { ChromaticTensor, seededRandom } from "@dreampool/tensor";

export function tensorFrom(
  rows: number,
  cols: number,
  layers: number,
  value: (r: number, c: number, l: number, ch: number) => number,
): ChromaticTensor {
  const colors = new Float32Array(rows * cols * layers * 3);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      for (let l = 0; l < layers; l++)
        for (let ch = 0; ch < 3; ch++) colors[((r * cols + c) * layers + l) * 3 + ch] = value(r, c, l, ch);
  const t = ChromaticTensor.fromArrays({ rows, cols, layers }, colors);
  if (!t.ok) throw t.error;
  return t.value;
}

/** Uniform noise in [0, 1) per cell: a tensor with a broad, irregular spectrum. */
export function noiseTensor(rows: number, cols: number, layers: number, seed: number): ChromaticTensor {
  const random = seededRandom(seed);
  return tensorFrom(rows, cols, layers, () => random());
}
