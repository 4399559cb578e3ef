// Throughput of the native solver (with and without gradient) and of the two serialisation forms.
// Paired rounds (bench-kit comparePaired): contenders alternate, ratios are per round, so a noisy
// machine slows both sides alike.
import { pathToFileURL } from "node:url";
import { comparePaired, isQuick, type Spread, SuiteRecorder } from "@dreampool/bench-kit";
import { unwrap } from "@dreampool/errors";
import {
  ChromaticNativeSolver,
  type ChromaticTensor,
  generateColorDataset,
  tensorFromBytes,
  tensorFromJSON,
  tensorToBytes,
  tensorToJSON,
} from "../src/index.js";

/** ms/op → op/s (inverting swaps the extremes and the quartiles). */
function perSecond(ms: Spread): Spread {
  return {
    median: 1000 / ms.median,
    p25: 1000 / ms.p75,
    p75: 1000 / ms.p25,
    min: 1000 / ms.max,
    max: 1000 / ms.min,
    samples: ms.samples,
  };
}

/**
 * Labelled tensors of one shape (noisy class colours: realistic solver input), about 80k cells in
 * all whatever the shape: cycling through a few small tensors would let the CPU's branch predictor
 * learn the data and flatter the small size.
 */
function tensors(rows: number, cols: number, layers: number): ChromaticTensor[] {
  const samplesPerClass = Math.max(2, Math.round(80_000 / (10 * rows * cols * layers)));
  const ds = unwrap(generateColorDataset({ samplesPerClass, rows, cols, layers, noise: 0.15, seed: 7 }));
  return ds.samples.map((s) => s.tensor);
}

export async function run(): Promise<void> {
  const quick = isQuick();
  const timing = quick ? { rounds: 3, timeMs: 40 } : { rounds: 7, timeMs: 300 };
  const rec = new SuiteRecorder("tensor");
  const solver = unwrap(ChromaticNativeSolver.create());
  const shapes: [number, number, number][] = [
    [8, 8, 4],
    [32, 32, 4],
  ];

  for (const [rows, cols, layers] of shapes) {
    const scenario = `solver evaluate, ${rows}x${cols}x${layers}`;
    rec.section(scenario);
    const inputs = tensors(rows, cols, layers);
    let sink = 0;
    const [plain, withGrad] = await comparePaired(
      [
        {
          name: "without grad",
          opsPerCall: inputs.length,
          run: () => {
            for (const t of inputs) sink += unwrap(solver.evaluate(t, false)).energy;
          },
        },
        {
          name: "with grad",
          opsPerCall: inputs.length,
          run: () => {
            for (const t of inputs) sink += unwrap(solver.evaluate(t, true)).grad!.length;
          },
        },
      ],
      timing,
    );
    if (!Number.isFinite(sink)) throw new Error("solver produced a non-finite energy");
    rec.add({ scenario, subject: "evaluate(t, false)", unit: "evals/s", value: perSecond(plain!.msPerOp) });
    rec.add({
      scenario,
      subject: "evaluate(t, true)",
      unit: "evals/s",
      value: perSecond(withGrad!.msPerOp),
      comparison: {
        baseline: "evaluate(t, false)",
        meaning: "x the time",
        ratio: withGrad!.ratioToReference.median,
        // The gradient rides on the energy pass: it should cost well under one more evaluation.
        target: { op: "<=", value: 2 },
      },
    });
  }

  for (const [rows, cols, layers] of shapes) {
    const scenario = `serialisation round trip, ${rows}x${cols}x${layers}`;
    rec.section(scenario);
    const t = tensors(rows, cols, layers)[0]!;
    let sink = 0;
    const [binary, json] = await comparePaired(
      [
        {
          name: "binary",
          run: () => {
            sink += unwrap(tensorFromBytes(tensorToBytes(t))).cells;
          },
        },
        {
          name: "json",
          run: () => {
            sink += unwrap(tensorFromJSON(JSON.stringify(tensorToJSON(t)))).cells;
          },
        },
      ],
      timing,
    );
    if (sink <= 0) throw new Error("round trip produced no cells");
    const bytes = tensorToBytes(t).length;
    rec.add({
      scenario,
      subject: "JSON text (tensorToJSON + stringify/parse)",
      unit: "round trips/s",
      value: perSecond(json!.msPerOp),
    });
    rec.add({
      scenario,
      subject: `tensorToBytes + tensorFromBytes (${bytes} B)`,
      unit: "round trips/s",
      value: perSecond(binary!.msPerOp),
      comparison: {
        baseline: "JSON text round trip",
        meaning: "x faster",
        ratio: json!.ratioToReference.median,
        target: { op: ">=", value: 10 },
      },
    });
  }
  rec.write();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await run();
}
