import { ChromaticTensor } from "@dreampool/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractSpectralFeatures, type SpectralFeatures } from "./spectral-features.js";
import { computePowerSpectrum } from "./spectrum.js";
import { noiseTensor, tensorFrom } from "./test-tensors.fixture.js";

const features = (t: ChromaticTensor, window: "none" | "hann" | "hamming" = "hann"): SpectralFeatures => {
  const f = extractSpectralFeatures(t, { window });
  if (!f.ok) throw f.error;
  return f.value;
};

/** Stripes along the columns (`axis` "cols") or rows, `k` cycles across the image, per channel. */
const stripes = (rows: number, cols: number, k: readonly number[], axis: "rows" | "cols") =>
  tensorFrom(rows, cols, 2, (r, c, _l, ch) => {
    const [pos, n] = axis === "cols" ? [c, cols] : [r, rows];
    return 0.5 + 0.3 * Math.cos((2 * Math.PI * k[ch]! * pos) / n + 0.4 * ch);
  });

/** Naive 2-D DFT power of the mean-removed layer-mean image of one channel (window none). */
function naivePower(t: ChromaticTensor, ch: number): Float64Array {
  const { rows, cols, layers, colors } = t;
  const image = new Float64Array(rows * cols);
  for (let p = 0; p < rows * cols; p++) {
    for (let l = 0; l < layers; l++) image[p]! += colors[(p * layers + l) * 3 + ch]! / layers;
  }
  const mean = image.reduce((a, b) => a + b, 0) / image.length;
  const power = new Float64Array(rows * cols);
  for (let u = 0; u < rows; u++) {
    for (let v = 0; v < cols; v++) {
      let re = 0;
      let im = 0;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const angle = -2 * Math.PI * ((u * r) / rows + (v * c) / cols);
          re += (image[r * cols + c]! - mean) * Math.cos(angle);
          im += (image[r * cols + c]! - mean) * Math.sin(angle);
        }
      }
      power[u * cols + v] = re * re + im * im;
    }
  }
  return power;
}

