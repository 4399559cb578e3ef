// Does the query cache pay for itself? A repeated-query workload: Zipf (s = 1.1) over 200 distinct
// 8x8x4 query tensors, each query going through the full path the pool runs — mean colour,
// spectral features (FFT) and EmbeddingMapper.encodeQuery, then an exact top-10 search over 1,000
// entries — with and without @dreampool/query-cache in front of the encode step. With the cache,
// a query is keyed on its shape and quantised colours (getOrComputeForTensor: one pass, no string;
// a repeat bit for bit is found through a hash of the exact bits), so a hit skips the FFT and the
// encode. The cache starts cold on every pass (conservative).
// Target (issue 6; the seed claimed 15 % without ever calling its cache): >= 1.15x.
// Also measured: the older key (a CacheableQuery with mean colour and tensorDigest, the pool's path
// until it moved to getOrComputeForTensor), the cost of one hit on each path and of its copy, and
// one hit on a signature query (hashed key) against the string key it replaced and an encode.
// Run: pnpm --filter @dreampool/benchmarks exec tsx src/query-cache.bench.ts
import { fileURLToPath } from "node:url";
import {
  comparePaired,
  isQuick,
  mulberry32,
  type Spread,
  SuiteRecorder,
  spread,
  zipfSampler,
} from "@dreampool/bench-kit";
import { EmbeddingMapper, QuerySignature } from "@dreampool/embedding";
import { type DreamResult, ok, unwrap } from "@dreampool/errors";
import { type CacheableQuery, QueryCache, tensorDigest } from "@dreampool/query-cache";
import { ExactIndex } from "@dreampool/soft-index";
import { ChromaticTensor, COLOR_CLASSES, colorClassRgb } from "@dreampool/tensor";

const SEED = 20251125;
const DISTINCT_QUERIES = 200;
const ENTRIES = 1_000;
const ZIPF_S = 1.1;
const K = 10;
interface Dims {
  rows: number;
  cols: number;
  layers: number;
}

/** A tensor near one colour class (seeded noise), like the solver's states. */
function tensorNear(i: number, noise: number, dims: Dims): ChromaticTensor {
  const cls = COLOR_CLASSES[i % COLOR_CLASSES.length] ?? "Red";
  return unwrap(ChromaticTensor.fromColor(colorClassRgb(cls), dims, { noise, seed: SEED + i }));
}

interface Workload {
  mapper: EmbeddingMapper;
  index: ExactIndex;
  /** The query tensors in workload order (Zipf over the distinct ones). */
  sequence: ChromaticTensor[];
  distinctSeen: number;
}

function buildWorkload(queries: number, dims: Dims): Workload {
  const mapper = unwrap(EmbeddingMapper.create({ dim: 64, seed: 7 }));
  const index = unwrap(ExactIndex.create({ dim: 64, initialCapacity: ENTRIES }));
  for (let i = 0; i < ENTRIES; i++) {
    const t = tensorNear(10_000 + i, 0.3, dims);
    const signature = unwrap(QuerySignature.fromTensor(t));
    const spectral = signature.spectral;
    if (spectral === null) throw new Error("fromTensor gave no spectral features");
    const v = unwrap(
      mapper.encodeEntry({ chroma: signature.chroma, spectral, classLabel: null, utility: null }),
    );
    unwrap(index.add(`d${i}`, v));
  }
  const distinct = Array.from({ length: DISTINCT_QUERIES }, (_, i) => tensorNear(i, 0.25, dims));
  const pick = zipfSampler(DISTINCT_QUERIES, ZIPF_S, mulberry32(SEED));
  const order = Array.from({ length: queries }, () => pick());
  return {
    mapper,
    index,
    sequence: order.map((i) => distinct[i] as ChromaticTensor),
    distinctSeen: new Set(order).size,
  };
}

/** The uncached path: signature (mean colour + FFT features), then encode. */
function encode(w: Workload, t: ChromaticTensor): DreamResult<Float32Array> {
  const signature = QuerySignature.fromTensor(t);
  return signature.ok ? w.mapper.encodeQuery(signature.value) : signature;
}

