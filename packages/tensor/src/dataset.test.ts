import { unwrap } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChromaticTensor } from "./chromatic-tensor.js";
import { COLOR_CLASSES, type ColorClass, colorClassRgb } from "./color-class.js";
import { ColorDataset, type ColorDatasetOptions, generateColorDataset } from "./dataset.js";
import { generatePrimaryColorDataset, type PrimaryDatasetOptions } from "./primary-dataset.js";
import { expectErr } from "./test-support/arbitraries.js";

const small: ColorDatasetOptions = {
  samplesPerClass: 10,
  rows: 8,
  cols: 8,
  layers: 2,
  noise: 0.05,
  seed: 42,
};

describe("generateColorDataset (reference §1.3, §3.3)", () => {
  it("makes samplesPerClass samples for every class, shuffled", () => {
    const ds = unwrap(generateColorDataset(small));
    expect(ds.size).toBe(100);
    const counts = ds.classCounts();
    for (const c of COLOR_CLASSES) expect(counts[c]).toBe(10);
    expect(ds.samples.some((s) => s.label === "Red")).toBe(true);
    expect(ds.samples.some((s) => s.label === "Blue")).toBe(true);
    // Shuffled: the samples are not in class blocks.
    const runs = ds.samples.filter((s, i) => i > 0 && s.label !== ds.samples[i - 1]!.label).length;
    expect(runs).toBeGreaterThan(50);
  });

  it("puts every channel within noise of the class colour, clamped to [0, 1], certainty in [0.5, 1]", () => {
    const ds = unwrap(generateColorDataset({ ...small, noise: 0.2 }));
    for (const { tensor, label } of ds.samples) {
      const base = colorClassRgb(label);
      expect(tensor.shape).toEqual([8, 8, 2, 3]);
      let worst = 0;
      tensor.colors.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - base[i % 3]!));
      });
      expect(worst).toBeLessThanOrEqual(0.2 + 1e-6);
      expect(tensor.colors.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(tensor.certainty.every((k) => k >= 0.5 && k <= 1)).toBe(true);
      // The noise is real: the mean is near the base colour but the values spread.
      expect(tensor.statistics().variance).toBeGreaterThan(1e-4);
      const mean = tensor.meanRgb();
      for (let ch = 0; ch < 3; ch++) expect(Math.abs(mean[ch]! - base[ch]!)).toBeLessThan(0.12);
    }
  });

  it("is deterministic per seed and different across seeds", () => {
    const a = unwrap(generateColorDataset(small));
    const b = unwrap(generateColorDataset(small));
    expect(a.samples.map((s) => s.label)).toEqual(b.samples.map((s) => s.label));
    a.samples.forEach((s, i) => {
      expect(s.tensor.colors).toEqual(b.samples[i]!.tensor.colors);
    });
    const c = unwrap(generateColorDataset({ ...small, seed: 43 }));
    expect(c.samples.map((s) => s.label)).not.toEqual(a.samples.map((s) => s.label));
  });

  it("generates only the requested classes", () => {
    const classes: ColorClass[] = ["Orange", "Purple", "Black"];
    const ds = unwrap(generateColorDataset({ ...small, samplesPerClass: 4, classes }));
    expect(ds.size).toBe(12);
    expect(new Set(ds.samples.map((s) => s.label))).toEqual(new Set(classes));
  });

  it("uses the reference's defaults (100 per class, 16x16x4)", () => {
    const ds = unwrap(generateColorDataset({ samplesPerClass: 1 }));
    expect(ds.size).toBe(10);
    expect(ds.samples[0]!.tensor.shape).toEqual([16, 16, 4, 3]);
  });
});

describe("ColorDataset split and batches", () => {
  const ds = unwrap(generateColorDataset(small));

  it("splits at floor(size · ratio), keeping order", () => {
    const [train, validation] = unwrap(ds.split(0.8));
    expect(train.size).toBe(80);
    expect(validation.size).toBe(20);
    expect([...train.samples, ...validation.samples]).toEqual(ds.samples);
    expect(unwrap(ds.split(0.29))[0].size).toBe(29);
    expect(unwrap(ds.split(0))[0].size).toBe(0);
    expect(unwrap(ds.split(1))[1].size).toBe(0);
  });

  it("batches: 50 samples in batches of 10 → 5 full batches; a remainder gives a short last batch", () => {
    const fifty = unwrap(generateColorDataset({ ...small, samplesPerClass: 5 }));
    expect(fifty.size).toBe(50);
    expect(unwrap(fifty.numBatches(10))).toBe(5);
    expect(unwrap(fifty.batch(10, 0))).toHaveLength(10);
    expect(unwrap(fifty.numBatches(7))).toBe(8);
    expect(unwrap(fifty.batch(7, 7))).toHaveLength(1);
  });

  it("batches cover the dataset exactly once, in order (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), (size) => {
        const n = unwrap(ds.numBatches(size));
        const all = Array.from({ length: n }, (_, i) => unwrap(ds.batch(size, i))).flat();
        expect(all).toEqual(ds.samples);
      }),
      { numRuns: 40 },
    );
  });

  it("rejects bad ratios, batch sizes and indices with InvalidParameter", () => {
    for (const ratio of [Number.NaN, -0.1, 1.01, Number.POSITIVE_INFINITY]) {
      expect(expectErr(ds.split(ratio), "InvalidParameter").detail).toMatchObject({ parameter: "ratio" });
    }
    for (const size of [0, -1, 2.5, Number.NaN]) {
      expect(expectErr(ds.numBatches(size), "InvalidParameter").detail).toMatchObject({
        parameter: "batchSize",
      });
      expectErr(ds.batch(size, 0), "InvalidParameter");
    }
    for (const index of [-1, 10, 0.5, Number.NaN]) {
      expect(expectErr(ds.batch(10, index), "InvalidParameter").detail).toMatchObject({ parameter: "index" });
    }
    const [, empty] = unwrap(ds.split(1));
    expect(unwrap(empty.numBatches(4))).toBe(0);
    expect(expectErr(empty.batch(4, 0), "InvalidParameter").message).toContain("empty");
  });

  it("fromSamples checks every sample", () => {
    const t = unwrap(ChromaticTensor.zeros(2, 2, 1));
    expect(unwrap(ColorDataset.fromSamples([{ tensor: t, label: "Cyan" }])).classCounts().Cyan).toBe(1);
    expectErr(ColorDataset.fromSamples([{ tensor: t, label: "Teal" as ColorClass }]), "InvalidParameter");
    expectErr(
      ColorDataset.fromSamples([{ tensor: {} as ChromaticTensor, label: "Red" }]),
      "InvalidParameter",
    );
    expectErr(
      ColorDataset.fromSamples([null as unknown as { tensor: ChromaticTensor; label: ColorClass }]),
      "InvalidParameter",
    );
    expectErr(ColorDataset.fromSamples("x" as unknown as []), "InvalidParameter");
  });
});

