import { generateColorDataset } from "@dreampool/tensor";
import { EmbeddingMapper, extractSpectralFeatures } from "../src/index.js";

for (const n of [8, 32]) {
  const ds = generateColorDataset({ samplesPerClass: 20, rows: n, cols: n, layers: 4, noise: 0.1, seed: 1 });
  if (!ds.ok) throw ds.error;
  const ts = ds.value.samples.map((s) => s.tensor);
  const m = EmbeddingMapper.create();
  if (!m.ok) throw m.error;
  const run = () => {
    for (const t of ts) {
      const f = extractSpectralFeatures(t);
      if (!f.ok) throw 1;
      const e = m.value.encodeEntry({
        chroma: t.meanRgb(),
        spectral: f.value,
        classLabel: null,
        utility: null,
      });
      if (!e.ok) throw 2;
    }
  };
  const runX = () => {
    for (const t of ts) {
      const f = extractSpectralFeatures(t);
      if (!f.ok) throw 1;
    }
  };
  for (let i = 0; i < 200; i++) run();
  for (const [name, fn] of [
    ["extract+encode", run],
    ["extract", runX],
  ] as const) {
    const it = n === 8 ? 500 : 50;
    const t0 = performance.now();
    for (let i = 0; i < it; i++) fn();
    const ms = performance.now() - t0;
    console.log(n, name, (((it * ts.length) / ms) * 1000).toFixed(0), "entries/s");
  }
}