describe("extractSpectralFeatures: known answers", () => {
  it("gives a constant image zero non-DC energy and all-zero features", () => {
    const t = tensorFrom(8, 8, 4, (_r, _c, _l, ch) => [0.8, 0.3, 0.55][ch]!);
    const spectrum = computePowerSpectrum(t);
    if (!spectrum.ok) throw spectrum.error;
    for (const psd of spectrum.value.psd) expect(Math.max(...psd)).toBe(0);
    expect(features(t)).toEqual({
      entropy: 0,
      dominantFrequency: [0, 0, 0],
      lowEnergy: 0,
      midEnergy: 0,
      highEnergy: 0,
      meanPsd: 0,
    });
  });

  it("matches a naive 2-D DFT on sizes that are not powers of two (6x10, 7x5, and Bluestein/fft.js lines)", () => {
    // 6x10, 7x5: direct sums on both axes; 20x36: Bluestein on both; 32x12: fft.js down the columns.
    for (const [rows, cols] of [
      [6, 10],
      [7, 5],
      [20, 36],
      [32, 12],
    ] as const) {
      const t = noiseTensor(rows, cols, 3, rows * 100 + cols);
      const spectrum = computePowerSpectrum(t, { window: "none" });
      if (!spectrum.ok) throw spectrum.error;
      for (let ch = 0; ch < 3; ch++) {
        const want = naivePower(t, ch);
        const got = spectrum.value.psd[ch]!;
        // window "none": Σw² = rows·cols, so PSD = |X|² / (rows·cols).
        for (let b = 0; b < want.length; b++) expect(got[b]! * rows * cols).toBeCloseTo(want[b]!, 9);
      }
    }
  });

  it("puts a horizontal sinusoid at its bin and in the expected radial band", () => {
    // 8 columns: k cycles across → ρ = 2k/8. k = 1 → 0.25 (low), 2 → 0.5 (mid), 3 → 0.75 (high).
    // Colours are stored as float32, hence 6 digits below.
    const f = features(stripes(8, 8, [1, 2, 3], "cols"), "none");
    expect(f.dominantFrequency).toEqual([0.25, 0.5, 0.75]);
    // Equal amplitudes, so each band holds one third of the energy.
    expect(f.lowEnergy).toBeCloseTo(1 / 3, 6);
    expect(f.midEnergy).toBeCloseTo(1 / 3, 6);
    expect(f.highEnergy).toBeCloseTo(1 / 3, 6);
    const single = features(stripes(8, 8, [3, 3, 3], "cols"), "none");
    expect(single.highEnergy).toBeCloseTo(1, 6);
    expect(single.lowEnergy + single.midEnergy).toBeCloseTo(0, 6);
    // All energy in two mirror bins out of 63: entropy ln 2 / ln 63.
    expect(single.entropy).toBeCloseTo(Math.log(2) / Math.log(63), 5);
  });

  it("puts a vertical sinusoid at its bin, on non-square grids too", () => {
    // 12 rows, 6 cols: k = 2 cycles down the rows → ρ = 2·2/12 = 1/3, the first mid bin.
    const f = features(stripes(12, 6, [1, 2, 5], "rows"), "none");
    expect(f.dominantFrequency[0]).toBeCloseTo(1 / 6, 12);
    expect(f.dominantFrequency[1]).toBeCloseTo(1 / 3, 12);
    expect(f.dominantFrequency[2]).toBeCloseTo(5 / 6, 12);
    // A bin exactly on the 1/3 edge belongs to the mid band.
    expect(f.lowEnergy).toBeCloseTo(1 / 3, 6);
    expect(f.midEnergy).toBeCloseTo(1 / 3, 6);
    expect(f.highEnergy).toBeCloseTo(1 / 3, 6);
  });

  it("keeps the peak and the band of a sinusoid under the Hann and Hamming windows", () => {
    // A window widens a line to its neighbour bins (Hann: ±1 bin at a quarter of the amplitude),
    // so most, not all, of the energy stays in the band.
    for (const window of ["hann", "hamming"] as const) {
      const f = features(stripes(16, 16, [2, 2, 2], "cols"), window); // ρ = 0.25: low band
      expect(f.dominantFrequency).toEqual([0.25, 0.25, 0.25]);
      expect(f.lowEnergy).toBeGreaterThan(0.8);
      const high = features(stripes(16, 16, [7, 7, 7], "rows"), window); // ρ = 0.875
      expect(high.dominantFrequency).toEqual([0.875, 0.875, 0.875]);
      expect(high.highEnergy).toBeGreaterThan(0.95);
    }
  });

  it("reports meanPsd as the variance of the layer-mean image (Parseval, window none)", () => {
    const t = noiseTensor(9, 7, 3, 5);
    const f = features(t, "none");
    const spectrum = computePowerSpectrum(t, { window: "none" });
    if (!spectrum.ok) throw spectrum.error;
    let variance = 0;
    for (let ch = 0; ch < 3; ch++) {
      const power = naivePower(t, ch);
      variance += power.reduce((a, b) => a + b, 0) / (63 * 63) / 3;
    }
    expect(f.meanPsd).toBeCloseTo(variance, 12);
    expect(f.meanPsd).toBeGreaterThan(0.005);
  });

  it("keeps every feature of a pattern when the canvas doubles (same pattern, twice as many cycles)", () => {
    // A texture defined per pixel (frequencies in cycles per pixel), drawn on n x n canvases.
    const pattern = (r: number, c: number, l: number, ch: number) =>
      0.5 +
      0.2 * Math.cos((2 * Math.PI * r) / 4 + ch) +
      0.1 * Math.sin((2 * Math.PI * 3 * c) / 8) +
      0.05 * Math.cos((2 * Math.PI * (r + c)) / 8 + l);
    const at = (n: number, window: "none" | "hann") => features(tensorFrom(n, n, 4, pattern), window);
    const close = (a: SpectralFeatures, b: SpectralFeatures, tolerance: number) => {
      expect(Math.abs(b.meanPsd / a.meanPsd - 1)).toBeLessThan(tolerance);
      expect(Math.abs(b.lowEnergy - a.lowEnergy)).toBeLessThan(tolerance);
      expect(Math.abs(b.midEnergy - a.midEnergy)).toBeLessThan(tolerance);
      expect(Math.abs(b.highEnergy - a.highEnergy)).toBeLessThan(tolerance);
      expect(Math.abs(b.entropy - a.entropy)).toBeLessThan(tolerance);
      expect(b.dominantFrequency).toEqual(a.dominantFrequency);
    };
    // Without a window the spectrum of the larger canvas is the smaller one's, bin for bin; only
    // the entropy's normaliser moves (ln 63 → ln 64 cells).
    close(at(8, "none"), at(16, "none"), 0.01);
    close(at(16, "none"), at(32, "none"), 1e-6);
    // A window widens every line by a fixed number of bins, which is a wide ρ range on 8 x 8
    // (±0.25) and a narrow one from 16 x 16 on: doubling from 16 keeps the features close.
    close(at(16, "hann"), at(32, "hann"), 0.06);
  });

  it("keeps meanPsd when every pixel is replicated 2x2 (the same image at twice the resolution)", () => {
    const base = noiseTensor(8, 8, 2, 11);
    const up = tensorFrom(16, 16, 2, (r, c, l, ch) => {
      const i = ((Math.floor(r / 2) * 8 + Math.floor(c / 2)) * 2 + l) * 3 + ch;
      return base.colors[i]!;
    });
    expect(features(up, "none").meanPsd).toBeCloseTo(features(base, "none").meanPsd, 12);
    // The raw |X|² sum grows 16x with this scaling; the reference's magnitudes did.
  });
});