describe("generateColorDataset: bad options", () => {
  it("names the offending option (InvalidParameter)", () => {
    const cases: [ColorDatasetOptions, string][] = [
      [{ ...small, samplesPerClass: 0 }, "samplesPerClass"],
      [{ ...small, samplesPerClass: -3 }, "samplesPerClass"],
      [{ ...small, samplesPerClass: 1.5 }, "samplesPerClass"],
      [{ ...small, samplesPerClass: Number.NaN }, "samplesPerClass"],
      [{ ...small, rows: 0 }, "rows"],
      [{ ...small, cols: 2.5 }, "cols"],
      [{ ...small, layers: Number.POSITIVE_INFINITY }, "layers"],
      [{ ...small, noise: Number.NaN }, "noise"],
      [{ ...small, noise: -0.1 }, "noise"],
      [{ ...small, noise: Number.POSITIVE_INFINITY }, "noise"],
      [{ ...small, seed: 1.5 }, "seed"],
      [{ ...small, classes: [] }, "classes"],
      [{ ...small, classes: ["Red", "Teal" as ColorClass] }, "classes[1]"],
      [{ ...small, classes: ["Red", "Blue", "Red"] }, "classes[2]"],
      [
        { ...small, samplesPerClass: 1000, rows: 64, cols: 64, layers: 4 },
        "samplesPerClass*classes*rows*cols*layers",
      ],
    ];
    for (const [options, parameter] of cases) {
      const e = expectErr(generateColorDataset(options), "InvalidParameter");
      expect(e.detail).toMatchObject({ parameter });
    }
    expectErr(generateColorDataset(null as unknown as ColorDatasetOptions), "InvalidParameter");
  });
});

describe("generatePrimaryColorDataset (reference §3.3)", () => {
  it("makes three primary classes: 10/class at 8x8x2 → 30 patterns, counts 10/10/10, split 24/6", () => {
    const ds = unwrap(
      generatePrimaryColorDataset({ samplesPerClass: 10, rows: 8, cols: 8, layers: 2, seed: 42 }),
    );
    expect(ds.size).toBe(30);
    const counts = ds.classCounts();
    expect([counts.Red, counts.Green, counts.Blue]).toEqual([10, 10, 10]);
    const [train, validation] = unwrap(ds.split(0.8));
    expect([train.size, validation.size]).toEqual([24, 6]);
  });

  it("gives every pattern a dominant channel matching its label, over a real background", () => {
    const ds = unwrap(
      generatePrimaryColorDataset({ samplesPerClass: 5, rows: 8, cols: 8, layers: 2, seed: 3 }),
    );
    const dominant = { Red: 0, Green: 1, Blue: 2 } as Record<string, number>;
    for (const { tensor, label } of ds.samples) {
      const mean = tensor.meanRgb();
      const d = dominant[label]!;
      for (let ch = 0; ch < 3; ch++) if (ch !== d) expect(mean[d]!).toBeGreaterThan(mean[ch]! + 0.3);
      expect(tensor.statistics().variance).toBeGreaterThan(5e-4); // at least the noise's (0.05²/3)
    }
  });

  it("is deterministic per seed and validates its options", () => {
    const a = unwrap(
      generatePrimaryColorDataset({ samplesPerClass: 2, rows: 3, cols: 3, layers: 1, seed: 9 }),
    );
    const b = unwrap(
      generatePrimaryColorDataset({ samplesPerClass: 2, rows: 3, cols: 3, layers: 1, seed: 9 }),
    );
    a.samples.forEach((s, i) => {
      expect(s.tensor.colors).toEqual(b.samples[i]!.tensor.colors);
    });
    expect(
      expectErr(generatePrimaryColorDataset({ samplesPerClass: 0 }), "InvalidParameter").detail,
    ).toMatchObject({
      parameter: "samplesPerClass",
    });
    expectErr(generatePrimaryColorDataset({ noise: Number.NaN }), "InvalidParameter");
    expectErr(generatePrimaryColorDataset({ rows: -1 }), "InvalidParameter");
    expectErr(generatePrimaryColorDataset(null as unknown as PrimaryDatasetOptions), "InvalidParameter");
  });
});
