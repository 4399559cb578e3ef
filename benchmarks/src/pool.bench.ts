// The pool as a whole (issue 7). Same process, same data, ratios printed:
// - soft retrieve, k = 10, at 1k / 10k / 100k entries, with the exact, HNSW and auto indices
//   (target at 100k: HNSW >= 20x exact), and recall@10 of the HNSW pool against the exact pool;
// - pool overhead over the raw index search it wraps (target <= 25 % at 100k, HNSW): the baseline is
//   the raw HnswIndex search the pool needs, k · overFetch = 40 hits, on a mirror index built like
//   the pool's and at the same time (after every pool.add, the mirror adds the same id and vector),
//   so both graphs are identical and their native memory is laid out alike. An index built alone in
//   one pass answers several percent faster than either (its link lists are not interleaved with a
//   pool's allocations); the ratio against such an index is printed too, without a target, as are
//   the ratios against a raw k = 10 search and for the same pool loaded from a snapshot;
// - add throughput with HNSW for 8x8x4 tensors (target >= 5,000 entries/s);
// - retrieval with and without the query cache (tensor queries: a hit skips the FFT and the encode);
// - where `index: "auto"` should switch: exact vs HNSW pool soft retrieve k = 10 swept over
//   1k..16k entries, the crossover interpolated, and the default autoHnswThreshold beside it
//   (target: within 2x of the measured crossover either way); the cost of the switch itself (the
//   add that builds the HNSW graph from the pool's entries).
// Data: entries are 4x4x2 colour fields around uniformly random colours (noise 0.05–0.15) — the
// retrieval figures do not depend on the tensor size, only the add figures do, which use 8x8x4.
// Queries are 200 QuerySignatures from a separate seed stream. The pools are filled once and grow
// from one size to the next. Pool defaults otherwise (embedding dim 64, m 16, efConstruction 64, ef 64).
// Run: pnpm --filter @dreampool/benchmarks exec tsx src/pool.bench.ts   (DREAMPOOL_BENCH_QUICK=1: 1k, 4k; sweep 500..4k)
import { fileURLToPath } from "node:url";
import {
  comparePaired,
  isQuick,
  mulberry32,
  type PairedResult,
  SuiteRecorder,
  spread,
  timeOnce,
} from "@dreampool/bench-kit";
import { EmbeddingMapper, QuerySignature } from "@dreampool/embedding";
import { unwrap } from "@dreampool/errors";
import { HnswIndex } from "@dreampool/hnsw-index";
import {
  DEFAULT_AUTO_HNSW_THRESHOLD,
  DEFAULT_OVER_FETCH,
  DreamPool,
  type IndexChoice,
} from "@dreampool/pool";
import { ChromaticTensor, type SolverResult } from "@dreampool/tensor";

const SEED = 20251125;
const K = 10;
const QUERY_COUNT = 200;
const SMALL = { rows: 4, cols: 4, layers: 2 };
const ADD_DIMS = { rows: 8, cols: 8, layers: 4 };
const RESULT: SolverResult = { energy: 0.4, coherence: 0.9, violation: 0.05, meta: {} };
const NOW = 1_700_000_000_000;
let sink = 0;

function tensorAt(i: number, dims: typeof SMALL, stream: number): ChromaticTensor {
  const rng = mulberry32(SEED + stream * 7_919_993 + i);
  return unwrap(
    ChromaticTensor.fromColor([rng(), rng(), rng()], dims, {
      noise: 0.05 + 0.1 * rng(),
      seed: SEED + stream + i,
    }),
  );
}

function poolFor(index: IndexChoice, maxSize: number, cacheCapacity = 256): DreamPool {
  return unwrap(DreamPool.create({ maxSize, index, queryCacheCapacity: cacheCapacity, clock: () => NOW }));
}