const encodeUncached = (w: Workload, t: ChromaticTensor): Float32Array => unwrap(encode(w, t));

/** The cached path: keyed on the tensor itself, compute on a miss. */
function encodeCached(w: Workload, cache: QueryCache, t: ChromaticTensor): Float32Array {
  return unwrap(cache.getOrComputeForTensor(t, w.mapper.fingerprint, () => encode(w, t)));
}

/** The older cached path: a CacheableQuery of mean colour + tensorDigest (the pool's, before). */
function encodeCachedByDigest(w: Workload, cache: QueryCache, t: ChromaticTensor): Float32Array {
  const key: CacheableQuery = {
    chroma: t.meanRgb(),
    classHint: null,
    spectral: null,
    utilityPrior: null,
    tensorDigest: tensorDigest(t.colors, t, cache.precision),
  };
  return unwrap(cache.getOrCompute(key, w.mapper.fingerprint, () => encode(w, t)));
}

let sink = 0;

/** A spread of ms per op as µs per op. */
const us = (s: Spread): Spread => ({
  ...s,
  median: s.median * 1000,
  p25: s.p25 * 1000,
  p75: s.p75 * 1000,
  min: s.min * 1000,
  max: s.max * 1000,
});

/** The workload through both paths; `target` marks the scenario. */
async function workloadFigures(
  recorder: SuiteRecorder,
  dims: Dims,
  queries: number,
  target: boolean,
): Promise<Workload> {
  const quick = isQuick();
  const w = buildWorkload(queries, dims);
  const cache = unwrap(QueryCache.create({ capacity: 128 }));
  const shape = `${dims.rows}x${dims.cols}x${dims.layers}`;
  const scenario = `${queries} queries, Zipf s=${ZIPF_S} over ${DISTINCT_QUERIES} tensors ${shape}, exact top-${K} over ${ENTRIES}, d=64`;
  recorder.section(scenario);

  // One pass to check the paths agree and to read the hit rate of a cold pass (the same for both
  // keys: either sees a repeated tensor as a repeat).
  const byDigest = unwrap(QueryCache.create({ capacity: 128 }));
  for (const t of w.sequence) {
    const a = encodeUncached(w, t);
    const b = encodeCached(w, cache, t);
    const c = encodeCachedByDigest(w, byDigest, t);
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== b[i] || a[i] !== c[i]) throw new Error("cached and uncached embeddings differ");
    }
  }
  if (byDigest.hits !== cache.hits) throw new Error("the two keys hit differently");
  const hitRate = cache.hitRate;
  console.log(
    `  hit rate of one cold pass: ${(hitRate * 100).toFixed(1)}% (${cache.hits} hits, ${cache.misses} misses; ` +
      `${w.distinctSeen} distinct tensors drawn, capacity ${cache.capacity})`,
  );

  const precomputed = w.sequence.map((t) => encodeUncached(w, t));
  const pass = (name: string, body: () => void) => ({ name, opsPerCall: queries, run: body });
  const results = await comparePaired(
    [
      pass("encode + search, without cache", () => {
        for (const t of w.sequence) sink += unwrap(w.index.search(encodeUncached(w, t), K)).length;
      }),
      pass("encode + search, with QueryCache", () => {
        cache.clear();
        for (const t of w.sequence) sink += unwrap(w.index.search(encodeCached(w, cache, t), K)).length;
      }),
      pass("encode + search, cache keyed by CacheableQuery + tensorDigest", () => {
        byDigest.clear();
        for (const t of w.sequence)
          sink += unwrap(w.index.search(encodeCachedByDigest(w, byDigest, t), K)).length;
      }),
      pass("encode only, without cache", () => {
        for (const t of w.sequence) sink += encodeUncached(w, t).length;
      }),
      pass("encode only, with QueryCache", () => {
        cache.clear();
        for (const t of w.sequence) sink += encodeCached(w, cache, t).length;
      }),
      pass("search only (vectors precomputed)", () => {
        for (const v of precomputed) sink += unwrap(w.index.search(v, K)).length;
      }),
    ],
    // One call is a whole pass. The machine is shared: many short rounds pair each contender with
    // the others under the same load, and the median ratio shrugs off a burst that hits a few of
    // them (3 rounds of 50 ms once gave 0.98x beside runs at 1.4x). The context workload (no
    // target, passes three times longer at 32x32x4) keeps fewer, longer rounds.
    target
      ? { rounds: quick ? 9 : 11, timeMs: quick ? 30 : 100, iterations: 1 }
      : { rounds: 3, timeMs: 200, iterations: 1 },
  );
  const [without, withCache, withDigestKey, encodeWithout, encodeWith, searchOnly] = results;
  if (!without || !withCache || !withDigestKey || !encodeWithout || !encodeWith || !searchOnly)
    throw new Error("missing results");
  const speedUp = (a: typeof without, b: typeof without) =>
    // Paired per round: b's time over a's, from b's and a's ratios to the same reference.
    a.ratioToReference.median / b.ratioToReference.median;
  recorder.add({ scenario, subject: without.name, unit: "ms/query", value: without.msPerOp });
  recorder.add({
    scenario,
    subject: `${withCache.name} (cold each pass)`,
    unit: "ms/query",
    value: withCache.msPerOp,
    comparison: {
      baseline: "without cache",
      meaning: "x faster",
      ratio: 1 / withCache.ratioToReference.median,
      ...(target ? { target: { op: ">=" as const, value: 1.15 } } : {}),
    },
  });
  recorder.add({
    scenario,
    subject: `${withDigestKey.name} (the pool's key until it moved to getOrComputeForTensor)`,
    unit: "ms/query",
    value: withDigestKey.msPerOp,
    comparison: {
      baseline: "without cache",
      meaning: "x faster",
      ratio: 1 / withDigestKey.ratioToReference.median,
    },
  });
  recorder.add({ scenario, subject: "hit rate (cold pass)", unit: "ratio", value: spread([hitRate]) });
  recorder.add({ scenario, subject: encodeWithout.name, unit: "ms/query", value: encodeWithout.msPerOp });
  recorder.add({
    scenario,
    subject: encodeWith.name,
    unit: "ms/query",
    value: encodeWith.msPerOp,
    comparison: {
      baseline: encodeWithout.name,
      meaning: "x faster",
      ratio: speedUp(encodeWithout, encodeWith),
    },
  });
  recorder.add({
    scenario,
    subject: `${searchOnly.name}: what a cache cannot save`,
    unit: "ms/query",
    value: searchOnly.msPerOp,
    comparison: { baseline: without.name, meaning: "x of it", ratio: searchOnly.ratioToReference.median },
  });
  return w;
}

