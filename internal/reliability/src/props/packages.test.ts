import { dispersion, diversityStats, mmr, mmrFast } from "dreampool/diversity";
import { EmbeddingMapper, extractSpectralFeatures, QuerySignature } from "dreampool/embedding";
import {
  type DreamErrorKind,
  type DreamResult,
  invalidParameter,
  requireFinite,
  requireFiniteVector,
  requireInRange,
  requireInteger,
  requirePositiveInteger,
} from "dreampool/errors";
import { MemoryBudget, parseBytes } from "dreampool/memory";
import { QueryCache } from "dreampool/query-cache";
import { BiasProfile, createFeedbackRecord, rerankHybrid, validateWeights } from "dreampool/scoring";
import {
  add,
  blend,
  ChromaticNativeSolver,
  ChromaticTensor,
  clamp,
  generateColorDataset,
  mix,
  saturate,
  tensorFromBytes,
  tensorFromJSON,
  tensorToBytes,
  tensorToJSON,
} from "dreampool/tensor";
import fc from "fast-check";
import { afterAll, describe, it } from "vitest";
import { mustFail, mustNotThrow, safeString } from "../harness/check.js";
import { dreamTensor } from "../harness/fixtures.js";
import { badCount, badVector, hostile, nonFinite, oddValue, SPECIAL_NUMBERS } from "../harness/hostile.js";
import { Tally, writePart } from "../harness/tally.js";

// Every public entry point of the building-block packages under hostile input. Two kinds of rows:
// "fails": the input is certainly bad, so the call must return err of one of `kinds`;
// "total": any input, so the call must never throw, and an error must be one of `kinds`.

const tally = new Tally();
afterAll(() => writePart("props-packages", { cases: tally.toJSON(), total: tally.total }));

interface Row<A> {
  readonly name: string;
  readonly args: fc.Arbitrary<A>;
  readonly call: (a: A) => DreamResult<unknown>;
  readonly kinds: readonly DreamErrorKind[];
  readonly expect: "fails" | "total";
  readonly runs?: number;
}

const row = <A>(r: Row<A>): Row<unknown> => r as Row<unknown>;

const T = dreamTensor(3);
const U = dreamTensor(4);
const OTHER_SHAPE = dreamTensor(5, { rows: 3, cols: 5, layers: 2 });
const BAD_INPUT: DreamErrorKind[] = ["InvalidParameter", "DimensionMismatch"];
const CONFIG: DreamErrorKind[] = ["InvalidParameter", "InvalidConfiguration", "DimensionMismatch"];
const anyNumber = fc.oneof(fc.constantFrom(...SPECIAL_NUMBERS), fc.double(), fc.integer());

const mapper = (() => {
  const m = EmbeddingMapper.create({ dim: 32, seed: 7 });
  if (!m.ok) throw m.error;
  return m.value;
})();
const spectral = (() => {
  const s = extractSpectralFeatures(T);
  if (!s.ok) throw s.error;
  return s.value;
})();
const goodEntry = { chroma: [0.3, 0.5, 0.7] as const, spectral, classLabel: null, utility: 0.2 };

const unitVectors = (n: number, dim: number) =>
  Array.from({ length: n }, (_, i) => {
    const v = Float32Array.from({ length: dim }, (_, j) => Math.cos(0.7 * i + 1.3 * j) + 0.2);
    return v;
  });
const VECS = unitVectors(12, 6);

const candidate = (i: number) => ({
  id: `c${i}`,
  similarity: 0.9 - i * 0.05,
  utility: ((i % 5) - 2) / 2,
  classLabel: "Red" as const,
  lastUsedAt: 1_700_000_000_000,
  vector: VECS[i % VECS.length] as Float32Array,
});
const WEIGHTS = { alpha: 0.65, beta: 0.2, gamma: 0.1, delta: 0.05, lambda: 0.7 };

/** True when `colors` is a complete, finite colour array for `dims` (a valid input, not a bad one). */
function fitsDims(dims: unknown, colors: unknown): boolean {
  if (typeof dims !== "object" || dims === null || !(colors instanceof Float32Array)) return false;
  const { rows, cols, layers } = dims as Record<string, unknown>;
  const sizes = [rows, cols, layers];
  if (!sizes.every((n) => typeof n === "number" && Number.isInteger(n) && n >= 1)) return false;
  const expected = (rows as number) * (cols as number) * (layers as number) * 3;
  return colors.length === expected && colors.every(Number.isFinite);
}