/** Fills `pool` to n entries; `mirror` (if any) gets every added id and embedding right after. */
function fillTo(pool: DreamPool, n: number, mirror?: HnswIndex): void {
  for (let i = pool.size; i < n; i++) {
    const id = unwrap(pool.add(tensorAt(i, SMALL, 1), RESULT));
    const entry = id === null || mirror === undefined ? undefined : pool.get(id);
    if (entry !== undefined && mirror !== undefined) unwrap(mirror.add(entry.id, entry.embedding));
  }
}

/** An HnswIndex with the pool's graph parameters, the raw baseline of the overhead figures. */
function rawIndexLike(pool: DreamPool, initialCapacity: number): HnswIndex {
  const { m, efConstruction, ef, seed, compactionThreshold } = pool.config.hnsw;
  return unwrap(
    HnswIndex.create({
      dim: 64,
      metric: "cosine",
      m,
      efConstruction,
      ef,
      seed,
      compactionThreshold,
      initialCapacity,
    }),
  );
}

const queries: QuerySignature[] = Array.from({ length: QUERY_COUNT }, (_, i) =>
  unwrap(QuerySignature.fromTensor(tensorAt(i, SMALL, 2))),
);

function softPass(pool: DreamPool, count: number): void {
  for (let i = 0; i < count; i++) {
    sink += unwrap(
      pool.retrieve(queries[i % QUERY_COUNT] as QuerySignature, { mode: "soft", k: K, now: NOW }),
    ).length;
  }
}

function recallAt10(exact: DreamPool, approx: DreamPool): number {
  let found = 0;
  for (const q of queries) {
    const truth = new Set(
      unwrap(exact.retrieve(q, { mode: "soft", k: K, overFetch: 1, now: NOW })).map((h) => h.entry.id),
    );
    for (const h of unwrap(approx.retrieve(q, { mode: "soft", k: K, overFetch: 1, now: NOW })))
      if (truth.has(h.entry.id)) found++;
  }
  return found / (K * QUERY_COUNT);
}

async function retrievalAt(
  recorder: SuiteRecorder,
  pools: Record<IndexChoice, DreamPool>,
  n: number,
  quick: boolean,
) {
  const scenario = `soft retrieve k=${K}, n=${n}, d=64`;
  recorder.section(`${scenario} (${pools.auto.stats().index.kind} behind auto)`);
  const perCall = n >= 100_000 ? 20 : 100;
  const exactPerCall = n >= 100_000 ? 5 : n >= 10_000 ? 20 : 100;
  for (const p of Object.values(pools)) softPass(p, QUERY_COUNT); // warm the query cache
  const results = await comparePaired(
    [
      { name: "exact", opsPerCall: exactPerCall, run: () => softPass(pools.exact, exactPerCall) },
      { name: "hnsw", opsPerCall: perCall, run: () => softPass(pools.hnsw, perCall) },
      { name: "auto", opsPerCall: perCall, run: () => softPass(pools.auto, perCall) },
    ],
    { rounds: quick ? 3 : 5, timeMs: quick ? 40 : 300 },
  );
  const [exact, hnsw, auto] = results;
  if (!exact || !hnsw || !auto) throw new Error("missing results");
  recorder.add({ scenario, subject: "pool, exact index", unit: "ms/query", value: exact.msPerOp });
  for (const r of [hnsw, auto]) {
    recorder.add({
      scenario,
      subject: `pool, ${r.name} index`,
      unit: "ms/query",
      value: r.msPerOp,
      comparison: {
        baseline: "pool, exact index",
        meaning: "x faster",
        ratio: 1 / r.ratioToReference.median,
        ...(n >= 100_000 && r.name === "hnsw" ? { target: { op: ">=" as const, value: 20 } } : {}),
      },
    });
  }
  recorder.add({
    scenario,
    subject: "recall@10 of the HNSW pool vs exact",
    unit: "recall@10",
    value: spread([recallAt10(pools.exact, pools.hnsw)]),
  });
  return { exact, hnsw };
}

