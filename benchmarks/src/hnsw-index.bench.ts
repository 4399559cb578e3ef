// HNSW search: @dreampool/hnsw-index's HnswIndex against raw hnswlib-node on the very same graph,
// recall@10 against exact ground truth, build rates, and the exact/HNSW crossover size that the
// pool's `index: "auto"` threshold comes from. Same data, same run, paired rounds, ratios.
// At the largest clustered size, an ef sweep puts HnswIndex, raw hnswlib-node (same graph) and
// usearch's HNSW (connectivity 16, expansion_add 200, expansion_search = ef) on one recall/QPS chart.
// Sizes: clustered 1k / 10k / 100k, uniform 1k / 10k (quick: clustered 1k / 5k, uniform 1k). Uniform
// 100k is left out of the default run: its build alone takes ~100 s on 2 cores (docs/anchors.md §2
// has its recall/ef curve).
// Targets (issue 4): HnswIndex >= 0.85x raw searchKnn QPS at the same ef; recall@10 >= 0.95 at
// n = 100k, d = 64, clustered (default ef).
// Run: pnpm --filter @dreampool/benchmarks exec node --expose-gc --import tsx src/hnsw-index.bench.ts
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  clusteredVectors,
  comparePaired,
  isQuick,
  type PairedResult,
  SuiteRecorder,
  spread,
  timeOnce,
  uniformVectors,
} from "@dreampool/bench-kit";
import { unwrap } from "@dreampool/errors";
import { DEFAULT_EF, HnswIndex } from "@dreampool/hnsw-index";
import { ExactIndex } from "@dreampool/soft-index";
import hnswlib from "hnswlib-node";
import usearch from "usearch";

const { HierarchicalNSW } = hnswlib;
type RawIndex = InstanceType<typeof HierarchicalNSW>;

const SEED = 20251125;
const K = 10;
const D = 64;
const M = 16;
const EF_CONSTRUCTION = 200;

const rowsOf = (flat: Float32Array, n: number, d: number): Float32Array[] =>
  Array.from({ length: n }, (_, i) => flat.slice(i * d, (i + 1) * d));

const byName = (results: readonly PairedResult[], name: string): PairedResult => {
  const r = results.find((x) => x.name === name);
  if (!r) throw new Error(`no result for ${name}`);
  return r;
};

function buildHnsw(rows: readonly Float32Array[]): { index: HnswIndex; ms: number } {
  const { value, ms } = timeOnce(() => {
    const index = unwrap(HnswIndex.create({ dim: D, m: M, efConstruction: EF_CONSTRUCTION }));
    for (let i = 0; i < rows.length; i++) unwrap(index.add(`e${i}`, rows[i] as Float32Array));
    return index;
  });
  return { index: value, ms };
}

const BUILD_CHUNK = 500;

/**
 * Builds an HnswIndex and a raw hnswlib-node index (used the way its README shows: cosine space,
 * number[] rows converted beforehand as in anchors.md, labels 0..n-1) in lockstep, BUILD_CHUNK
 * inserts at a time, timing each chunk: both see the same machine, so the insert-rate ratio is
 * paired per chunk (median) even when a 100k build spans minutes of shifting load.
 */
function buildLockstep(rows: readonly Float32Array[]): { index: HnswIndex; ms: number; rateRatio: number } {
  const index = unwrap(HnswIndex.create({ dim: D, m: M, efConstruction: EF_CONSTRUCTION }));
  const raw = new HierarchicalNSW("cosine", D);
  raw.initIndex({ maxElements: rows.length, m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 100 });
  const prepared = rows.map((r) => Array.from(r));
  let ours = 0;
  const ratios: number[] = [];
  for (let start = 0; start < rows.length; start += BUILD_CHUNK) {
    const end = Math.min(rows.length, start + BUILD_CHUNK);
    const insertOurs = () => {
      for (let i = start; i < end; i++) unwrap(index.add(`e${i}`, rows[i] as Float32Array));
    };
    const insertRaw = () => {
      for (let i = start; i < end; i++) raw.addPoint(prepared[i] as number[], i);
    };
    // Alternate which build goes first, so neither always inherits the other's cache state.
    const oursFirst = (start / BUILD_CHUNK) % 2 === 0;
    const first = timeOnce(oursFirst ? insertOurs : insertRaw).ms;
    const second = timeOnce(oursFirst ? insertRaw : insertOurs).ms;
    const mine = oursFirst ? first : second;
    ours += mine;
    ratios.push((oursFirst ? second : first) / mine);
  }
  return { index, ms: ours, rateRatio: spread(ratios).median };
}

