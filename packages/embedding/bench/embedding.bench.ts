// In-package benchmark of @dreampool/embedding (suite "embedding"): spectral extraction and encoding
// throughput for 8x8x4 and 32x32x4 tensors against the reference's scheme (reimplemented in
// ./reference-scheme.ts), the effect of caching spectral features, and retrieval precision@10 of
// both schemes on the labelled colour dataset.
import { fileURLToPath } from "node:url";
import { comparePaired, isQuick, type PairedResult, SuiteRecorder, spread } from "@dreampool/bench-kit";
import { unwrap } from "@dreampool/errors";
import { type ChromaticTensor, type ColorSample, generateColorDataset } from "@dreampool/tensor";
import { EmbeddingMapper, type EncodableEntry, extractSpectralFeatures } from "../src/index.js";
import { dftSection } from "./dft-strategies.js";
import { qualitySection, textureSection } from "./quality-figures.js";
import { referenceEncode, referenceSpectral } from "./reference-scheme.js";

const SEED = 20251125;
const DIM = 64;
/** Issue 3: extraction + encode of 8x8x4 tensors on one core. */
const TARGET_ENTRIES_PER_SECOND = 50_000;

const perSecond = (r: PairedResult) => {
  const s = r.msPerOp;
  return {
    ...s,
    median: 1000 / s.median,
    p25: 1000 / s.p75,
    p75: 1000 / s.p25,
    min: 1000 / s.max,
    max: 1000 / s.min,
  };
};

const samplesOf = (size: number, perClass: number, seed: number): readonly ColorSample[] =>
  unwrap(
    generateColorDataset({ samplesPerClass: perClass, rows: size, cols: size, layers: 4, noise: 0.1, seed }),
  ).samples;

/** Entries per CPU-second of a loop: insensitive to other processes sharing the machine. */
function entriesPerCpuSecond(run: () => void, entries: number, repeats: number): number {
  run();
  const start = process.cpuUsage();
  for (let i = 0; i < repeats; i++) run();
  const used = process.cpuUsage(start);
  return (entries * repeats) / ((used.user + used.system) / 1e6);
}