async function overheadAt(
  recorder: SuiteRecorder,
  pool: DreamPool,
  mirror: HnswIndex,
  n: number,
  quick: boolean,
): Promise<void> {
  // The baseline is `mirror`: built with the pool's graph parameters from the same vectors in the
  // same order, one add right after each of the pool's (see fillTo), so its graph is the pool's and
  // its native memory is interleaved with the same allocations. The pool over-fetches, so the search
  // it needs is k · overFetch; the ratio against a raw k = 10 search is printed as well. `alone` is
  // the same index built afterwards in one pass: nothing between its allocations, so it answers a
  // few percent faster than the pool's index or the mirror; the ratio against it is printed too.
  const alone = rawIndexLike(pool, n);
  for (const e of pool.entries()) unwrap(alone.add(e.id, e.embedding));
  // The query vectors the pool searches with: its mapper is deterministic, so the same options give
  // the same vectors (the pool's bias profile is neutral here, which equals no profile).
  const mapper = unwrap(
    EmbeddingMapper.create({ ...pool.config.embedding, window: pool.config.spectralWindow }),
  );
  const embedded = queries.map((q) => unwrap(mapper.encodeQuery(q)));
  // The same pool through a snapshot: loading rebuilds the index in one pass.
  const loaded = unwrap(DreamPool.fromBytes(unwrap(pool.toBytes()), { clock: () => NOW }));
  softPass(loaded, QUERY_COUNT); // warm its query cache like the others'
  const scenario = `pool overhead, HNSW, n=${n}, k=${K}`;
  recorder.section(scenario);
  const PER = 100;
  const FETCH = K * DEFAULT_OVER_FETCH;
  const searchRaw = (index: HnswIndex, k: number) => () => {
    for (let i = 0; i < PER; i++)
      sink += unwrap(index.search(embedded[i % QUERY_COUNT] as Float32Array, k)).length;
  };
  const results = await comparePaired(
    [
      {
        name: `raw HnswIndex.search k=${FETCH} (k · overFetch: what the pool asks for), index built alongside the pool`,
        opsPerCall: PER,
        run: searchRaw(mirror, FETCH),
      },
      {
        name: "raw HnswIndex.search k=10, index built alongside the pool",
        opsPerCall: PER,
        run: searchRaw(mirror, K),
      },
      {
        name: `raw HnswIndex.search k=${FETCH}, index built alone in one pass`,
        opsPerCall: PER,
        run: searchRaw(alone, FETCH),
      },
      {
        name: `pool.retrieve soft k=${K} (overFetch ${DEFAULT_OVER_FETCH}, rerank)`,
        opsPerCall: PER,
        run: () => softPass(pool, PER),
      },
      {
        name: "pool.retrieve soft k=10, overFetch 1",
        opsPerCall: PER,
        run: () => {
          for (let i = 0; i < PER; i++) {
            const q = queries[i % QUERY_COUNT] as QuerySignature;
            sink += unwrap(pool.retrieve(q, { mode: "soft", k: K, overFetch: 1, now: NOW })).length;
          }
        },
      },
      {
        name: `pool.retrieve soft k=${K}, pool loaded from a snapshot (index rebuilt in one pass)`,
        opsPerCall: PER,
        run: () => softPass(loaded, PER),
      },
    ],
    { rounds: quick ? 3 : 7, timeMs: quick ? 40 : 300 },
  );
  const [raw40, raw10, alone40, pooled, pooled1, reloaded] = results;
  if (!raw40 || !raw10 || !alone40 || !pooled || !pooled1 || !reloaded) throw new Error("missing results");
  // Every ratio is paired against the mirror's k=40 search of the same rounds; a quotient of two
  // such ratios is the ratio against another baseline, still from paired figures.
  const against = (r: PairedResult, base: PairedResult) =>
    r.ratioToReference.median / base.ratioToReference.median;
  const vs = (r: PairedResult, base: PairedResult, subject = r.name, target?: number) =>
    recorder.add({
      scenario,
      subject,
      unit: "ms/query",
      value: r.msPerOp,
      comparison: {
        baseline: base.name,
        meaning: "x the raw search",
        ratio: against(r, base),
        ...(target === undefined ? {} : { target: { op: "<=" as const, value: target } }),
      },
    });
  for (const r of [raw40, raw10, alone40])
    recorder.add({ scenario, subject: r.name, unit: "ms/query", value: r.msPerOp });
  vs(pooled, raw40, pooled.name, n >= 100_000 ? 1.25 : undefined);
  vs(pooled, raw10, `${pooled.name}, against raw k=${K}`);
  vs(pooled, alone40, `${pooled.name}, against the index built alone`);
  vs(pooled1, raw10);
  vs(reloaded, alone40);
  vs(raw40, alone40, "the mirror index (built alongside the pool) against the one built alone");
}

