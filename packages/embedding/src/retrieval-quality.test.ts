import { generateColorDataset } from "@dreampool/tensor";
import { describe, expect, it } from "vitest";
import { leaveOneOutPrecision, stripeTextures } from "../bench/retrieval-quality.js";
import { EmbeddingMapper, type EncodableEntry } from "./embedding-mapper.js";
import { QuerySignature } from "./query-signature.js";
import { extractSpectralFeatures } from "./spectral-features.js";

// Acceptance (issue 3): labelled colour dataset, 10 classes, 8x8x4, noise 0.1, 50 per class;
// leave-one-out cosine search over the entry embeddings; mean same-class precision@10.
describe("retrieval quality on the labelled colour dataset", () => {
  const dataset = generateColorDataset({
    samplesPerClass: 50,
    rows: 8,
    cols: 8,
    layers: 4,
    noise: 0.1,
    seed: 42,
  });
  if (!dataset.ok) throw dataset.error;
  const samples = dataset.value.samples;
  const labels = samples.map((s) => s.label);
  const mapper = EmbeddingMapper.create();
  if (!mapper.ok) throw mapper.error;
  const m = mapper.value;
  const entries: EncodableEntry[] = samples.map((s) => {
    const spectral = extractSpectralFeatures(s.tensor);
    if (!spectral.ok) throw spectral.error;
    return { chroma: s.tensor.meanRgb(), spectral: spectral.value, classLabel: s.label, utility: null };
  });
  const encodedEntries = m.encodeEntries(entries);
  if (!encodedEntries.ok) throw encodedEntries.error;

  const precisionFor = (make: (i: number) => ReturnType<typeof QuerySignature.fromChroma>): number => {
    const queries = samples.map((_, i) => {
      const q = make(i);
      if (!q.ok) throw q.error;
      return q.value;
    });
    const encoded = m.encodeQueries(queries);
    if (!encoded.ok) throw encoded.error;
    return leaveOneOutPrecision(encodedEntries.value, encoded.value, labels, m.dim, 10);
  };

  it("has 500 samples, 50 per class", () => {
    expect(samples.length).toBe(500);
    expect(new Set(labels).size).toBe(10);
  });

  it("reaches precision@10 >= 0.95 for fromTensor queries", () => {
    expect(precisionFor((i) => QuerySignature.fromTensor(samples[i]!.tensor))).toBeGreaterThanOrEqual(0.95);
  });

  it("reaches precision@10 >= 0.90 for fromChroma queries", () => {
    expect(
      precisionFor((i) => QuerySignature.fromChroma(samples[i]!.tensor.meanRgb())),
    ).toBeGreaterThanOrEqual(0.9);
  });

  it("reaches precision@10 >= 0.95 for class-hinted queries", () => {
    expect(
      precisionFor((i) => QuerySignature.withClass(samples[i]!.tensor.meanRgb(), samples[i]!.label)),
    ).toBeGreaterThanOrEqual(0.95);
  });
});

describe("the spectral group tells textures apart when colours agree", () => {
  const { tensors, labels } = stripeTextures(40, 7);

  const precision = (options: { include?: { spectral?: boolean } }): number => {
    const m = EmbeddingMapper.create(options);
    if (!m.ok) throw m.error;
    const entries = m.value.encodeEntries(
      tensors.map((t) => {
        const spectral = extractSpectralFeatures(t);
        if (!spectral.ok) throw spectral.error;
        return { chroma: t.meanRgb(), spectral: spectral.value, classLabel: null, utility: null };
      }),
    );
    const queries = m.value.encodeQueries(
      tensors.map((t) => {
        const q = QuerySignature.fromTensor(t);
        if (!q.ok) throw q.error;
        return q.value;
      }),
    );
    if (!entries.ok || !queries.ok) throw new Error("encoding failed");
    return leaveOneOutPrecision(entries.value, queries.value, labels, m.value.dim, 5);
  };

  it("finds the same texture with spectral features, and cannot without them", () => {
    expect(precision({})).toBeGreaterThanOrEqual(0.95);
    expect(precision({ include: { spectral: false } })).toBeLessThan(0.75);
  });
});