export async function run(): Promise<void> {
  const quick = isQuick();
  const recorder = new SuiteRecorder("embedding");
  const rounds = quick ? 3 : 7;
  const timeMs = quick ? 30 : 200;
  const mapper = unwrap(EmbeddingMapper.create({ dim: DIM }));
  const out = new Float32Array(DIM);

  for (const size of [8, 32]) {
    // Short passes (about half a millisecond): on a shared machine a pass that is descheduled is an
    // outlier the median ignores, while long passes are almost all hit.
    const perPass = size === 8 ? 30 : 3;
    const tensors: ChromaticTensor[] = samplesOf(size, 3, SEED + size)
      .slice(0, perPass)
      .map((s) => s.tensor);
    const title = `spectral extraction + encode, ${size}x${size}x4, d=${DIM}, ${tensors.length} tensors per pass`;
    recorder.section(title);
    const reference = () => {
      for (const t of tensors) referenceEncode(t.meanRgb(), referenceSpectral(t), null, DIM, out, 0);
    };
    const extract = () => {
      for (const t of tensors) unwrap(extractSpectralFeatures(t));
    };
    const extractAndEncode = () => {
      for (const t of tensors) {
        const spectral = unwrap(extractSpectralFeatures(t));
        unwrap(mapper.encodeEntry({ chroma: t.meanRgb(), spectral, classLabel: null, utility: null }));
      }
    };
    const results = await comparePaired(
      [
        { name: "reference", run: reference, opsPerCall: tensors.length },
        { name: "extract", run: extract, opsPerCall: tensors.length },
        { name: "extract+encode", run: extractAndEncode, opsPerCall: tensors.length },
      ],
      { rounds, timeMs },
    );
    const [ref, ours, both] = results as [PairedResult, PairedResult, PairedResult];
    const baseline = "reference scheme (JS port: unnormalised FFT + cyclic repetition)";
    recorder.add({ scenario: title, subject: baseline, unit: "entries/s", value: perSecond(ref) });
    recorder.add({
      scenario: title,
      subject: "extractSpectralFeatures",
      unit: "entries/s",
      value: perSecond(ours),
      comparison: { baseline, meaning: "x faster", ratio: 1 / ours.ratioToReference.median },
    });
    const bothFigure = recorder.add({
      scenario: title,
      subject: "extractSpectralFeatures + encodeEntry",
      unit: "entries/s",
      value: perSecond(both),
      comparison: { baseline, meaning: "x faster", ratio: 1 / both.ratioToReference.median },
    });
    if (size === 8) {
      recorder.add({
        scenario: title,
        subject: "extract + encode against the issue's target (wall clock)",
        unit: "entries/s",
        value: bothFigure.value,
        comparison: {
          baseline: `${TARGET_ENTRIES_PER_SECOND} entries/s`,
          meaning: "x the target",
          ratio: bothFigure.value.median / TARGET_ENTRIES_PER_SECOND,
          target: { op: ">=", value: 1 },
        },
      });
      const cpu = entriesPerCpuSecond(extractAndEncode, tensors.length, quick ? 500 : 5000);
      recorder.add({
        scenario: title,
        subject: "extract + encode per CPU-second (one core)",
        unit: "entries/s",
        value: spread([cpu]),
        comparison: {
          baseline: `${TARGET_ENTRIES_PER_SECOND} entries/s`,
          meaning: "x the target",
          ratio: cpu / TARGET_ENTRIES_PER_SECOND,
          target: { op: ">=", value: 1 },
        },
      });
    }
  }

  // The seed claimed that caching spectral features makes encoding 15% faster (reference.md §4).
  const cacheTitle = `encodeEntry, 8x8x4, d=${DIM}: spectral features precomputed vs recomputed`;
  recorder.section(cacheTitle);
  const tensors = samplesOf(8, 3, SEED + 1).map((s) => s.tensor);
  const cached: EncodableEntry[] = tensors.map((t) => ({
    chroma: t.meanRgb(),
    spectral: unwrap(extractSpectralFeatures(t)),
    classLabel: null,
    utility: null,
  }));
  const recompute = () => {
    for (const t of tensors) {
      const spectral = unwrap(extractSpectralFeatures(t));
      unwrap(mapper.encodeEntry({ chroma: t.meanRgb(), spectral, classLabel: null, utility: null }));
    }
  };
  const reuse = () => {
    for (const e of cached) unwrap(mapper.encodeEntry(e));
  };
  const caching = await comparePaired(
    [
      { name: "recomputed", run: recompute, opsPerCall: tensors.length },
      { name: "precomputed", run: reuse, opsPerCall: tensors.length },
    ],
    { rounds, timeMs },
  );
  const [recomputed, precomputed] = caching as [PairedResult, PairedResult];
  recorder.add({
    scenario: cacheTitle,
    subject: "encodeEntry, features recomputed each time",
    unit: "entries/s",
    value: perSecond(recomputed),
  });
  recorder.add({
    scenario: cacheTitle,
    subject: "encodeEntry, features precomputed (wall clock)",
    unit: "entries/s",
    value: perSecond(precomputed),
    comparison: {
      baseline: "recomputing the features on every encode",
      meaning: "x faster",
      ratio: 1 / precomputed.ratioToReference.median,
    },
  });
  // Wall-clock ratios between a short and a long loop drift when other processes share the CPU;
  // CPU time does not, so the figure that checks the seed's claim is measured that way.
  const repeats = quick ? 500 : 5000;
  const cpuRecomputed = entriesPerCpuSecond(recompute, tensors.length, repeats);
  const cpuPrecomputed = entriesPerCpuSecond(reuse, tensors.length, repeats * 5);
  recorder.add({
    scenario: cacheTitle,
    subject: "encodeEntry, features recomputed, per CPU-second",
    unit: "entries/s",
    value: spread([cpuRecomputed]),
  });
  recorder.add({
    scenario: cacheTitle,
    subject: "encodeEntry with cached (precomputed) spectral features, per CPU-second",
    unit: "entries/s",
    value: spread([cpuPrecomputed]),
    comparison: {
      baseline: "recomputing the features on every encode (CPU time)",
      meaning: "x faster",
      ratio: cpuPrecomputed / cpuRecomputed,
      target: { op: ">=", value: 1.15 },
    },
  });

  await dftSection(recorder, { rounds, timeMs: quick ? 30 : 100 });
  qualitySection(recorder);
  textureSection(recorder);
  recorder.write();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