async function addThroughput(recorder: SuiteRecorder, quick: boolean): Promise<void> {
  const n = quick ? 500 : 10_000;
  const tensors = Array.from({ length: n }, (_, i) => tensorAt(i, ADD_DIMS, 3));
  recorder.section(`add throughput, 8x8x4 tensors, ${n} adds into an empty pool`);
  for (const index of ["hnsw", "exact"] as const) {
    const rates: number[] = [];
    for (let round = 0; round < (quick ? 1 : 3); round++) {
      const pool = poolFor(index, n);
      (globalThis as { gc?: () => void }).gc?.();
      const { ms } = timeOnce(() => {
        for (const t of tensors) unwrap(pool.add(t, RESULT));
      });
      rates.push((n / ms) * 1000);
    }
    const value = spread(rates);
    recorder.add({
      scenario: "add throughput, 8x8x4",
      subject: `pool.add, ${index} index`,
      unit: "entries/s",
      value,
      comparison: {
        baseline: "5,000 entries/s",
        meaning: "x of 5,000/s",
        ratio: value.median / 5_000,
        ...(index === "hnsw" ? { target: { op: ">=" as const, value: 1 } } : {}),
      },
    });
  }
}

async function cacheEffect(recorder: SuiteRecorder, quick: boolean): Promise<void> {
  const n = quick ? 500 : 1_000;
  const warm = poolFor("exact", n, 256);
  const cold = poolFor("exact", n, 1);
  for (let i = 0; i < n; i++) {
    const t = tensorAt(i, ADD_DIMS, 4);
    unwrap(warm.add(t, RESULT));
    unwrap(cold.add(t, RESULT));
  }
  const tensorQueries = Array.from({ length: 100 }, (_, i) => tensorAt(i, ADD_DIMS, 5));
  const pass = (pool: DreamPool) => () => {
    for (const q of tensorQueries) sink += unwrap(pool.retrieve(q, { mode: "soft", k: K, now: NOW })).length;
  };
  pass(warm)();
  const scenario = `soft retrieve by 8x8x4 tensor, k=${K}, n=${n}, exact`;
  recorder.section(scenario);
  const [without, withCache] = await comparePaired(
    [
      {
        name: "cache of 1 (every query misses: FFT + encode)",
        opsPerCall: tensorQueries.length,
        run: pass(cold),
      },
      { name: "cache of 256 (repeated queries hit)", opsPerCall: tensorQueries.length, run: pass(warm) },
    ],
    { rounds: quick ? 3 : 5, timeMs: quick ? 40 : 300 },
  );
  if (!without || !withCache) throw new Error("missing results");
  recorder.add({ scenario, subject: without.name, unit: "ms/query", value: without.msPerOp });
  recorder.add({
    scenario,
    subject: withCache.name,
    unit: "ms/query",
    value: withCache.msPerOp,
    comparison: { baseline: without.name, meaning: "x faster", ratio: 1 / withCache.ratioToReference.median },
  });
  recorder.add({
    scenario,
    subject: "hit rate of the warm pool",
    unit: "ratio",
    value: spread([warm.stats().cache.hitRate]),
  });
}

