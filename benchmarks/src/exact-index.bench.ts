// Exact top-10 search: @dreampool/soft-index's ExactIndex on both scan paths (WebAssembly SIMD,
// the default, and the JS kernels with { simd: false }) against the peers a TypeScript user
// would reach for — LangChain's MemoryVectorStore, a naive number[][] scan with a full sort, and
// usearch's native exactSearch (cos, one thread). Same data, same run, paired rounds, ratios.
// Targets (issue 4), for the default ExactIndex: >= 8x MemoryVectorStore and >= 0.5x usearch
// exact at n = 100k, d = 64. The JS path's ratios are printed beside them, without targets.
import { fileURLToPath } from "node:url";
import {
  type Contender,
  clusteredVectors,
  comparePaired,
  isQuick,
  type Spread,
  SuiteRecorder,
  spread,
  timeOnce,
  uniformVectors,
} from "@dreampool/bench-kit";
import { unwrap } from "@dreampool/errors";
import { ExactIndex } from "@dreampool/soft-index";
import { MemoryVectorStore } from "@langchain/classic/vectorstores/memory";
import { Document } from "@langchain/core/documents";
import { Embeddings } from "@langchain/core/embeddings";
import usearch from "usearch";

const SEED = 20251125;
const K = 10;

/** Vectors go in through addVectors and queries through similaritySearchVectorWithScore. */
class UnusedEmbeddings extends Embeddings {
  constructor() {
    super({});
  }
  embedDocuments(): Promise<number[][]> {
    return Promise.reject(new Error("the benchmark passes vectors directly"));
  }
  embedQuery(): Promise<number[]> {
    return Promise.reject(new Error("the benchmark passes vectors directly"));
  }
}

interface Scenario {
  readonly data: "clustered" | "uniform";
  readonly n: number;
  readonly d: number;
  /** Queries per pass for the fast contenders (ExactIndex, usearch). */
  readonly fastQueries: number;
  /** Queries per pass when the slow peers (naive, LangChain) take part. */
  readonly slowQueries: number;
  readonly withLangChain: boolean;
  readonly rounds: number;
}

const toRows = (flat: Float32Array, n: number, d: number): Float32Array[] =>
  Array.from({ length: n }, (_, i) => flat.slice(i * d, (i + 1) * d)); // standalone copies: see usearch note

/** (i) of anchors.md: number[][] rows, cosine with both norms per pair, full sort, slice. */
function naiveTopK(rows: readonly number[][], query: readonly number[], k: number): number[] {
  const scored: { i: number; s: number }[] = [];
  let qq = 0;
  for (const x of query) qq += x * x;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number[];
    let dotProduct = 0;
    let rr = 0;
    for (let j = 0; j < r.length; j++) {
      dotProduct += (r[j] as number) * (query[j] as number);
      rr += (r[j] as number) * (r[j] as number);
    }
    scored.push({ i, s: dotProduct / Math.sqrt(qq * rr) });
  }
  scored.sort((a, b) => b.s - a.s);
  return scored.slice(0, k).map((x) => x.i);
}

function usearchTopK(dataset: Float32Array, query: Float32Array, d: number, k: number): number[] {
  // exactSearch ignores byteOffset (usearch 2.25.3): both arrays must be standalone, never views.
  const result = usearch.exactSearch(dataset, query, d, k, usearch.MetricKind.Cos, 1);
  return Array.from(result.keys as BigUint64Array, (key) => Number(key));
}

/** Runs one search per query; the answers are dropped (agreement is checked separately). */
function eachQuery(queries: readonly Float32Array[], search: (q: Float32Array) => unknown): void {
  for (const q of queries) search(q);
}

const sameOrder = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Per-round ms/op of each contender, from alternating rounds (the order rotates every round). */
type RoundTimes = ReadonlyMap<string, readonly number[]>;

/**
 * comparePaired one round at a time, keeping every round's time, so that any two contenders
 * can be paired per round (comparePaired pairs each with one reference only).
 */
async function pairedRounds(
  contenders: readonly Contender[],
  rounds: number,
  timeMs: number,
  iterations: number,
): Promise<RoundTimes> {
  const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length] as Contender);
    for (const result of await comparePaired(order, { rounds: 1, timeMs, iterations })) {
      times.get(result.name)?.push(result.msPerOp.median);
    }
  }
  return times;
}

const timesOf = (times: RoundTimes, name: string): readonly number[] => {
  const t = times.get(name);
  if (!t) throw new Error(`no times for ${name}`);
  return t;
};

