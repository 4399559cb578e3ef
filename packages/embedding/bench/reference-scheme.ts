// The reference's embedding scheme (reference.md §1.4 and §2.2), reimplemented for comparison only:
// unnormalised FFT with the DC term kept, "bands" that are quarters of the flattened spectrum, raw
// magnitudes, 21 features repeated cyclically up to the output dimension, then per-vector
// standardisation. Not exported from the package.
import type { ChromaticTensor, ColorClass, Rgb } from "@dreampool/tensor";
import { COLOR_CLASSES } from "@dreampool/tensor";
import { dftPlan } from "../src/dft-plan.js";

export interface ReferenceSpectral {
  entropy: number;
  dominant: [number, number, number];
  low: number;
  mid: number;
  high: number;
  meanPsd: number;
}

/** Periodic Hann, as in the reference: 0.5 − 0.5·cos(2πi/n). */
const periodicHann = (n: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));

export function referenceSpectral(t: ChromaticTensor): ReferenceSpectral {
  const { rows, cols, layers, colors } = t;
  const n = rows * cols;
  const wr = periodicHann(rows);
  const wc = periodicHann(cols);
  const rowPlan = dftPlan(cols);
  const colPlan = dftPlan(rows);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const lineRe = new Float64Array(Math.max(rows, cols));
  const lineIm = new Float64Array(Math.max(rows, cols));
  const outRe = new Float64Array(Math.max(rows, cols));
  const outIm = new Float64Array(Math.max(rows, cols));
  const bandSums = [0, 0, 0];
  const dominant: [number, number, number] = [0, 0, 0];
  let entropySum = 0;
  let psdSum = 0;
  const lo = Math.floor(n / 4);
  const hi = Math.floor((3 * n) / 4);
  for (let ch = 0; ch < 3; ch++) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        let sum = 0;
        for (let l = 0; l < layers; l++) sum += colors[((r * cols + c) * layers + l) * 3 + ch]!;
        lineRe[c] = (sum / layers) * wr[r]! * wc[c]!;
        lineIm[c] = 0;
      }
      rowPlan.forward(lineRe, lineIm, outRe, outIm);
      for (let c = 0; c < cols; c++) {
        re[r * cols + c] = outRe[c]!;
        im[r * cols + c] = outIm[c]!;
      }
    }
    const psd = new Float64Array(n);
    for (let c = 0; c < cols; c++) {
      for (let r = 0; r < rows; r++) {
        lineRe[r] = re[r * cols + c]!;
        lineIm[r] = im[r * cols + c]!;
      }
      colPlan.forward(lineRe, lineIm, outRe, outIm);
      for (let r = 0; r < rows; r++) psd[r * cols + c] = outRe[r]! ** 2 + outIm[r]! ** 2;
    }
    let total = 0;
    let best = 0;
    for (let i = 0; i < n; i++) {
      total += psd[i]!;
      if (psd[i]! >= psd[best]!) best = i; // Rust max_by: the last maximum wins
      bandSums[i < lo ? 0 : i < hi ? 1 : 2]! += psd[i]!;
    }
    dominant[ch] = best;
    psdSum += total;
    let h = 0;
    if (total >= 1e-10) {
      for (let i = 0; i < n; i++) {
        const p = psd[i]! / total;
        if (p > 1e-10) h -= p * Math.log(p);
      }
    }
    entropySum += Math.log(n) > 0 ? h / Math.log(n) : 0;
  }
  return {
    entropy: entropySum / 3,
    dominant,
    low: bandSums[0]! / 3,
    mid: bandSums[1]! / 3,
    high: bandSums[2]! / 3,
    meanPsd: psdSum / (3 * n),
  };
}

/** The 21 raw features, repeated cyclically to `dim`, then standardised per vector. */
export function referenceEncode(
  chroma: Rgb,
  spectral: ReferenceSpectral | null,
  cls: ColorClass | null,
  dim: number,
  out: Float32Array,
  at: number,
): void {
  const s = spectral;
  const features = [
    chroma[0],
    chroma[1],
    chroma[2],
    s?.entropy ?? 0,
    s?.low ?? 0,
    s?.mid ?? 0,
    s?.high ?? 0,
    s?.meanPsd ?? 0,
    s ? (s.dominant[0] + s.dominant[1] + s.dominant[2]) / 3 : 0,
    ...COLOR_CLASSES.map((c) => (cls === null ? 0.1 : c === cls ? 1 : 0)),
    0, // utility: none yet
    0.5, // bias weight without a profile
  ];
  let mean = 0;
  for (let i = 0; i < dim; i++) mean += features[i % features.length]!;
  mean /= dim;
  let variance = 0;
  for (let i = 0; i < dim; i++) variance += (features[i % features.length]! - mean) ** 2;
  const inverse = 1 / Math.sqrt(variance / dim + 1e-8);
  for (let i = 0; i < dim; i++) out[at + i] = (features[i % features.length]! - mean) * inverse;
}