interface SweepPoint {
  n: number;
  /** Exact pool time / HNSW pool time, paired. */
  hnswSpeedup: number;
  hnsw: PairedResult;
}

/** One point of the auto-threshold sweep: how many times faster the HNSW pool answers than the exact one. */
async function crossoverPoint(
  pools: Record<IndexChoice, DreamPool>,
  n: number,
  quick: boolean,
): Promise<SweepPoint> {
  const PER = 20;
  for (const p of [pools.exact, pools.hnsw]) softPass(p, QUERY_COUNT); // warm the query cache
  const [exact, hnsw] = await comparePaired(
    [
      { name: "exact", opsPerCall: PER, run: () => softPass(pools.exact, PER) },
      { name: "hnsw", opsPerCall: PER, run: () => softPass(pools.hnsw, PER) },
    ],
    { rounds: quick ? 3 : 5, timeMs: quick ? 40 : 150 },
  );
  if (!exact || !hnsw) throw new Error("missing results");
  return { n, hnswSpeedup: 1 / hnsw.ratioToReference.median, hnsw };
}

const CROSSOVER_SCENARIO = `auto index: exact vs HNSW pool, soft retrieve k=${K}, d=64`;

/**
 * The size at which the HNSW pool starts answering faster than the exact one: the speedup is
 * interpolated linearly in (log n, log speedup) between the two sweep points around 1 (or
 * extrapolated from the two nearest when the sweep does not bracket it).
 */
function interpolatedCrossover(points: readonly SweepPoint[]): number {
  const at = (i: number) => points[i] as SweepPoint;
  let i = points.findIndex((p, j) => j > 0 && at(j - 1).hnswSpeedup < 1 && p.hnswSpeedup >= 1) - 1;
  if (i < 0) i = at(0).hnswSpeedup >= 1 ? 0 : points.length - 2;
  const a = at(i);
  const b = at(i + 1);
  const slope = (Math.log(b.hnswSpeedup) - Math.log(a.hnswSpeedup)) / (Math.log(b.n) - Math.log(a.n));
  if (!(slope > 0)) return Number.NaN;
  return Math.exp(Math.log(a.n) - Math.log(a.hnswSpeedup) / slope);
}

function recordCrossover(recorder: SuiteRecorder, points: SweepPoint[]): void {
  recorder.section(CROSSOVER_SCENARIO);
  for (const p of points) {
    recorder.add({
      scenario: CROSSOVER_SCENARIO,
      subject: `pool, hnsw index, n=${p.n}`,
      unit: "ms/query",
      value: p.hnsw.msPerOp,
      comparison: { baseline: `pool, exact index, n=${p.n}`, meaning: "x faster", ratio: p.hnswSpeedup },
    });
  }
  const crossover = interpolatedCrossover(points);
  recorder.add({
    scenario: CROSSOVER_SCENARIO,
    subject: "measured crossover (HNSW pool as fast as exact, interpolated)",
    unit: "entries",
    value: spread([Math.round(crossover)]),
  });
  const ratio = DEFAULT_AUTO_HNSW_THRESHOLD / crossover;
  recorder.add({
    scenario: CROSSOVER_SCENARIO,
    subject: "default autoHnswThreshold",
    unit: "entries",
    value: spread([DEFAULT_AUTO_HNSW_THRESHOLD]),
    comparison: { baseline: "measured crossover", meaning: "x the measured crossover", ratio },
  });
  recorder.add({
    scenario: CROSSOVER_SCENARIO,
    subject: "default autoHnswThreshold, distance from the crossover",
    unit: "entries",
    value: spread([DEFAULT_AUTO_HNSW_THRESHOLD]),
    comparison: {
      baseline: "measured crossover",
      meaning: "x off the measured crossover (either way)",
      ratio: Math.max(ratio, 1 / ratio),
      target: { op: "<=", value: 2 },
    },
  });
  recorder.addSeries({
    chart: "pool-auto-crossover",
    label: "HNSW pool speedup over the exact pool (soft k=10)",
    xLabel: "entries",
    yLabel: "x faster",
    logX: true,
    points: points.map((p) => ({ x: p.n, y: p.hnswSpeedup })),
    marks: [
      { x: crossover, label: "crossover" },
      { x: DEFAULT_AUTO_HNSW_THRESHOLD, label: "default threshold" },
    ],
  });
}