export async function run(): Promise<void> {
  const quick = isQuick();
  const queries = quick ? 400 : 2_000;
  const recorder = new SuiteRecorder("query-cache");
  const w = await workloadFigures(recorder, { rows: 8, cols: 8, layers: 4 }, queries, true);
  // Context (full runs only): larger tensors make the FFT, and so a hit, worth more.
  if (!quick) await workloadFigures(recorder, { rows: 32, cols: 32, layers: 4 }, queries, false);
  await hitFigures(recorder, w);
  await signatureHitFigures(recorder, w);
  if (sink === -1) console.log("unreachable", sink);
  recorder.write();
}

/** One hit on each path, cycling over tensors that are all cached, and the copy a hit returns. */
async function hitFigures(recorder: SuiteRecorder, w: Workload): Promise<void> {
  const quick = isQuick();
  const scenario = "a cache hit, 8x8x4 tensor query, d=64";
  recorder.section(`${scenario} (100 cached tensors in turn)`);
  const hot = [...new Set(w.sequence)].slice(0, 100);
  const cache = unwrap(QueryCache.create({ capacity: 128 }));
  const byDigest = unwrap(QueryCache.create({ capacity: 128 }));
  for (const t of hot) {
    encodeCached(w, cache, t);
    encodeCachedByDigest(w, byDigest, t);
  }
  const vector = encodeUncached(w, hot[0] as ChromaticTensor);
  const fingerprint = w.mapper.fingerprint;
  const cachedOnly = () => ok(vector); // never called: every lookup below hits
  const HITS = 1_000;
  const hits = (name: string, hit: (t: ChromaticTensor) => number) => ({
    name,
    opsPerCall: HITS,
    run: () => {
      for (let i = 0; i < HITS; i++) sink += hit(hot[i % hot.length] as ChromaticTensor);
    },
  });
  const results = await comparePaired(
    [
      hits("getOrComputeForTensor hit (hash + lookup + copy)", (t) => {
        const r = cache.getOrComputeForTensor(t, fingerprint, cachedOnly);
        return r.ok ? r.value.length : 0;
      }),
      hits("CacheableQuery hit (mean colour + tensorDigest + key + lookup + copy)", (t) => {
        const key: CacheableQuery = {
          chroma: t.meanRgb(),
          classHint: null,
          spectral: null,
          utilityPrior: null,
          tensorDigest: tensorDigest(t.colors, t, byDigest.precision),
        };
        const r = byDigest.getOrCompute(key, fingerprint, cachedOnly);
        return r.ok ? r.value.length : 0;
      }),
      hits("the copy alone (Float32Array(64).slice())", () => vector.slice().length),
      {
        name: "uncached encode (signature + FFT + encodeQuery)",
        opsPerCall: 1,
        run: () => {
          sink += encodeUncached(w, hot[0] as ChromaticTensor).length;
        },
      },
    ],
    { rounds: quick ? 3 : 5, timeMs: quick ? 50 : 150 },
  );
  const [hit, digestHit, copy, encode] = results;
  if (!hit || !digestHit || !copy || !encode) throw new Error("missing results");
  if (cache.misses !== hot.length || byDigest.misses !== hot.length) throw new Error("a timed lookup missed");
  recorder.add({ scenario, subject: hit.name, unit: "µs/hit", value: us(hit.msPerOp) });
  const vsHit = (r: typeof hit, meaning: string) => ({
    baseline: hit.name,
    meaning,
    ratio: r.ratioToReference.median,
  });
  recorder.add({
    scenario,
    subject: digestHit.name,
    unit: "µs/hit",
    value: us(digestHit.msPerOp),
    comparison: vsHit(digestHit, "x the time of a hit"),
  });
  recorder.add({
    scenario,
    subject: copy.name,
    unit: "µs/copy",
    value: us(copy.msPerOp),
    comparison: vsHit(copy, "x of a hit"),
  });
  recorder.add({
    scenario,
    subject: encode.name,
    unit: "µs/query",
    value: us(encode.msPerOp),
    comparison: vsHit(encode, "x the time of a hit"),
  });
}