const ROWS: Row<unknown>[] = [
  // errors validators: total on anything, and a non-null answer for every non-finite number.
  row({
    name: "errors.validators",
    args: hostile,
    call: (v) => {
      const found = [
        requireFinite("p", v),
        requireInteger("p", v),
        requirePositiveInteger("p", v),
        requireInRange("p", v, 0, 1),
        requireFiniteVector("p", v, 3, "reliability"),
      ];
      if (typeof v === "number" && !Number.isFinite(v) && found[0] === null)
        throw new Error("requireFinite accepted a non-finite number");
      return { ok: true, value: found.map((e) => e?.kind ?? null) };
    },
    kinds: [],
    expect: "total",
    runs: 600,
  }),
  // tensor factories
  row({
    name: "tensor.zeros",
    args: fc.tuple(fc.oneof(badCount, fc.constant(2 ** 31)), fc.constant(2), fc.constant(2)),
    call: ([r, c, l]) => ChromaticTensor.zeros(r as number, c as number, l as number),
    kinds: BAD_INPUT,
    expect: "fails",
  }),
  row({
    name: "tensor.fromSeed",
    args: fc.tuple(hostile, hostile, hostile, hostile),
    call: ([s, r, c, l]) => ChromaticTensor.fromSeed(s as number, r as number, c as number, l as number),
    kinds: [...BAD_INPUT, "CapacityExceeded", "MemoryExceeded"],
    expect: "total",
  }),
  row({
    name: "tensor.fromSeed-huge",
    args: fc.tuple(fc.constantFrom(2 ** 16, 2 ** 20, 2 ** 31, 1e12), fc.constantFrom(2 ** 16, 2 ** 20)),
    call: ([r, c]) => ChromaticTensor.fromSeed(1, r, c, 4),
    kinds: [...BAD_INPUT, "CapacityExceeded", "MemoryExceeded"],
    expect: "fails",
    runs: 20,
  }),
  row({
    name: "tensor.fromArrays",
    args: fc
      .tuple(
        fc.oneof(oddValue, fc.record({ rows: hostile, cols: fc.constant(2), layers: fc.constant(1) })),
        fc.oneof(badVector(12), fc.constant(new Float32Array(12).fill(Number.NaN))),
      )
      // A wrong-length vector is only bad while no generated row count makes its length right
      // (rows = 3 wants 3 · 2 · 1 · 3 = 18 finite colours, which is a valid tensor).
      .filter(([dims, colors]) => !fitsDims(dims, colors)),
    call: ([dims, colors]) => ChromaticTensor.fromArrays(dims as never, colors as never),
    kinds: BAD_INPUT,
    expect: "fails",
  }),
  row({
    name: "tensor.fromColor",
    args: fc.oneof(
      fc.tuple(
        fc.oneof(oddValue, fc.constant([0.1, Number.NaN, 0.2])),
        fc.constant({ rows: 2, cols: 2, layers: 1 } as unknown),
        fc.constant({} as unknown),
      ),
      fc.tuple(
        fc.constant([0.1, 0.2, 0.3] as unknown),
        fc.constant({ rows: 2, cols: 2, layers: 1 } as unknown),
        fc.oneof(nonFinite, fc.constant(-1)).map((noise) => ({ noise }) as unknown),
      ),
    ),
    call: ([rgb, dims, o]) => ChromaticTensor.fromColor(rgb as never, dims as never, o as never),
    kinds: BAD_INPUT,
    expect: "fails",
  }),
  row({
    name: "tensor.rgbAt",
    args: fc.tuple(hostile, hostile, hostile),
    call: ([r, c, l]) => T.rgbAt(r as number, c as number, l as number),
    kinds: BAD_INPUT,
    expect: "total",
  }),
  // tensor ops
  row({
    name: "tensor.ops-shape",
    args: fc.constantFrom("mix", "add", "blend", "clamp", "saturate"),
    call: (op) =>
      op === "mix"
        ? mix(T, OTHER_SHAPE)
        : op === "add"
          ? add(T, OTHER_SHAPE)
          : op === "blend"
            ? blend(T, OTHER_SHAPE, 0.5)
            : op === "clamp"
              ? clamp(T, 1, 0)
              : saturate(T, Number.NaN),
    kinds: BAD_INPUT,
    expect: "fails",
    runs: 50,
  }),
  row({
    name: "tensor.ops-hostile",
    args: fc.tuple(
      fc.oneof(oddValue, fc.constant(T as unknown), fc.constant(U as unknown)),
      anyNumber,
      anyNumber,
    ),
    call: ([x, a, b]) => {
      const results = [
        blend(T, x as ChromaticTensor, a),
        clamp(x as ChromaticTensor, a, b),
        saturate(x as ChromaticTensor, a),
      ];
      for (const r of results) {
        if (r.ok)
          for (const v of r.value.colors)
            if (!Number.isFinite(v)) throw new Error("an op produced a non-finite colour");
      }
      const bad = results.find((r) => !r.ok);
      return bad ?? { ok: true, value: null };
    },
    kinds: BAD_INPUT,
    expect: "total",
  }),
  // solver
  row({
    name: "tensor.solver-create",
    args: fc
      .constantFrom("lambdaTv", "lambdaSat", "targetSaturation", "discontinuityThreshold")
      .chain((k) => fc.oneof(nonFinite, fc.constant(-1), fc.constantFrom("1", {})).map((v) => ({ [k]: v }))),
    call: (p) => ChromaticNativeSolver.create(p as never),
    kinds: CONFIG,
    expect: "fails",
  }),
  row({
    name: "tensor.solver-evaluate",
    args: oddValue,
    call: (t) => {
      const s = ChromaticNativeSolver.create();
      if (!s.ok) return s;
      return s.value.evaluate(t as ChromaticTensor, true);
    },
    kinds: BAD_INPUT,
    expect: "fails",
  }),
  // serialisation
  row({
    name: "tensor.fromBytes",
    args: fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc.integer({ min: 0, max: tensorToBytes(T).length - 1 }).map((cut) => tensorToBytes(T).slice(0, cut)),
      fc.tuple(fc.integer({ min: 0, max: 27 }), fc.integer({ min: 1, max: 255 })).map(([at, x]) => {
        const b = tensorToBytes(T);
        b[at] = (b[at] as number) ^ x;
        return b;
      }),
    ),
    call: (b) => tensorFromBytes(b),
    kinds: ["IndexCorrupted", "InvalidParameter", "DimensionMismatch", "MemoryExceeded", "CapacityExceeded"],
    expect: "total",
  }),
  row({
    name: "tensor.fromJSON",
    args: fc.oneof(
      hostile,
      fc.jsonValue(),
      fc
        .tuple(fc.constantFrom("rows", "cols", "layers", "colors", "certainty"), hostile)
        .map(([k, v]) => ({ ...tensorToJSON(T), [k]: v })),
    ),
    call: (j) => tensorFromJSON(j),
    kinds: ["InvalidParameter", "DimensionMismatch", "IndexCorrupted"],
    expect: "total",
  }),
  // dataset
  row({
    name: "tensor.dataset",
    args: fc
      .constantFrom("samplesPerClass", "rows", "cols", "layers", "noise", "seed")
      .chain((k) => fc.oneof(badCount, fc.constant(2 ** 40)).map((v) => ({ [k]: v }))),
    call: (o) => generateColorDataset({ samplesPerClass: 1, rows: 2, cols: 2, layers: 1, ...(o as object) }),
    kinds: [...BAD_INPUT, "InvalidConfiguration", "MemoryExceeded", "CapacityExceeded"],
    expect: "total",
  }),
  row({
    name: "tensor.dataset-batch",
    args: fc.tuple(hostile, hostile, hostile),
    call: ([size, index, ratio]) => {
      const d = generateColorDataset({ samplesPerClass: 2, rows: 2, cols: 2, layers: 1 });
      if (!d.ok) return d;
      const results = [
        d.value.batch(size as number, index as number),
        d.value.numBatches(size as number),
        d.value.split(ratio as number),
      ];
      return results.find((r) => !r.ok) ?? { ok: true, value: null };
    },
    kinds: [...BAD_INPUT, "EmptyCollection"],
    expect: "total",
    runs: 300,
  }),
  // embedding
  row({
    name: "embedding.extract",
    args: fc.tuple(
      fc.oneof(oddValue, fc.constant(T as unknown)),
      fc.oneof(
        hostile.map((window) => ({ window })),
        oddValue,
      ),
    ),
    call: ([t, o]) => extractSpectralFeatures(t as ChromaticTensor, o as never),
    kinds: BAD_INPUT,
    expect: "total",
  }),
  row({
    name: "embedding.mapper-create",
    args: fc.oneof(
      badCount.map((dim) => ({ dim })),
      fc.constant({ dim: 2 ** 31 }),
      hostile
        .filter((w) => w !== undefined && w !== null && w !== "none" && w !== "hann" && w !== "hamming")
        .map((window) => ({ window })),
      fc
        .tuple(
          fc.constantFrom("chroma", "spectral", "class", "utility"),
          fc.oneof(nonFinite, fc.constant(-1)),
        )
        .map(([k, v]) => ({ weights: { [k]: v } })),
    ),
    call: (o) => EmbeddingMapper.create(o as never),
    kinds: CONFIG,
    expect: "fails",
  }),
  row({
    name: "embedding.encodeEntry",
    args: fc.oneof(
      oddValue,
      fc
        .tuple(fc.constantFrom("chroma", "spectral", "classLabel", "utility"), hostile)
        .map(([k, v]) => ({ ...goodEntry, [k]: v })),
    ),
    call: (e) => {
      const r = mapper.encodeEntry(e as never);
      if (r.ok) {
        let norm = 0;
        for (const x of r.value) norm += x * x;
        if (!(Math.abs(norm - 1) < 1e-3))
          throw new Error(
            `encodeEntry accepted ${safeString(e)} and returned a vector of norm ${Math.sqrt(norm)}`,
          );
      }
      return r;
    },
    kinds: BAD_INPUT,
    expect: "total",
  }),
  row({
    name: "embedding.QuerySignature",
    args: fc.tuple(fc.oneof(oddValue, fc.constant([0.2, Number.NaN, 0.1]), fc.constant([0.1, 0.2])), hostile),
    call: ([rgb, cls]) => {
      const results = [
        QuerySignature.fromChroma(rgb as never),
        QuerySignature.withClass(rgb as never, cls as never),
      ];
      return results.find((r) => !r.ok) ?? { ok: true, value: null };
    },
    kinds: BAD_INPUT,
    expect: "fails",
  }),
  row({
    name: "embedding.encodeQuery",
    args: fc.tuple(fc.constantFrom("chroma", "classHint", "spectral", "utilityPrior"), hostile),
    call: ([k, v]) => {
      const q = QuerySignature.fromChroma([0.4, 0.2, 0.6]);
      if (!q.ok) return q;
      return mapper.encodeQuery({ ...q.value, [k]: v } as never);
    },
    kinds: BAD_INPUT,
    expect: "total",
  }),
  // diversity
  row({
    name: "diversity.mmr",
    args: fc.oneof(
      badCount.map((k) => ({ k, lambda: 0.5 })),
      fc.oneof(nonFinite, fc.constantFrom(-0.1, 1.1, "0.5")).map((lambda) => ({ k: 3, lambda })),
      fc.constant({ k: 3, lambda: 0.5, relevance: [1, 2] }),
      fc.constant({ k: 3, lambda: 0.5, relevance: VECS.map(() => Number.NaN) }),
      fc.constant({ k: 3, lambda: 0.5, query: new Float32Array(2) }),
      fc.constant({ k: 3, lambda: 0.5, similarity: () => Number.NaN }),
      fc.constant({
        k: 3,
        lambda: 0.5,
        similarity: () => {
          throw new Error("hostile similarity");
        },
      }),
    ),
    call: (o) => {
      const input = { vectors: VECS, query: VECS[0], ...(o as object) };
      const a = mmr(input as never);
      const b = mmrFast(input as never);
      return !a.ok ? a : b;
    },
    kinds: BAD_INPUT,
    expect: "fails",
  }),
  row({
    name: "diversity.mmr-valid-k",
    args: fc.tuple(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0, max: 1, noNaN: true })),
    call: ([k, lambda]) => {
      const r = mmr({ vectors: VECS, query: VECS[1] as Float32Array, k, lambda });
      if (r.ok && r.value.indices.length !== Math.min(k, VECS.length))
        throw new Error(`mmr k=${k} returned ${r.value.indices.length}`);
      if (r.ok && new Set(r.value.indices).size !== r.value.indices.length)
        throw new Error("mmr picked an index twice");
      return r;
    },
    kinds: [],
    expect: "total",
    runs: 200,
  }),
  row({
    name: "diversity.stats",
    args: fc.oneof(
      oddValue,
      fc.array(fc.oneof(fc.constant([0.1, 0.2, 0.3]), fc.constant([Number.NaN, 0, 0]), fc.constant([1, 2])), {
        maxLength: 5,
      }),
    ),
    call: (p) => {
      const a = diversityStats(p as never);
      return a.ok ? dispersion(p as never) : a;
    },
    kinds: [...BAD_INPUT, "EmptyCollection"],
    expect: "total",
  }),
  // scoring
  row({
    name: "scoring.validateWeights",
    args: fc.oneof(
      oddValue,
      fc
        .tuple(
          fc.constantFrom("alpha", "beta", "gamma", "delta", "lambda"),
          fc.oneof(nonFinite, fc.constantFrom(-0.5, 2, "0.1")),
        )
        .map(([k, v]) => ({ ...WEIGHTS, [k]: v })),
    ),
    call: (w) => validateWeights(w as never),
    kinds: ["InvalidParameter", "InvalidConfiguration"],
    expect: "fails",
  }),
  row({
    name: "scoring.rerankHybrid",
    args: fc.oneof(
      badCount.map((k) => ({ k })),
      fc
        .tuple(
          fc.integer({ min: 0, max: 5 }),
          fc.constantFrom("similarity", "utility", "lastUsedAt", "vector", "id", "classLabel"),
          hostile,
        )
        .map(([at, field, v]) => ({ at, field, v })),
      fc.constant({ weights: { ...WEIGHTS, alpha: Number.NaN } }),
      fc.constant({ diversity: { method: "slow" } }),
      fc.constant({ queryClass: "Nope" }),
    ),
    call: (o) => {
      const { at, field, v, ...opts } = o as { at?: number; field?: string; v?: unknown };
      const cands: Record<string, unknown>[] = Array.from({ length: 6 }, (_, i) => candidate(i));
      if (at !== undefined && field !== undefined) cands[at] = { ...cands[at], [field]: v };
      return rerankHybrid(
        cands as never,
        { weights: WEIGHTS, queryClass: null, k: 3, diversity: false, ...opts } as never,
      );
    },
    kinds: BAD_INPUT,
    expect: "total",
  }),
  row({
    name: "scoring.BiasProfile.fromJSON",
    args: fc.oneof(
      hostile,
      fc.jsonValue(),
      fc.constant({ version: 1, utilityThreshold: Number.NaN, classes: {} }),
      fc.constant({ version: 1, utilityThreshold: 0, classes: { __proto__: { mean: 1, count: 1 } } }),
      fc.constant({ version: 1, utilityThreshold: 0, classes: { Red: { mean: 5, count: -1 } } }),
    ),
    call: (j) => {
      const r = BiasProfile.fromJSON(j);
      if (r.ok)
        for (const cls of ["Red", "Blue", "Black"] as const) {
          const w = r.value.classWeight(cls);
          if (!(w >= 0 && w <= 1)) throw new Error(`fromJSON(${safeString(j)}) gives classWeight ${w}`);
        }
      return r;
    },
    kinds: ["InvalidParameter", "InvalidConfiguration", "IndexCorrupted"],
    expect: "total",
  }),
  row({
    name: "scoring.feedbackRecord",
    args: fc.record({ lossBefore: hostile, lossAfter: hostile }),
    call: (i) => createFeedbackRecord(i as never),
    kinds: BAD_INPUT,
    expect: "total",
  }),
  // memory
  row({
    name: "memory.parseBytes",
    args: fc.oneof(
      hostile,
      fc.string({ maxLength: 12 }),
      fc.constantFrom("1e400 GB", "-1 KB", "NaN MB", "1.5.5 MB", "9007199254740993", "1 PB", "Infinity"),
    ),
    call: (s) => {
      const r = parseBytes(s as never);
      if (r.ok && !(Number.isSafeInteger(r.value) && r.value >= 0))
        throw new Error(`parseBytes(${safeString(s)}) = ${r.value}`);
      return r;
    },
    kinds: ["InvalidParameter", "InvalidConfiguration"],
    expect: "total",
  }),
  row({
    name: "memory.budget-create",
    args: fc.oneof(
      badCount.filter((v) => v !== 0 && typeof v !== "string").map((maxBytes) => ({ maxBytes })),
      fc
        .oneof(nonFinite, fc.constantFrom(0, -0.5, 1.5))
        .map((evictionThreshold) => ({ maxBytes: 1000, evictionThreshold })),
    ),
    call: (o) => MemoryBudget.create(o as never),
    kinds: CONFIG,
    expect: "fails",
  }),
  row({
    name: "memory.budget-ops",
    args: fc.array(fc.tuple(fc.constantFrom("charge", "release", "plan"), anyNumber), { maxLength: 8 }),
    call: (ops) => {
      const b = MemoryBudget.create({ maxBytes: 10_000 });
      if (!b.ok) return b;
      for (const [op, n] of ops) {
        const before = b.value.used;
        const r =
          op === "charge"
            ? b.value.charge(n)
            : op === "release"
              ? b.value.release(n)
              : { ok: true as const, value: b.value.planEviction(n) };
        if (!r.ok && b.value.used !== before) throw new Error(`${op}(${n}) failed but moved used`);
        if (!(b.value.used >= 0 && Number.isFinite(b.value.used)))
          throw new Error(`used became ${b.value.used}`);
      }
      return { ok: true, value: null };
    },
    kinds: [],
    expect: "total",
    runs: 400,
  }),
  // query cache
  row({
    name: "query-cache.create",
    args: fc.oneof(
      badCount.map((capacity) => ({ capacity })),
      fc.oneof(nonFinite, fc.constantFrom(0, -1)).map((precision) => ({ precision })),
      badCount.map((maxBytes) => ({ maxBytes })),
    ),
    call: (o) => QueryCache.create(o as never),
    kinds: CONFIG,
    expect: "fails",
  }),
  row({
    name: "query-cache.getOrCompute",
    args: fc.tuple(
      fc.oneof(
        oddValue,
        fc
          .tuple(fc.constantFrom("chroma", "classHint", "spectral", "utilityPrior"), hostile)
          .map(([k, v]) => ({
            chroma: [0.1, 0.2, 0.3],
            classHint: null,
            spectral: null,
            utilityPrior: null,
            [k]: v,
          })),
      ),
      fc.constantFrom("ok", "err", "throw", "nan"),
    ),
    call: ([q, mode]) => {
      const c = QueryCache.create({ capacity: 4 });
      if (!c.ok) return c;
      return c.value.getOrCompute(q as never, "fp", () => {
        if (mode === "throw") throw new Error("hostile compute");
        if (mode === "nan") return { ok: true, value: Float32Array.of(Number.NaN) };
        return mode === "ok"
          ? { ok: true, value: Float32Array.of(1, 0) }
          : { ok: false, error: invalidParameter("query", "x", "test error") };
      });
    },
    kinds: ["InvalidParameter", "DimensionMismatch", "CriticalState", "FeatureUnavailable"],
    expect: "total",
  }),
];

describe("building-block packages under hostile input", () => {
  it.each(ROWS.map((r) => [r.name, r] as const))("%s", (_name, r) => {
    fc.assert(
      fc.property(r.args, (a) => {
        tally.hit(r.name);
        const label = `${r.name}(${safeString(a)})`;
        if (r.expect === "fails") mustFail(label, r.kinds, () => r.call(a));
        else mustNotThrow(label, r.kinds.length === 0 ? ["CriticalState"] : r.kinds, () => r.call(a));
      }),
      { numRuns: r.runs ?? 500 },
    );
  });
});