/**
 * The one-off cost of the switch: an auto pool filled to one below the default threshold, then
 * the add that crosses it and builds the HNSW graph from every entry. Compared with a plain add
 * into the same pool just before (the median of the preceding 50).
 */
async function switchCost(recorder: SuiteRecorder, quick: boolean): Promise<void> {
  const threshold = DEFAULT_AUTO_HNSW_THRESHOLD;
  const scenario = `auto index: the switch to HNSW at the default threshold (${threshold} entries, 4x4x2)`;
  recorder.section(scenario);
  const switches: number[] = [];
  const plain: number[] = [];
  for (let round = 0; round < (quick ? 1 : 3); round++) {
    const pool = poolFor("auto", 2 * threshold);
    fillTo(pool, threshold - 51);
    for (let i = threshold - 51; i < threshold - 1; i++) {
      const t = tensorAt(i, SMALL, 1);
      plain.push(timeOnce(() => unwrap(pool.add(t, RESULT))).ms);
    }
    const crossing = tensorAt(threshold - 1, SMALL, 1);
    switches.push(timeOnce(() => unwrap(pool.add(crossing, RESULT))).ms);
    if (pool.stats().index.kind !== "hnsw") throw new Error("the auto pool did not switch");
  }
  const plainAdd = spread(plain);
  recorder.add({ scenario, subject: "a plain add (exact index, just before)", unit: "ms", value: plainAdd });
  const value = spread(switches);
  recorder.add({
    scenario,
    subject: "the add that switches (builds the HNSW graph from every entry)",
    unit: "ms",
    value,
    comparison: {
      baseline: "a plain add (exact index, just before)",
      meaning: "x a plain add",
      ratio: value.median / plainAdd.median,
    },
  });
}

export async function run(): Promise<void> {
  const quick = isQuick();
  const sizes = quick ? [1_000, 4_000] : [1_000, 10_000, 100_000];
  const sweep = quick ? [500, 1_000, 2_000, 4_000] : [1_000, 2_000, 4_000, 8_000, 16_000];
  const max = sizes[sizes.length - 1] as number;
  const recorder = new SuiteRecorder("pool");
  const pools: Record<IndexChoice, DreamPool> = {
    exact: poolFor("exact", max),
    hnsw: poolFor("hnsw", max),
    auto: poolFor("auto", max),
  };
  // The overhead figures' baseline grows with the HNSW pool (see overheadAt).
  const mirror = rawIndexLike(pools.hnsw, Math.min(max, 1 << 16));
  const points: SweepPoint[] = [];
  // The pools grow through every size of both lists, so the sweep costs no extra fill.
  for (const n of [...new Set([...sizes, ...sweep])].sort((a, b) => a - b)) {
    for (const [kind, pool] of Object.entries(pools)) {
      const { ms } = timeOnce(() => fillTo(pool, n, pool === pools.hnsw ? mirror : undefined));
      console.log(`  (filled the ${kind} pool to ${n} in ${(ms / 1000).toFixed(1)} s)`);
    }
    if (sweep.includes(n)) points.push(await crossoverPoint(pools, n, quick));
    if (sizes.includes(n)) await retrievalAt(recorder, pools, n, quick);
  }
  recordCrossover(recorder, points);
  await switchCost(recorder, quick);
  await overheadAt(recorder, pools.hnsw, mirror, max, quick);
  await addThroughput(recorder, quick);
  await cacheEffect(recorder, quick);
  if (sink === -1) console.log("unreachable");
  recorder.write();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
