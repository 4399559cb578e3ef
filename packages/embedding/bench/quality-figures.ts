// Retrieval-quality figures of the "embedding" suite: precision of our scheme and of the reference's.
import { type SuiteRecorder, spread } from "@dreampool/bench-kit";
import { unwrap } from "@dreampool/errors";
import { generateColorDataset } from "@dreampool/tensor";
import { EmbeddingMapper, extractSpectralFeatures, QuerySignature } from "../src/index.js";
import { referenceEncode, referenceSpectral } from "./reference-scheme.js";
import { leaveOneOutPrecision, stripeTextures } from "./retrieval-quality.js";

const DIM = 64;

/** Leave-one-out precision@10 on the labelled dataset: ours and the reference's scheme. */
export function qualitySection(recorder: SuiteRecorder): void {
  const title = "leave-one-out precision@10, 10 classes x 50, 8x8x4, noise 0.1 (deterministic)";
  recorder.section(title);
  const samples = unwrap(
    generateColorDataset({ samplesPerClass: 50, rows: 8, cols: 8, layers: 4, noise: 0.1, seed: 42 }),
  ).samples;
  const labels = samples.map((s) => s.label);
  const n = samples.length;
  const mapper = unwrap(EmbeddingMapper.create({ dim: DIM }));
  const entries = unwrap(
    mapper.encodeEntries(
      samples.map((s) => ({
        chroma: s.tensor.meanRgb(),
        spectral: unwrap(extractSpectralFeatures(s.tensor)),
        classLabel: s.label,
        utility: null,
      })),
    ),
  );
  const ours = (queries: QuerySignature[]) =>
    leaveOneOutPrecision(entries, unwrap(mapper.encodeQueries(queries)), labels, DIM, 10);
  const fromTensor = ours(samples.map((s) => unwrap(QuerySignature.fromTensor(s.tensor))));
  const fromChroma = ours(samples.map((s) => unwrap(QuerySignature.fromChroma(s.tensor.meanRgb()))));

  const refSpectral = samples.map((s) => referenceSpectral(s.tensor));
  const refEntries = new Float32Array(n * DIM);
  const refTensorQueries = new Float32Array(n * DIM);
  const refChromaQueries = new Float32Array(n * DIM);
  samples.forEach((s, i) => {
    const chroma = s.tensor.meanRgb();
    referenceEncode(chroma, refSpectral[i]!, s.label, DIM, refEntries, i * DIM);
    referenceEncode(chroma, refSpectral[i]!, null, DIM, refTensorQueries, i * DIM);
    referenceEncode(chroma, null, null, DIM, refChromaQueries, i * DIM);
  });
  const refTensor = leaveOneOutPrecision(refEntries, refTensorQueries, labels, DIM, 10);
  const refChroma = leaveOneOutPrecision(refEntries, refChromaQueries, labels, DIM, 10);

  for (const [kind, value, refValue, threshold] of [
    ["tensor queries (mean colour + spectrum)", fromTensor, refTensor, 0.95],
    ["colour-only queries", fromChroma, refChroma, 0.9],
  ] as const) {
    recorder.add({
      scenario: title,
      subject: `reference scheme, ${kind}`,
      unit: "precision@10",
      value: spread([refValue]),
    });
    recorder.add({
      scenario: title,
      subject: `EmbeddingMapper, ${kind} (acceptance >= ${threshold})`,
      unit: "precision@10",
      value: spread([value]),
      comparison: {
        baseline: "reference scheme",
        meaning: "x the reference's precision",
        ratio: value / refValue,
      },
    });
  }
}

/** Precision@5 on two same-colour stripe textures: what the spectral group adds. */
export function textureSection(recorder: SuiteRecorder): void {
  const title = "leave-one-out precision@5, two stripe textures of the same mean colour, 8x8x4, 40 tensors";
  recorder.section(title);
  const { tensors, labels } = stripeTextures(40, 7);
  const spectra = tensors.map((t) => unwrap(extractSpectralFeatures(t)));
  const ours = (include: { spectral: boolean }) => {
    const m = unwrap(EmbeddingMapper.create({ dim: DIM, include }));
    const entries = unwrap(
      m.encodeEntries(
        tensors.map((t, i) => ({
          chroma: t.meanRgb(),
          spectral: spectra[i]!,
          classLabel: null,
          utility: null,
        })),
      ),
    );
    const queries = unwrap(m.encodeQueries(tensors.map((t) => unwrap(QuerySignature.fromTensor(t)))));
    return leaveOneOutPrecision(entries, queries, labels, DIM, 5);
  };
  const refEntries = new Float32Array(tensors.length * DIM);
  tensors.forEach((t, i) => {
    referenceEncode(t.meanRgb(), referenceSpectral(t), null, DIM, refEntries, i * DIM);
  });
  const reference = leaveOneOutPrecision(refEntries, refEntries, labels, DIM, 5);
  const withSpectral = ours({ spectral: true });
  const withoutSpectral = ours({ spectral: false });
  recorder.add({
    scenario: title,
    subject: "reference scheme, tensor queries",
    unit: "precision@5",
    value: spread([reference]),
  });
  recorder.add({
    scenario: title,
    subject: "EmbeddingMapper without the spectral group",
    unit: "precision@5",
    value: spread([withoutSpectral]),
  });
  recorder.add({
    scenario: title,
    subject: "EmbeddingMapper, tensor queries",
    unit: "precision@5",
    value: spread([withSpectral]),
    comparison: {
      baseline: "reference scheme",
      meaning: "x the reference's precision",
      ratio: withSpectral / reference,
    },
  });
}