/** A raw index searching the same graph as an HnswIndex, with the label -> id map to score it. */
interface RawTwin {
  raw: RawIndex;
  idOfLabel: Map<number, string>;
}

/**
 * The raw baseline searches the *same graph* as the wrapper: the hnswlib binary inside our snapshot,
 * read back into a bare HierarchicalNSW. So the QPS ratio is the wrapper's overhead and nothing else.
 * The binary is the snapshot's tail, `native.bytes` long (the sidecar says so); taking it from the
 * end keeps this independent of the header's layout (format 2 added a CRC after the sidecar).
 */
function rawTwin(index: HnswIndex): RawTwin {
  const bytes = unwrap(index.toBytes());
  const sidecarLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  const sidecar = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + sidecarLength))) as {
    entries: [string, number][];
    native: { bytes: number };
  };
  const dir = mkdtempSync(join(tmpdir(), "hnsw-bench-"));
  try {
    const file = join(dir, "graph.bin");
    writeFileSync(file, bytes.subarray(bytes.length - sidecar.native.bytes));
    const raw = new HierarchicalNSW("ip", D);
    raw.readIndexSync(file);
    raw.setEf(index.stats().ef);
    return { raw, idOfLabel: new Map(sidecar.entries.map(([id, label]) => [label, id])) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function recallAt10(index: HnswIndex, queries: readonly Float32Array[], truth: readonly string[][]): number {
  let found = 0;
  for (let q = 0; q < queries.length; q++) {
    const expected = new Set(truth[q]);
    for (const hit of unwrap(index.search(queries[q] as Float32Array, K))) if (expected.has(hit.id)) found++;
  }
  return found / (queries.length * K);
}

function exactTruth(
  rows: readonly Float32Array[],
  queries: readonly Float32Array[],
): { exact: ExactIndex; truth: string[][] } {
  const exact = unwrap(ExactIndex.create({ dim: D, metric: "cosine", initialCapacity: rows.length }));
  for (let i = 0; i < rows.length; i++) unwrap(exact.add(`e${i}`, rows[i] as Float32Array));
  return { exact, truth: queries.map((q) => unwrap(exact.search(q, K)).map((h) => h.id)) };
}

interface ScenarioPlan {
  data: "clustered" | "uniform";
  n: number;
  /** Build rounds; each round builds a fresh index. */
  buildRounds: number;
  /** Build a raw hnswlib-node index in lockstep (insert-rate ratio); too slow at 100k on 2 cores. */
  lockstep: boolean;
  /** Run the ef sweep on this index (the largest size of its data set). */
  sweep: boolean;
}

async function searchScenario(
  recorder: SuiteRecorder,
  plan: ScenarioPlan,
  rows: readonly Float32Array[],
  queries: readonly Float32Array[],
): Promise<void> {
  const quick = isQuick();
  const { data, n } = plan;
  const title = `hnsw top-${K}, n=${n}, d=${D}, ${data}, M=${M}, efConstruction=${EF_CONSTRUCTION}`;
  recorder.section(title);
  const ourSeconds: number[] = [];
  const rateRatios: number[] = [];
  let latest: HnswIndex | undefined;
  for (let r = 0; r < plan.buildRounds; r++) {
    if (plan.lockstep) {
      const built = buildLockstep(rows);
      latest = built.index;
      ourSeconds.push(built.ms / 1000);
      rateRatios.push(built.rateRatio);
    } else {
      const built = buildHnsw(rows);
      latest = built.index;
      ourSeconds.push(built.ms / 1000);
    }
  }
  if (latest === undefined) throw new Error("no build");
  const index = latest;
  recorder.add({ scenario: title, subject: "HnswIndex build", unit: "s", value: spread(ourSeconds) });
  recorder.add({
    scenario: title,
    subject: "HnswIndex inserts",
    unit: "inserts/s",
    value: spread(ourSeconds.map((s) => n / s)),
    ...(plan.lockstep
      ? {
          comparison: {
            baseline: "raw hnswlib-node addPoint (built in lockstep)",
            meaning: "x raw insert rate",
            ratio: spread(rateRatios).median,
          },
        }
      : {}),
  });

  const { raw } = rawTwin(index);
  const rawQueries = queries.map((q) => Array.from(q)); // raw gets pre-normalised number[] queries
  const paired = await comparePaired(
    [
      {
        name: "HnswIndex",
        run: () => {
          for (const q of queries) index.search(q, K);
        },
        opsPerCall: queries.length,
      },
      {
        name: "raw",
        run: () => {
          for (const q of rawQueries) raw.searchKnn(q, K);
        },
        opsPerCall: queries.length,
      },
    ],
    { rounds: quick ? 3 : 7, timeMs: quick ? 30 : 120, iterations: 2 },
  );
  const ours = byName(paired, "HnswIndex");
  const rawResult = byName(paired, "raw");
  recorder.add({
    scenario: title,
    subject: `HnswIndex search (ef=${DEFAULT_EF})`,
    unit: "ms/query",
    value: ours.msPerOp,
  });
  recorder.add({
    scenario: title,
    subject: `raw hnswlib-node searchKnn (ef=${DEFAULT_EF}), same graph`,
    unit: "ms/query",
    value: rawResult.msPerOp,
    comparison: {
      baseline: "raw searchKnn",
      meaning: "x raw QPS (HnswIndex)",
      ratio: rawResult.ratioToReference.median,
      target: { op: ">=", value: 0.85 },
    },
  });

  const { exact, truth } = exactTruth(rows, queries);
  const recall = recallAt10(index, queries, truth);
  const headline = n === 100_000 && data === "clustered";
  recorder.add({
    scenario: title,
    subject: `HnswIndex recall@10 (ef=${DEFAULT_EF}, default)`,
    unit: "recall@10",
    value: spread([recall]),
    comparison: {
      baseline: "exact top-10",
      meaning: " recall",
      ratio: recall,
      ...(headline ? { target: { op: ">=" as const, value: 0.95 } } : {}),
    },
  });

  // HNSW against the exact scan it replaces (50 queries: an exact pass at 100k is slow).
  const few = queries.slice(0, 50);
  const versusExact = await comparePaired(
    [
      {
        name: "ExactIndex",
        run: () => {
          for (const q of few) exact.search(q, K);
        },
        opsPerCall: few.length,
      },
      {
        name: "HnswIndex",
        run: () => {
          for (const q of few) index.search(q, K);
        },
        opsPerCall: few.length,
      },
    ],
    { rounds: quick || n >= 100_000 ? 3 : 5, timeMs: quick ? 30 : 100, iterations: 2 },
  );
  recorder.add({
    scenario: title,
    subject: "ExactIndex search (exact scan)",
    unit: "ms/query",
    value: byName(versusExact, "ExactIndex").msPerOp,
  });
  recorder.add({
    scenario: title,
    subject: `HnswIndex search vs exact scan (ef=${DEFAULT_EF})`,
    unit: "ms/query",
    value: byName(versusExact, "HnswIndex").msPerOp,
    comparison: {
      baseline: "ExactIndex exact scan",
      meaning: "x faster (HnswIndex)",
      ratio: 1 / byName(versusExact, "HnswIndex").ratioToReference.median,
    },
  });

  if (plan.sweep) await efSweep(recorder, title, plan, { index, rows, queries, truth });
}

/** A search under test in the ef sweep: answers a query with the ids of its top-10. */
interface SweepContender {
  label: string;
  search: (q: Float32Array, qi: number) => unknown;
  ids: (q: Float32Array, qi: number) => string[];
}

/** QPS of one contender: best of three timed passes (the sweep has too many cells for paired rounds). */
function bestQps(contender: SweepContender, queries: readonly Float32Array[]): number {
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 3; pass++) {
    const { ms } = timeOnce(() => {
      for (let i = 0; i < queries.length; i++) contender.search(queries[i] as Float32Array, i);
    });
    best = Math.min(best, ms);
  }
  return (queries.length / best) * 1000;
}

function sweepRecall(
  contender: SweepContender,
  queries: readonly Float32Array[],
  truth: readonly string[][],
): number {
  let found = 0;
  for (let i = 0; i < queries.length; i++) {
    const expected = new Set(truth[i]);
    for (const id of contender.ids(queries[i] as Float32Array, i)) if (expected.has(id)) found++;
  }
  return found / (queries.length * K);
}

/** usearch's HNSW over the same rows, saved once so each ef gets a fresh Index with that expansion_search. */
const usearchIndex = (ef: number): InstanceType<typeof usearch.Index> =>
  new usearch.Index({
    dimensions: D,
    metric: usearch.MetricKind.Cos,
    quantization: usearch.ScalarKind.F32,
    connectivity: M,
    expansion_add: EF_CONSTRUCTION,
    expansion_search: ef,
    multi: false,
  });

function usearchBuild(rows: readonly Float32Array[], dir: string): { file: string; seconds: number } {
  const index = usearchIndex(DEFAULT_EF);
  const flat = new Float32Array(rows.length * D);
  for (const [i, r] of rows.entries()) flat.set(r, i * D);
  const keys = BigUint64Array.from(rows, (_, i) => BigInt(i));
  // All cores for the build (it is not the figure compared here); searches run on one thread.
  const { ms } = timeOnce(() => index.add(keys, flat, 0));
  const file = join(dir, "usearch.idx");
  index.save(file);
  return { file, seconds: ms / 1000 };
}

function usearchAt(file: string, ef: number): InstanceType<typeof usearch.Index> {
  const index = usearchIndex(ef);
  index.load(file); // keeps the constructor's expansion_search (docs/anchors.md §2)
  return index;
}

/**
 * Recall@10 against QPS as ef grows, at the largest size of a data set (what `setEf` buys). On the
 * clustered set the same sweep runs raw hnswlib-node on the same graph and usearch's HNSW with the
 * same parameters, for the `hnsw-recall-qps` chart. Recall is untimed; QPS is the best of three
 * passes per contender, contenders taking turns in a rotated order at every ef.
 */
async function efSweep(
  recorder: SuiteRecorder,
  title: string,
  plan: ScenarioPlan,
  run: {
    index: HnswIndex;
    rows: readonly Float32Array[];
    queries: readonly Float32Array[];
    truth: string[][];
  },
): Promise<void> {
  const { index, rows, queries, truth } = run;
  const withPeers = plan.data === "clustered";
  const efs =
    plan.data === "uniform"
      ? [16, 32, 64, 128, 256, 512]
      : isQuick()
        ? [10, 16, 32, 64, 128]
        : [10, 16, 32, 64, 128, 256];
  const dir = mkdtempSync(join(tmpdir(), "hnsw-sweep-"));
  try {
    const twin = rawTwin(index);
    const rawQueries = queries.map((q) => Array.from(q));
    let usearchFile = "";
    if (withPeers) {
      const built = usearchBuild(rows, dir);
      usearchFile = built.file;
      recorder.add({
        scenario: title,
        subject: "usearch HNSW build (connectivity 16, expansion_add 200, all cores)",
        unit: "s",
        value: spread([built.seconds]),
      });
    }
    const lines = new Map<string, { x: number; y: number; note: string }[]>();
    for (const [step, ef] of efs.entries()) {
      unwrap(index.setEf(ef));
      twin.raw.setEf(ef);
      const contenders: SweepContender[] = [
        {
          label: "HnswIndex",
          search: (q) => index.search(q, K),
          ids: (q) => unwrap(index.search(q, K)).map((h) => h.id),
        },
      ];
      if (withPeers) {
        const u = usearchAt(usearchFile, ef);
        contenders.push(
          {
            label: "raw hnswlib-node (same graph)",
            search: (_, i) => twin.raw.searchKnn(rawQueries[i] as number[], K),
            ids: (_, i) =>
              twin.raw
                .searchKnn(rawQueries[i] as number[], K)
                .neighbors.map((label) => twin.idOfLabel.get(label) ?? `?${label}`),
          },
          {
            label: "usearch HNSW",
            search: (q) => u.search(q, K, 1),
            ids: (q) => Array.from(u.search(q, K, 1).keys, (key) => `e${key}`),
          },
        );
      }
      const order = contenders.map((_, i) => contenders[(i + step) % contenders.length] as SweepContender);
      const qps = new Map(order.map((c) => [c.label, bestQps(c, queries)]));
      for (const c of contenders) {
        const recall = sweepRecall(c, queries, truth);
        const perSecond = qps.get(c.label) ?? Number.NaN;
        const line = lines.get(c.label) ?? [];
        line.push({ x: recall, y: perSecond, note: `ef ${ef}` });
        lines.set(c.label, line);
        recorder.add({
          scenario: title,
          subject: `${c.label} recall@10 (ef=${ef})`,
          unit: "recall@10",
          value: spread([recall]),
        });
        recorder.add({
          scenario: title,
          subject: `${c.label} QPS (ef=${ef}, best of 3 passes)`,
          unit: "queries/s",
          value: spread([perSecond]),
        });
      }
    }
    unwrap(index.setEf(DEFAULT_EF));
    if (withPeers) {
      const size = plan.n >= 1000 ? `${plan.n / 1000}k` : String(plan.n);
      for (const [label, points] of lines)
        recorder.addSeries({
          chart: "hnsw-recall-qps",
          label: `${label}, n=${size}`,
          xLabel: `recall@10 (vs exact top-10; ${plan.data}, d=${D}, ef = ${efs[0]}…${efs[efs.length - 1]})`,
          yLabel: "queries/s (one thread)",
          points,
          logY: true,
        });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Smallest swept n from which on HnswIndex search (default ef) beats ExactIndex search at every
 * larger swept size too, with recall@10 >= 0.95 (clustered 64-d data; "every larger size" keeps one
 * noisy round near 1x from setting the threshold). Below it the exact index is faster and exact.
 */
async function crossover(recorder: SuiteRecorder, flat: Float32Array): Promise<void> {
  const quick = isQuick();
  const title = `exact vs HNSW top-${K}, d=${D}, clustered (crossover sweep)`;
  recorder.section(title);
  const sizes = quick ? [500, 1_000, 2_000, 4_000] : [250, 500, 1_000, 2_000, 4_000, 8_000, 16_000];
  const queries = rowsOf(flat.subarray(16_000 * D), quick ? 40 : 200, D);
  const wins: boolean[] = [];
  const exactLine: { x: number; y: number }[] = [];
  const hnswLine: { x: number; y: number; note: string }[] = [];
  for (const n of sizes) {
    const rows = rowsOf(flat, n, D);
    const { index } = buildHnsw(rows);
    const { exact, truth } = exactTruth(rows, queries);
    const paired = await comparePaired(
      [
        {
          name: "ExactIndex",
          run: () => {
            for (const q of queries) exact.search(q, K);
          },
          opsPerCall: queries.length,
        },
        {
          name: "HnswIndex",
          run: () => {
            for (const q of queries) index.search(q, K);
          },
          opsPerCall: queries.length,
        },
      ],
      { rounds: quick ? 3 : 5, timeMs: quick ? 50 : 80, iterations: 2 },
    );
    const hnswResult = byName(paired, "HnswIndex");
    const speedup = 1 / hnswResult.ratioToReference.median;
    const recall = recallAt10(index, queries, truth);
    recorder.add({
      scenario: `${title}, n=${n}`,
      subject: `ExactIndex search, n=${n}`,
      unit: "ms/query",
      value: byName(paired, "ExactIndex").msPerOp,
    });
    recorder.add({
      scenario: `${title}, n=${n}`,
      subject: `HnswIndex search, n=${n} (recall@10 ${recall.toFixed(3)})`,
      unit: "ms/query",
      value: hnswResult.msPerOp,
      comparison: { baseline: "ExactIndex", meaning: "x faster (HnswIndex)", ratio: speedup },
    });
    wins.push(speedup > 1 && recall >= 0.95);
    exactLine.push({ x: n, y: byName(paired, "ExactIndex").msPerOp.median });
    hnswLine.push({ x: n, y: hnswResult.msPerOp.median, note: `recall@10 ${recall.toFixed(3)}` });
  }
  let from = sizes.length;
  while (from > 0 && wins[from - 1]) from--;
  const found = sizes[from];
  const axes = {
    chart: "pool-size-latency",
    xLabel: `entries in the index (clustered, d=${D}, top-${K})`,
    yLabel: "ms per query (median of paired rounds)",
    logX: true,
    logY: true,
  };
  const marks = found === undefined ? [] : [{ x: found, label: `crossover: HNSW faster from n = ${found}` }];
  recorder.addSeries({ ...axes, label: "ExactIndex (exact scan)", points: exactLine, marks });
  recorder.addSeries({ ...axes, label: `HnswIndex (ef=${DEFAULT_EF})`, points: hnswLine });
  if (found === undefined) {
    const largest = sizes[sizes.length - 1] as number;
    console.log(`\n  crossover: not reached up to n = ${largest}`);
    recorder.add({
      scenario: title,
      subject: "crossover",
      unit: "entries (not reached: lower bound)",
      value: spread([largest]),
    });
    return;
  }
  console.log(`\n  crossover: HnswIndex beats ExactIndex from n = ${found}`);
  recorder.add({ scenario: title, subject: "crossover", unit: "entries", value: spread([found]) });
}

export async function run(): Promise<void> {
  const quick = isQuick();
  const recorder = new SuiteRecorder("hnsw-index");
  const sizes = {
    clustered: quick ? [1_000, 5_000] : [1_000, 10_000, 100_000],
    uniform: quick ? [1_000] : [1_000, 10_000],
  };
  const queryCount = quick ? 50 : 200;
  for (const data of ["clustered", "uniform"] as const) {
    const generate = data === "clustered" ? clusteredVectors : uniformVectors;
    const maxN = sizes[data][sizes[data].length - 1] as number;
    // Queries come from the same generator call (same cluster centres), after the data rows:
    // another seed would draw other centres, i.e. queries unlike anything stored.
    const flat = generate(maxN + queryCount, D, SEED);
    const queries = rowsOf(flat.subarray(maxN * D), queryCount, D);
    for (const n of sizes[data]) {
      const plan: ScenarioPlan = {
        data,
        n,
        buildRounds: n <= 1_000 ? (quick ? 2 : 3) : 1,
        lockstep: n <= (quick ? 1_000 : 10_000),
        // The quick profile sweeps only the clustered set (the chart's).
        sweep: n === maxN && (data === "clustered" || !quick),
      };
      await searchScenario(recorder, plan, rowsOf(flat, n, D), queries);
    }
  }
  await crossover(recorder, clusteredVectors(16_000 + 200, D, SEED + 2));
  recorder.write();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