describe("extractSpectralFeatures: invariants (property)", () => {
  it("stays finite and bounded for any colours in [0, 1], any size and window", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer(),
        fc.constantFrom("none", "hann", "hamming"),
        (rows, cols, layers, seed, window) => {
          const f = features(noiseTensor(rows, cols, layers, seed), window as "none");
          expect(f.entropy).toBeGreaterThanOrEqual(0);
          expect(f.entropy).toBeLessThanOrEqual(1);
          for (const d of f.dominantFrequency) {
            expect(d).toBeGreaterThanOrEqual(0);
            expect(d).toBeLessThanOrEqual(Math.SQRT2 + 1e-12);
          }
          const bandSum = f.lowEnergy + f.midEnergy + f.highEnergy;
          if (rows * cols > 1) expect(bandSum).toBeCloseTo(1, 9);
          else expect(bandSum).toBe(0);
          expect(f.meanPsd).toBeGreaterThanOrEqual(0);
          expect(f.meanPsd).toBeLessThanOrEqual(0.25);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("gives the same features for the same tensor twice (the cached plans hold no stale state)", () => {
    const a = noiseTensor(8, 8, 4, 1);
    const b = noiseTensor(10, 6, 4, 2);
    const first = features(a);
    features(b);
    expect(features(a)).toEqual(first);
  });
});

describe("extractSpectralFeatures: bad input", () => {
  it("rejects a NaN or infinite colour, naming its index", () => {
    const t = noiseTensor(4, 4, 2, 3);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const colors = Float32Array.from(t.colors);
      colors[17] = bad;
      const broken = ChromaticTensor.unsafeCreate(t.dims, colors, t.certainty);
      const r = extractSpectralFeatures(broken);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe("InvalidParameter");
        expect(r.error.message).toContain("tensor.colors[17]");
      }
    }
  });

  it("rejects a window it does not know, options that are not an object, and non-tensors", () => {
    const t = noiseTensor(4, 4, 1, 3);
    const badWindow = extractSpectralFeatures(t, { window: "blackman" as "hann" });
    expect(!badWindow.ok && badWindow.error.message).toContain("options.window");
    const badOptions = extractSpectralFeatures(t, 5 as unknown as { window: "hann" });
    expect(!badOptions.ok && badOptions.error.kind).toBe("InvalidParameter");
    for (const notTensor of [null, 42, {}, { rows: 2, cols: 2, layers: 1, colors: [1, 2] }]) {
      const r = extractSpectralFeatures(notTensor as unknown as ChromaticTensor);
      expect(r.ok).toBe(false);
    }
    const spectrumOfNothing = computePowerSpectrum(null as unknown as ChromaticTensor);
    expect(!spectrumOfNothing.ok && spectrumOfNothing.error.kind).toBe("InvalidParameter");
    const spectrumBadWindow = computePowerSpectrum(t, { window: "tukey" as "hann" });
    expect(!spectrumBadWindow.ok && spectrumBadWindow.error.message).toContain("options.window");
    const short = ChromaticTensor.unsafeCreate(
      { rows: 2, cols: 2, layers: 1 },
      new Float32Array(5),
      t.certainty,
    );
    const r = extractSpectralFeatures(short);
    expect(!r.ok && r.error.kind).toBe("DimensionMismatch");
  });
});
