// Exact top-10 search: @dreampool/soft-index's ExactIndex against the peers a TypeScript user
// would reach for — LangChain's MemoryVectorStore, a naive number[][] scan with a full sort, and
// usearch's native exactSearch (cos, one thread). Same data, same run, paired rounds, ratios.
// Targets (issue 4): >= 8x MemoryVectorStore and >= 0.5x usearch exact at n = 100k, d = 64.
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

const byName = (results: readonly PairedResult[], name: string): PairedResult => {
  const r = results.find((x) => x.name === name);
  if (!r) throw new Error(`no result for ${name}`);
  return r;
};

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

  const build = timeOnce(() => {
    const index = unwrap(ExactIndex.create({ dim: d, metric: "cosine" }));
    for (let i = 0; i < n; i++) unwrap(index.add(String(i), rows[i] as Float32Array));
    return index;
  });
  const index = build.value;
  recorder.add({
    scenario: title,
    subject: "ExactIndex build",
    unit: "inserts/s",
    value: spread([(n / build.ms) * 1000]),
  });
  const ours = (q: Float32Array): number[] => unwrap(index.search(q, K)).map((h) => Number(h.id));

  const fast = await comparePaired(
    [
      { name: "ExactIndex", run: () => eachQuery(queries, ours), opsPerCall: queries.length },
      {
        name: "usearch",
        run: () => eachQuery(queries, (q) => usearchTopK(dataset, q, d, K)),
        opsPerCall: queries.length,
      },
    ],
    { rounds: s.rounds, timeMs: isQuick() ? 50 : 200, iterations: 2 },
  );
  const target = n === 100_000 && d === 64;
  const exactFast = byName(fast, "ExactIndex");
  const usearchFast = byName(fast, "usearch");
  recorder.add({
    scenario: title,
    subject: "dreampool ExactIndex",
    unit: "ms/query",
    value: exactFast.msPerOp,
  });
  recorder.add({
    scenario: title,
    subject: "usearch exactSearch (cos, 1 thread)",
    unit: "ms/query",
    value: usearchFast.msPerOp,
  });

  const naiveRows = rows.map((r) => Array.from(r));
  const slowContenders = [
    { name: "ExactIndex", run: () => eachQuery(slow, ours), opsPerCall: slow.length },
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
    } as (typeof slowContenders)[number]);
  }
  // The slow peers run once per round at 100k; cheap ones repeat for timeMs.
  const slowResults = await comparePaired(slowContenders, {
    rounds: 3,
    timeMs: isQuick() ? 20 : 150,
    iterations: 1,
  });
  const naive = byName(slowResults, "naive");
  recorder.add({
    scenario: title,
    subject: "naive number[][] + cosine + full sort",
    unit: "ms/query",
    value: naive.msPerOp,
  });
  const lc = store ? byName(slowResults, "LangChain") : undefined;
  if (lc)
    recorder.add({
      scenario: title,
      subject: "LangChain MemoryVectorStore",
      unit: "ms/query",
      value: lc.msPerOp,
    });

  // Paired ratios (per round, peer time / ExactIndex time), so a noisy moment slows both alike.
  recorder.add({
    scenario: title,
    subject: "ExactIndex vs usearch exactSearch",
    unit: "x speed",
    value: usearchFast.ratioToReference,
    comparison: {
      baseline: "usearch exactSearch (cos, 1 thread)",
      meaning: "x its speed",
      ratio: usearchFast.ratioToReference.median,
      ...(target ? { target: { op: ">=" as const, value: 0.5 } } : {}),
    },
  });
  recorder.add({
    scenario: title,
    subject: "ExactIndex vs naive scan",
    unit: "x faster",
    value: naive.ratioToReference,
    comparison: {
      baseline: "naive number[][] scan",
      meaning: "x faster",
      ratio: naive.ratioToReference.median,
    },
  });
  if (lc) {
    recorder.add({
      scenario: title,
      subject: "ExactIndex vs LangChain MemoryVectorStore",
      unit: "x faster",
      value: lc.ratioToReference,
      comparison: {
        baseline: "MemoryVectorStore",
        meaning: "x faster",
        ratio: lc.ratioToReference.median,
        ...(target ? { target: { op: ">=" as const, value: 8 } } : {}),
      },
    });
  }

  // Agreement of the ordered top-10 ids (deterministic, so checked once, outside the timing).
  let withNaive = 0;
  let withUsearch = 0;
  let withLangChain = 0;
  for (const q of slow) if (sameOrder(ours(q), naiveTopK(naiveRows, Array.from(q), K))) withNaive++;
  for (const q of queries) if (sameOrder(ours(q), usearchTopK(dataset, q, d, K))) withUsearch++;
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
    `naive ${withNaive}/${slow.length}`,
    `usearch ${withUsearch}/${queries.length}`,
    ...(store ? [`LangChain ${withLangChain}/${slow.length}`] : []),
  ].join(", ");
  console.log(`  same ordered top-${K} ids as ExactIndex: ${agreement}`);
  recorder.add({
    scenario: title,
    subject: "top-10 agreement with naive scan",
    unit: "fraction of queries",
    value: spread([withNaive / slow.length]),
  });
}

export async function run(): Promise<void> {
  const quick = isQuick();
  const recorder = new SuiteRecorder("exact-index");
  const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const maxN = sizes[sizes.length - 1] as number;
  for (const data of ["clustered", "uniform"] as const) {
    const generate = data === "clustered" ? clusteredVectors : uniformVectors;
    const flat = generate(maxN, 64, SEED);
    const queryFlat = generate(200, 64, SEED + 1);
    for (const n of sizes) {
      const big = n >= 100_000;
      await runScenario(
        recorder,
        {
          data,
          n,
          d: 64,
          fastQueries: quick ? 20 : big ? 100 : 200,
          slowQueries: quick ? 5 : big ? 20 : n >= 10_000 ? 50 : 200,
          withLangChain: true,
          rounds: quick ? 3 : 7,
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
        fastQueries: quick ? 10 : 50,
        slowQueries: quick ? 5 : 10,
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