/** Per round, `slower`'s time divided by `faster`'s: "how many times faster `faster` is". */
const pairedRatio = (times: RoundTimes, slower: string, faster: string): Spread => {
  const a = timesOf(times, slower);
  const b = timesOf(times, faster);
  return spread(a.map((t, i) => t / (b[i] ?? Number.NaN)));
};

const SIMD = "ExactIndex";
const JS = "ExactIndex (JS kernels)";

async function runScenario(
  recorder: SuiteRecorder,
  s: Scenario,
  flat: Float32Array,
  queryFlat: Float32Array,
): Promise<void> {
  const { n, d, data } = s;
  const title = `exact top-${K}, n=${n}, d=${d}, ${data}`;
  recorder.section(title);
  const dataset = flat.slice(0, n * d);
  const rows = toRows(dataset, n, d);
  const queries = toRows(queryFlat, s.fastQueries, d);
  const slow = queries.slice(0, s.slowQueries);

  const buildIndex = (simd: boolean): ExactIndex => {
    const built = timeOnce(() => {
      const index = unwrap(ExactIndex.create({ dim: d, metric: "cosine", simd }));
      for (let i = 0; i < n; i++) unwrap(index.add(String(i), rows[i] as Float32Array));
      return index;
    });
    if (built.value.simd !== simd)
      throw new Error(`ExactIndex did not take the ${simd ? "SIMD" : "JS"} path`);
    recorder.add({
      scenario: title,
      subject: `${simd ? SIMD : JS} build`,
      unit: "inserts/s",
      value: spread([(n / built.ms) * 1000]),
    });
    return built.value;
  };
  const simdIndex = buildIndex(true);
  const jsIndex = buildIndex(false);
  const topIds =
    (index: ExactIndex) =>
    (q: Float32Array): number[] =>
      unwrap(index.search(q, K)).map((h) => Number(h.id));
  const ours = topIds(simdIndex);
  const oursJs = topIds(jsIndex);

  const fast = await pairedRounds(
    [
      { name: SIMD, run: () => eachQuery(queries, ours), opsPerCall: queries.length },
      { name: JS, run: () => eachQuery(queries, oursJs), opsPerCall: queries.length },
      {
        name: "usearch",
        run: () => eachQuery(queries, (q) => usearchTopK(dataset, q, d, K)),
        opsPerCall: queries.length,
      },
    ],
    s.rounds,
    isQuick() ? 30 : 100,
    2,
  );
  const target = n === 100_000 && d === 64;
  recorder.add({
    scenario: title,
    subject: "dreampool ExactIndex (WebAssembly SIMD)",
    unit: "ms/query",
    value: spread(timesOf(fast, SIMD)),
  });
  recorder.add({
    scenario: title,
    subject: "dreampool ExactIndex (JS kernels)",
    unit: "ms/query",
    value: spread(timesOf(fast, JS)),
  });
  recorder.add({
    scenario: title,
    subject: "usearch exactSearch (cos, 1 thread)",
    unit: "ms/query",
    value: spread(timesOf(fast, "usearch")),
  });

  const naiveRows = rows.map((r) => Array.from(r));
  const slowContenders: Contender[] = [
    { name: SIMD, run: () => eachQuery(slow, ours), opsPerCall: slow.length },
    { name: JS, run: () => eachQuery(slow, oursJs), opsPerCall: slow.length },
    {
      name: "naive",
      run: () => eachQuery(slow, (q) => naiveTopK(naiveRows, Array.from(q), K)),
      opsPerCall: slow.length,
    },
  ];
  let store: MemoryVectorStore | undefined;
  if (s.withLangChain) {
    store = new MemoryVectorStore(new UnusedEmbeddings());
    await store.addVectors(
      naiveRows,
      naiveRows.map((_, i) => new Document({ pageContent: "", metadata: { i } })),
    );
    const langChain = store;
    slowContenders.push({
      name: "LangChain",
      run: async () => {
        for (const q of slow) await langChain.similaritySearchVectorWithScore(Array.from(q), K);
      },
      opsPerCall: slow.length,
    });
  }
  // The slow peers run once per round at 100k; cheap ones repeat for timeMs.
  const slowTimes = await pairedRounds(slowContenders, 3, isQuick() ? 20 : 150, 1);
  recorder.add({
    scenario: title,
    subject: "naive number[][] + cosine + full sort",
    unit: "ms/query",
    value: spread(timesOf(slowTimes, "naive")),
  });
  if (store)
    recorder.add({
      scenario: title,
      subject: "LangChain MemoryVectorStore",
      unit: "ms/query",
      value: spread(timesOf(slowTimes, "LangChain")),
    });

  // Paired ratios (per round, peer time / ExactIndex time), so a noisy moment slows both alike.
  // Targets apply to the default path (SIMD); the JS path's figures are there to compare.
  const ratio = (
    times: RoundTimes,
    ours: string,
    peer: string,
    baseline: string,
    meaning: string,
    goal?: number,
  ): void => {
    const value = pairedRatio(times, peer, ours);
    recorder.add({
      scenario: title,
      subject: `${ours} vs ${baseline}`,
      unit: meaning.trim(),
      value,
      comparison: {
        baseline,
        meaning,
        ratio: value.median,
        ...(goal !== undefined && target && ours === SIMD
          ? { target: { op: ">=" as const, value: goal } }
          : {}),
      },
    });
  };
  for (const path of [SIMD, JS]) {
    ratio(fast, path, "usearch", "usearch exactSearch (cos, 1 thread)", "x its speed", 0.5);
    ratio(slowTimes, path, "naive", "naive number[][] scan", "x faster");
    if (store) ratio(slowTimes, path, "LangChain", "MemoryVectorStore", "x faster", 8);
  }
  recorder.add({
    scenario: title,
    subject: "SIMD path vs JS path",
    unit: "x faster",
    value: pairedRatio(fast, JS, SIMD),
    comparison: {
      baseline: JS,
      meaning: "x faster",
      ratio: pairedRatio(fast, JS, SIMD).median,
    },
  });

  // Agreement of the ordered top-10 ids (deterministic, so checked once, outside the timing).
  let withNaive = 0;
  let withUsearch = 0;
  let withLangChain = 0;
  let withJs = 0;
  for (const q of slow) if (sameOrder(ours(q), naiveTopK(naiveRows, Array.from(q), K))) withNaive++;
  for (const q of queries) if (sameOrder(ours(q), usearchTopK(dataset, q, d, K))) withUsearch++;
  for (const q of queries) if (sameOrder(ours(q), oursJs(q))) withJs++;
  if (store) {
    for (const q of slow) {
      const hits = await store.similaritySearchVectorWithScore(Array.from(q), K);
      if (
        sameOrder(
          ours(q),
          hits.map(([doc]) => doc.metadata.i as number),
        )
      )
        withLangChain++;
    }
  }
  const agreement = [
    `JS path ${withJs}/${queries.length}`,
    `naive ${withNaive}/${slow.length}`,
    `usearch ${withUsearch}/${queries.length}`,
    ...(store ? [`LangChain ${withLangChain}/${slow.length}`] : []),
  ].join(", ");
  console.log(`  same ordered top-${K} ids as ExactIndex (SIMD): ${agreement}`);
  recorder.add({
    scenario: title,
    subject: "top-10 agreement with naive scan",
    unit: "fraction of queries",
    value: spread([withNaive / slow.length]),
  });
  recorder.add({
    scenario: title,
    subject: "top-10 agreement SIMD path / JS path",
    unit: "fraction of queries",
    value: spread([withJs / queries.length]),
  });
}