/**
 * The string key getOrCompute built for a signature query until it moved to hashed slots (kept
 * here as the reference the new path is measured against): every field quantised and rendered
 * into one string, then a Map lookup. Validation as the cache did it; the fingerprint first.
 */
function stringKeyOf(q: CacheableQuery, fingerprint: string, scale: number): string {
  const quantise = (x: number) => {
    const scaled = x * scale;
    const r = Math.sign(scaled) * Math.round(Math.abs(scaled));
    return r === 0 ? "0" : String(r);
  };
  const prefixed = (text: string) => `${text.length}:${text}`;
  let key = `${prefixed(fingerprint)}|c`;
  for (let i = 0; i < 3; i++) {
    const x = q.chroma[i];
    if (typeof x !== "number" || !(x >= 0 && x <= 1)) throw new Error("bad chroma");
    key += i === 0 ? quantise(x) : `,${quantise(x)}`;
  }
  key += q.classHint === null ? "|h-" : `|h${prefixed(q.classHint)}`;
  key += q.utilityPrior === null ? "|u-" : `|u${quantise(q.utilityPrior)}`;
  key += q.tensorDigest === undefined ? "|t-" : `|t${prefixed(q.tensorDigest)}`;
  if (q.spectral === null) return `${key}|s-`;
  key += "|s";
  const fields = q.spectral as Readonly<Record<string, number | readonly number[]>>;
  for (const name of Object.keys(fields).sort()) {
    const value = fields[name];
    key += `;${prefixed(name)}=`;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new Error("bad spectral");
      key += quantise(value);
    } else if (Array.isArray(value)) {
      key += "[";
      for (let i = 0; i < value.length; i++) {
        const x = value[i];
        if (typeof x !== "number" || !Number.isFinite(x)) throw new Error("bad spectral");
        key += i === 0 ? quantise(x) : `,${quantise(x)}`;
      }
      key += "]";
    } else throw new Error("bad spectral");
  }
  return key;
}

