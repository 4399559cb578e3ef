import { ChromaticTensor, type ColorClass, type Rgb } from "@dreampool/tensor";
import { describe, expect, it } from "vitest";
import { QuerySignature } from "./query-signature.js";
import { extractSpectralFeatures, type SpectralFeatures } from "./spectral-features.js";
import { noiseTensor } from "./test-tensors.fixture.js";

describe("QuerySignature helpers", () => {
  it("fromChroma copies the colour and leaves every other group empty", () => {
    const rgb: [number, number, number] = [0.2, 0.4, 0.6];
    const q = QuerySignature.fromChroma(rgb);
    expect(q).toEqual({
      ok: true,
      value: { chroma: [0.2, 0.4, 0.6], classHint: null, spectral: null, utilityPrior: null },
    });
    rgb[0] = 1;
    expect(q.ok && q.value.chroma[0]).toBe(0.2);
  });

  it("withClass adds the class hint", () => {
    const q = QuerySignature.withClass([1, 0.5, 0], "Orange");
    expect(q.ok && q.value.classHint).toBe("Orange");
    expect(q.ok && q.value.spectral).toBe(null);
  });

  it("fromTensor computes the mean colour and the spectral features with the chosen window", () => {
    const t = noiseTensor(8, 6, 3, 21);
    const q = QuerySignature.fromTensor(t, { classHint: "Blue", utilityPrior: 0.5, window: "hamming" });
    if (!q.ok) throw q.error;
    expect(q.value.chroma).toEqual(t.meanRgb());
    expect(q.value.classHint).toBe("Blue");
    expect(q.value.utilityPrior).toBe(0.5);
    const hamming = extractSpectralFeatures(t, { window: "hamming" });
    expect(hamming.ok && q.value.spectral).toEqual(hamming.ok && hamming.value);
    const plain = QuerySignature.fromTensor(t);
    const hann = extractSpectralFeatures(t);
    expect(plain.ok && plain.value.spectral).toEqual(hann.ok && hann.value);
    expect(plain.ok && plain.value.classHint).toBe(null);
  });

  it("create validates a hand-built signature", () => {
    const spectral = extractSpectralFeatures(noiseTensor(4, 4, 1, 2));
    if (!spectral.ok) throw spectral.error;
    const q = QuerySignature.create({
      chroma: [0.1, 0.2, 0.3],
      spectral: spectral.value,
      utilityPrior: -0.5,
    });
    expect(q.ok && q.value.utilityPrior).toBe(-0.5);
    expect(q.ok && q.value.classHint).toBe(null);
  });
});

describe("QuerySignature: bad input", () => {
  it("rejects NaN or wrong-length colours, unknown classes and out-of-range priors", () => {
    const cases: [ReturnType<typeof QuerySignature.fromChroma>, string, string][] = [
      [QuerySignature.fromChroma([0, Number.NaN, 0]), "InvalidParameter", "rgb[1]"],
      [QuerySignature.fromChroma([0, 0] as unknown as Rgb), "DimensionMismatch", "rgb"],
      [QuerySignature.fromChroma(null as unknown as Rgb), "InvalidParameter", "rgb"],
      [QuerySignature.withClass([0, 0, 0], "Teal" as ColorClass), "InvalidParameter", "cls"],
      [QuerySignature.withClass([0, 0, Number.NaN], "Red"), "InvalidParameter", "rgb[2]"],
      [
        QuerySignature.fromTensor(noiseTensor(2, 2, 1, 1), { utilityPrior: 3 }),
        "InvalidParameter",
        "options.utilityPrior",
      ],
      [
        QuerySignature.fromTensor(noiseTensor(2, 2, 1, 1), { classHint: "Teal" as ColorClass }),
        "InvalidParameter",
        "options.classHint",
      ],
      [
        QuerySignature.fromTensor(noiseTensor(2, 2, 1, 1), { window: "kaiser" as "hann" }),
        "InvalidParameter",
        "options.window",
      ],
      [
        QuerySignature.create({ chroma: [0, 0, 0], spectral: { entropy: 1 } as SpectralFeatures }),
        "InvalidParameter",
        "query.spectral.lowEnergy",
      ],
    ];
    for (const [r, kind, name] of cases) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe(kind);
        expect(r.error.message).toContain(name);
      }
    }
  });

  it("rejects a tensor holding NaN", () => {
    const t = noiseTensor(3, 3, 2, 4);
    const colors = Float32Array.from(t.colors);
    colors[0] = Number.NaN;
    const r = QuerySignature.fromTensor(ChromaticTensor.unsafeCreate(t.dims, colors, t.certainty));
    expect(!r.ok && r.error.message).toContain("tensor.colors[0]");
  });
});