export async function run(): Promise<void> {
  const quick = isQuick();
  const recorder = new SuiteRecorder("exact-index");
  const sizes = quick ? [1_000, 5_000] : [1_000, 10_000, 100_000];
  const maxN = sizes[sizes.length - 1] as number;
  for (const data of ["clustered", "uniform"] as const) {
    const generate = data === "clustered" ? clusteredVectors : uniformVectors;
    const flat = generate(maxN, 64, SEED);
    const queryFlat = generate(200, 64, SEED + 1);
    // The quick profile measures uniform rows at 1k only (clustered at 1k and 5k).
    for (const n of quick && data === "uniform" ? [1_000] : sizes) {
      const big = n >= 100_000;
      await runScenario(
        recorder,
        {
          data,
          n,
          d: 64,
          // The slow peers (naive scan, LangChain) take ~0.3-0.4 s per query at 100k: 5 queries a
          // pass keep the full run within its 10-minute budget.
          fastQueries: quick ? 20 : big ? 50 : 200,
          slowQueries: quick ? 5 : big ? 5 : n >= 10_000 ? 20 : 100,
          withLangChain: true,
          rounds: quick ? 3 : 5,
        },
        flat,
        queryFlat,
      );
    }
  }
  const sizes384 = quick ? [1_000] : [10_000, 100_000];
  const flat384 = clusteredVectors(sizes384[sizes384.length - 1] as number, 384, SEED + 2);
  const query384 = clusteredVectors(50, 384, SEED + 3);
  for (const n of sizes384) {
    await runScenario(
      recorder,
      {
        data: "clustered",
        n,
        d: 384,
        fastQueries: quick ? 10 : 10,
        slowQueries: quick ? 5 : 5,
        withLangChain: false,
        rounds: quick ? 3 : 5,
      },
      flat384,
      query384,
    );
  }
  recorder.write();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