/**
 * One hit on a signature query (chroma, class hint, spectral features, utility prior: what the
 * pool's soft retrieval looks up per query), the hashed key against the string key it replaced
 * and against encoding the query at all, in the same rounds.
 */
async function signatureHitFigures(recorder: SuiteRecorder, w: Workload): Promise<void> {
  const quick = isQuick();
  const scenario = "a cache hit, signature query (chroma, class hint, 6 spectral features), d=64";
  recorder.section(`${scenario} (100 cached queries in turn)`);
  const hot = [...new Set(w.sequence)].slice(0, 100).map((t, i) => {
    const s = unwrap(QuerySignature.fromTensor(t));
    return { ...s, classHint: i % 2 === 0 ? s.classHint : null, utilityPrior: i % 3 === 0 ? 0.25 : null };
  });
  const cache = unwrap(QueryCache.create({ capacity: 128 }));
  const fingerprint = w.mapper.fingerprint;
  const byString = new Map<string, Float32Array>();
  const scale = 1 / cache.precision;
  for (const q of hot) {
    const v = unwrap(cache.getOrCompute(q, fingerprint, () => w.mapper.encodeQuery(q)));
    byString.set(stringKeyOf(q, fingerprint, scale), v);
    if (cache.keyOf(q, fingerprint).ok !== true) throw new Error("keyOf failed");
  }
  const cachedOnly = () => ok(new Float32Array(64)); // never called: every lookup below hits
  const HITS = 1_000;
  const hits = (name: string, hit: (q: (typeof hot)[number]) => number) => ({
    name,
    opsPerCall: HITS,
    run: () => {
      for (let i = 0; i < HITS; i++) sink += hit(hot[i % hot.length] as (typeof hot)[number]);
    },
  });
  const results = await comparePaired(
    [
      hits("getOrCompute hit, signature query (hashed key + verify + lookup + copy)", (q) => {
        const r = cache.getOrCompute(q, fingerprint, cachedOnly);
        return r.ok ? r.value.length : 0;
      }),
      hits("the string key it replaced (build + Map lookup + copy)", (q) => {
        const v = byString.get(stringKeyOf(q, fingerprint, scale));
        return v === undefined ? 0 : v.slice().length;
      }),
      hits("encodeQuery of the signature (what a hit saves)", (q) => unwrap(w.mapper.encodeQuery(q)).length),
    ],
    { rounds: quick ? 3 : 5, timeMs: quick ? 50 : 150 },
  );
  const [hit, stringHit, encode] = results;
  if (!hit || !stringHit || !encode) throw new Error("missing results");
  if (cache.misses !== hot.length) throw new Error("a timed signature lookup missed");
  recorder.add({ scenario, subject: hit.name, unit: "µs/hit", value: us(hit.msPerOp) });
  for (const r of [stringHit, encode]) {
    recorder.add({
      scenario,
      subject: r.name,
      unit: r === encode ? "µs/query" : "µs/hit",
      value: us(r.msPerOp),
      comparison: { baseline: hit.name, meaning: "x the time of a hit", ratio: r.ratioToReference.median },
    });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
