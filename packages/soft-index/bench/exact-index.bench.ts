// In-package benchmark of @dreampool/soft-index (suite "soft-index"): the scan kernel against the
// classic one-row 4-way unrolled dot it replaced, search cost per metric and with a filter, and
// insert / snapshot throughput. Peer comparisons live in benchmarks/src/exact-index.bench.ts.
import { fileURLToPath } from "node:url";
import {
  clusteredVectors,
  comparePaired,
  isQuick,
  SuiteRecorder,
  spread,
  timeOnce,
} from "@dreampool/bench-kit";
import { unwrap } from "@dreampool/errors";
import { ExactIndex, type Metric, scoreDot } from "../src/index.js";

const SEED = 20251125;
const D = 64;

/** (ii) of docs/anchors.md: one row at a time, 4-way unrolled, float64 accumulators. */
function oneRowDot(
  slab: Float32Array,
  dim: number,
  q: Float64Array,
  from: number,
  to: number,
  out: Float64Array,
): void {
  let o = 0;
  for (let row = from; row < to; row++) {
    const b = row * dim;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let j = 0; j < dim; j += 4) {
      a0 += (q[j] as number) * (slab[b + j] as number);
      a1 += (q[j + 1] as number) * (slab[b + j + 1] as number);
      a2 += (q[j + 2] as number) * (slab[b + j + 2] as number);
      a3 += (q[j + 3] as number) * (slab[b + j + 3] as number);
    }
    out[o++] = a0 + a1 + a2 + a3;
  }
}

export async function run(): Promise<void> {
  const quick = isQuick();
  const recorder = new SuiteRecorder("soft-index");
  const n = quick ? 5_000 : 100_000;
  const rounds = quick ? 3 : 5;
  const timeMs = quick ? 20 : 100;
  const data = clusteredVectors(n, D, SEED);
  // 20 queries a pass at 100k (a JS-kernel pass is ~0.2 s): the full suite stays near a minute.
  const queries = Array.from({ length: quick ? 10 : 20 }, (_, i) => clusteredVectors(1, D, SEED + 1 + i));

  const kernelTitle = `scan kernel, n=${n}, d=${D}`;
  recorder.section(kernelTitle);
  const q64 = Float64Array.from(queries[0] as Float32Array);
  const out = new Float64Array(1020);
  const pass = (kernel: typeof scoreDot) => () => {
    for (let from = 0; from < n; from += 1020) kernel(data, D, q64, from, Math.min(n, from + 1020), out);
  };
  const kernels = await comparePaired(
    [
      { name: "six rows per step", run: pass(scoreDot) },
      { name: "one row, 4-way unrolled", run: pass(oneRowDot) },
    ],
    { rounds, timeMs },
  );
  const [ours, classic] = kernels as [(typeof kernels)[0], (typeof kernels)[0]];
  recorder.add({
    scenario: kernelTitle,
    subject: "scoreDot (6 rows x 2 components per step)",
    unit: "ms/pass",
    value: ours.msPerOp,
  });
  recorder.add({
    scenario: kernelTitle,
    subject: "one-row 4-way unrolled dot",
    unit: "ms/pass",
    value: classic.msPerOp,
    comparison: {
      baseline: "scoreDot",
      meaning: "x the time of scoreDot",
      ratio: classic.ratioToReference.median,
      target: { op: ">=", value: 1.1 },
    },
  });

  for (const [metric, simd] of (["cosine", "euclidean", "inner-product"] as Metric[]).flatMap((m) =>
    [true, false].map((x) => [m, x] as const),
  )) {
    const path = simd ? "WebAssembly SIMD" : "JS kernels";
    const title = `ExactIndex top-10, n=${n}, d=${D}, clustered, ${metric}, ${path}`;
    recorder.section(title);
    const index = unwrap(ExactIndex.create({ dim: D, metric, simd }));
    const build = timeOnce(() => {
      for (let i = 0; i < n; i++) unwrap(index.add(`e${i}`, data.subarray(i * D, (i + 1) * D)));
    });
    recorder.add({
      scenario: title,
      subject: "add",
      unit: "inserts/s",
      value: spread([(n / build.ms) * 1000]),
    });
    const half = (id: string): boolean => (id.charCodeAt(id.length - 1) & 1) === 0;
    const results = await comparePaired(
      [
        {
          name: "search",
          run: () => {
            for (const q of queries) index.search(q, 10);
          },
          opsPerCall: queries.length,
        },
        {
          name: "search with a 50% filter",
          run: () => {
            for (const q of queries) index.search(q, 10, { filter: half });
          },
          opsPerCall: queries.length,
        },
        { name: "searchBatch", run: () => index.searchBatch(queries, 10), opsPerCall: queries.length },
      ],
      { rounds, timeMs },
    );
    const [plain, filtered, batch] = results as [
      (typeof results)[0],
      (typeof results)[0],
      (typeof results)[0],
    ];
    recorder.add({ scenario: title, subject: "search", unit: "ms/query", value: plain.msPerOp });
    recorder.add({
      scenario: title,
      subject: "search with a 50% filter",
      unit: "ms/query",
      value: filtered.msPerOp,
      comparison: {
        baseline: "search",
        meaning: "x the time of an unfiltered search",
        ratio: filtered.ratioToReference.median,
      },
    });
    recorder.add({
      scenario: title,
      subject: simd ? "searchBatch (one query per pass)" : "searchBatch (two queries per pass)",
      unit: "ms/query",
      value: batch.msPerOp,
      comparison: {
        baseline: "search",
        meaning: "x the time of one search per query",
        ratio: batch.ratioToReference.median,
      },
    });
    if (metric === "cosine") {
      const bytes = timeOnce(() => unwrap(index.toBytes()));
      const restored = timeOnce(() => unwrap(ExactIndex.fromBytes(bytes.value, { simd })));
      const mb = bytes.value.length / 1e6;
      recorder.add({
        scenario: title,
        subject: `toBytes (${mb.toFixed(1)} MB)`,
        unit: "MB/s",
        value: spread([mb / (bytes.ms / 1000)]),
      });
      recorder.add({
        scenario: title,
        subject: "fromBytes (verified)",
        unit: "MB/s",
        value: spread([mb / (restored.ms / 1000)]),
      });
      if (restored.value.size !== n) throw new Error("snapshot round trip lost entries");
    }
  }
  recorder.write();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
