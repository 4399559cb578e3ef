import { DreamPool, type PoolQuery, type RetrieveOptions } from "dreampool/pool";
import { ChromaticTensor, COLOR_CLASSES, type Rgb } from "dreampool/tensor";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mustFail, mustNotThrow, mustReturn, safeString } from "../harness/check.js";
import { classFor, DIMS, dreamResult, dreamTensor } from "../harness/fixtures.js";
import { badCount, hostile, nonFinite, oddValue, PROTO_IDS, SPECIAL_NUMBERS } from "../harness/hostile.js";
import { Tally, writePart } from "../harness/tally.js";

// DreamPool under hostile input. Every bad call must return the right DreamError, and afterwards
// the pool must be indistinguishable from before: the same stats(), the same entries (utility,
// usage), and the same answers to a fixed set of retrievals in every mode. The clock is fixed, so
// retrieval answers depend on the pool's content only.

const tally = new Tally();
afterAll(() => writePart("props-pool", { cases: tally.toJSON(), total: tally.total }));

const T0 = 1_700_000_000_000;
const N = 40;
let pool: DreamPool;
const ids: string[] = [];
let baselineAnswers = "";

const PROBES: { query: PoolQuery; options: RetrieveOptions }[] = [
  { query: [0.8, 0.2, 0.1], options: { mode: "hard", k: 5 } },
  { query: [0.2, 0.3, 0.9], options: { mode: "soft", k: 5 } },
  { query: [0.4, 0.7, 0.3], options: { mode: "hybrid", k: 6, diversity: { method: "exact", lambda: 0.6 } } },
  { query: [0.5, 0.5, 0.2], options: { mode: "soft", k: 4, classFilter: "Red" } },
];

function answers(): string {
  return JSON.stringify(
    PROBES.map(({ query, options }) => {
      const r = pool.retrieve(query, options);
      return r.ok ? r.value.map((d) => `${d.entry.id}:${d.score.toFixed(9)}`) : r.error.kind;
    }),
  );
}

function entryDigest(): string {
  return JSON.stringify(
    pool.entries().map((e) => [e.id, e.utility.mean, e.utility.count, e.usageCount, e.lastUsedAt]),
  );
}

/**
 * Runs a call that must not change the pool. "strict": nothing may move. "cache": the query cache
 * may have embedded a valid query before a later step failed (a throwing filter), nothing else.
 * "legit": a valid retrieval, which moves the cache counters and usage fields, nothing else.
 */
function unchanged(label: string, call: () => void, allowed: "strict" | "cache" | "legit" = "strict"): void {
  const stats = pool.stats();
  const digest = entryDigest();
  call();
  const after = pool.stats();
  if (allowed === "strict") expect(after, `${label} changed stats`).toEqual(stats);
  else expect({ ...after, cache: null }, `${label} changed stats`).toEqual({ ...stats, cache: null });
  if (allowed !== "legit") expect(entryDigest(), `${label} changed entries`).toBe(digest);
  expect(answers(), `${label} changed retrieval answers`).toBe(baselineAnswers);
}

beforeAll(() => {
  const created = DreamPool.create({
    maxSize: 64,
    memoryBudgetBytes: "1 MiB",
    index: "hnsw",
    hnsw: { m: 8, efConstruction: 64, ef: 64 },
    clock: () => T0,
    evictionPolicy: "lru",
  });
  if (!created.ok) throw created.error;
  pool = created.value;
  for (let i = 0; i < N; i++) {
    const id = pool.add(dreamTensor(i), dreamResult(i), { classLabel: classFor(i), meta: { i } });
    if (!id.ok) throw id.error;
    ids.push(id.value);
    if (i % 3 === 0) pool.feedback(id.value, { utility: ((i % 7) - 3) / 3 });
  }
  answers(); // first pass fills the query cache; from here on answers are stable
  baselineAnswers = answers();
  expect(answers()).toBe(baselineAnswers);
});

const goodTensor = dreamTensor(1234);
const goodResult = dreamResult(1234);

/** Tensors that are not tensors, or tensors holding NaN / Infinity. */
const badTensor: fc.Arbitrary<unknown> = fc.oneof(
  oddValue,
  fc.constant({ rows: 4, cols: 4, layers: 2, colors: new Float32Array(96), certainty: new Float32Array(32) }),
  fc.tuple(fc.integer({ min: 0, max: 95 }), nonFinite).map(([at, v]) => {
    const colors = Float32Array.from(goodTensor.colors);
    colors[at] = v;
    return ChromaticTensor.unsafeCreate(DIMS, colors, Float32Array.from(goodTensor.certainty));
  }),
  fc.tuple(fc.integer({ min: 0, max: 31 }), nonFinite).map(([at, v]) => {
    const certainty = Float32Array.from(goodTensor.certainty);
    certainty[at] = v;
    return ChromaticTensor.unsafeCreate(DIMS, Float32Array.from(goodTensor.colors), certainty);
  }),
);

/** Solver results with a missing or non-finite field, or a gradient of the wrong length. */
const badResult: fc.Arbitrary<unknown> = fc.oneof(
  oddValue,
  fc
    .tuple(fc.constantFrom("energy", "coherence", "violation"), fc.oneof(nonFinite, oddValue))
    .map(([field, v]) => ({ ...goodResult, [field]: v })),
  fc.constant({ ...goodResult, grad: new Float32Array(5) }),
  fc.constant({ ...goodResult, mask: new Float32Array(3) }),
  fc.constant({ ...goodResult, meta: { nested: { no: 1 } } }),
  fc.constant({ ...goodResult, meta: null }),
);

const badAddOptions: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  hostile
    .filter((c) => c !== undefined && c !== null && !COLOR_CLASSES.includes(c as never))
    .map((classLabel) => ({ classLabel })),
  fc.constantFrom({ meta: { a: {} } }, { meta: { a: [1] } }, { meta: { a: Number.NaN } }, { meta: "x" }),
  fc.oneof(nonFinite, fc.constantFrom("now", {})).map((now) => ({ now })),
);

const badRgb: fc.Arbitrary<unknown> = fc.oneof(
  oddValue,
  fc.constant([0.1, 0.2]),
  fc.constant([0.1, 0.2, 0.3, 0.4]),
  fc.tuple(fc.integer({ min: 0, max: 2 }), nonFinite).map(([at, v]) => {
    const rgb = [0.3, 0.4, 0.5];
    rgb[at] = v;
    return rgb;
  }),
);

const badRetrieveOptions: fc.Arbitrary<unknown> = fc.oneof(
  badCount.map((k) => ({ k })),
  hostile
    .filter((m) => m != null && m !== "hard" && m !== "soft" && m !== "hybrid")
    .map((mode) => ({ mode })),
  badCount.map((overFetch) => ({ overFetch })),
  hostile
    .filter((c) => c != null && !COLOR_CLASSES.includes(c as never))
    .map((classFilter) => ({ classFilter })),
  fc.oneof(nonFinite, fc.constantFrom(1.5, -1.5, "0")).map((minUtility) => ({ minUtility })),
  oddValue.filter((f) => f != null && typeof f !== "function").map((filter) => ({ filter })),
  fc.constantFrom(
    { weights: { alpha: Number.NaN, beta: 0.2, gamma: 0.1, delta: 0.05, lambda: 0.7 } },
    { weights: { alpha: -1, beta: 0.2, gamma: 0.1, delta: 0.05, lambda: 0.7 } },
    { weights: {} },
    { weights: null },
    { diversity: { method: "greedy" } },
    { diversity: { method: "exact", lambda: 1.5 } },
    { diversity: { method: "fast", lambda: Number.NaN } },
    { diversity: true },
    { now: Number.NaN },
    { now: "today" },
  ),
  fc.constantFrom(5, "soft", [] as unknown),
);

describe("DreamPool under hostile input (pool state checked after every call)", () => {
  it("add / addIfCoherent / addWithClass reject bad tensors, results and options", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ t: badTensor, r: fc.constant(goodResult as unknown), o: fc.constant({} as unknown) }),
          fc.record({ t: fc.constant(goodTensor as unknown), r: badResult, o: fc.constant({} as unknown) }),
          fc.record({
            t: fc.constant(goodTensor as unknown),
            r: fc.constant(goodResult as unknown),
            o: badAddOptions,
          }),
        ),
        fc.constantFrom("add", "addIfCoherent"),
        ({ t, r, o }, method) => {
          tally.hit(`pool.${method}`);
          unchanged(`${method}`, () => {
            mustFail(
              `pool.${method}(${safeString(t)}, ${safeString(r)}, ${safeString(o)})`,
              ["InvalidParameter", "DimensionMismatch"],
              () =>
                method === "add"
                  ? pool.add(t as never, r as never, o as never)
                  : pool.addIfCoherent(t as never, r as never, o as never),
            );
          });
        },
      ),
      { numRuns: 1500 },
    );
    fc.assert(
      fc.property(
        hostile.filter((c) => !COLOR_CLASSES.includes(c as never)),
        (cls) => {
          tally.hit("pool.addWithClass");
          unchanged("addWithClass", () => {
            mustFail(`pool.addWithClass(${safeString(cls)})`, ["InvalidParameter"], () =>
              pool.addWithClass(goodTensor, goodResult, cls as never),
            );
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("an entry larger than the whole budget is MemoryExceeded and the pool is unchanged", () => {
    const huge = dreamTensor(77, { rows: 128, cols: 128, layers: 4 });
    tally.hit("pool.add-over-budget");
    unchanged("over-budget add", () => {
      mustFail("pool.add(entry > budget)", ["MemoryExceeded"], () => pool.add(huge, dreamResult(77)));
    });
  });

  it("addBatch with one bad item anywhere fails whole and leaves the pool unchanged", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 7 }),
        fc.oneof(
          badTensor.map((tensor) => ({ tensor, result: goodResult })),
          badResult.map((result) => ({ tensor: goodTensor, result })),
          oddValue,
          fc.constant({ tensor: goodTensor, result: goodResult, classLabel: "Mauve" }),
        ),
        (at, n, bad) => {
          tally.hit("pool.addBatch");
          const items: unknown[] = Array.from({ length: n }, (_, i) => ({
            tensor: dreamTensor(500 + i),
            result: dreamResult(500 + i),
          }));
          items.splice(Math.min(at, n), 0, bad);
          unchanged("addBatch", () => {
            mustFail(`pool.addBatch(bad item at ${at})`, ["InvalidParameter", "DimensionMismatch"], () =>
              pool.addBatch(items as never),
            );
          });
        },
      ),
      { numRuns: 400 },
    );
    for (const items of [null, undefined, 5, "abc", {}, { [Symbol.iterator]: 1 }]) {
      tally.hit("pool.addBatch-not-iterable");
      unchanged("addBatch(non-iterable)", () => {
        mustFail(`pool.addBatch(${safeString(items)})`, ["InvalidParameter"], () =>
          pool.addBatch(items as never),
        );
      });
    }
    // A throwing iterator and a throwing progress callback never escape.
    tally.hit("pool.addBatch-throwing-iterator");
    const throwing = {
      *[Symbol.iterator]() {
        yield { tensor: dreamTensor(900), result: dreamResult(900) };
        throw new Error("hostile iterator");
      },
    };
    unchanged("addBatch(throwing iterator)", () => {
      mustFail("pool.addBatch(throwing iterator)", ["InvalidParameter"], () =>
        pool.addBatch(throwing as never),
      );
    });
  });

  it("feedback on unknown or prototype ids, and with bad input, is InvalidParameter", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            id: fc.oneof(fc.constantFrom(...PROTO_IDS), oddValue, fc.constant("d99999")),
            input: fc.constant({ utility: 0.5 } as unknown),
          }),
          fc.record({
            id: fc.constantFrom(...ids),
            input: fc.oneof(
              oddValue,
              fc
                .oneof(
                  fc.constantFrom(...SPECIAL_NUMBERS).filter((u) => !(u >= -1 && u <= 1)),
                  oddValue,
                )
                .map((utility) => ({ utility })),
              fc
                .tuple(fc.oneof(nonFinite, oddValue), fc.double({ min: -5, max: 5, noNaN: true }))
                .map(([a, b]) => ({ lossBefore: a, lossAfter: b })),
              fc.constant({ lossBefore: 1 }),
            ),
          }),
        ),
        ({ id, input }) => {
          tally.hit("pool.feedback");
          unchanged("feedback", () => {
            mustFail(`pool.feedback(${safeString(id)}, ${safeString(input)})`, ["InvalidParameter"], () =>
              pool.feedback(id as string, input as never),
            );
          });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("retrieve rejects bad queries and bad options in every mode, and a throwing filter", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ query: fc.constant([0.3, 0.6, 0.2] as unknown), options: badRetrieveOptions }),
          fc.record({
            query: fc.oneof(
              badRgb,
              badTensor.filter((t) => t instanceof ChromaticTensor),
            ),
            options: fc.constantFrom("hard", "soft", "hybrid").map((mode) => ({ mode }) as unknown),
          }),
          fc.record({
            query: fc.constant([0.3, 0.6, 0.2] as unknown),
            options: fc
              .tuple(fc.constantFrom("hard", "soft", "hybrid"), fc.integer({ min: 0, max: N }))
              .map(([mode, at]) => ({
                mode,
                filter: (e: { id: string }) => {
                  if (e.id === ids[at % N]) throw new Error("hostile filter");
                  return true;
                },
              })),
          }),
        ),
        ({ query, options }) => {
          tally.hit("pool.retrieve");
          const throwingFilter = typeof (options as { filter?: unknown } | null)?.filter === "function";
          unchanged(
            "retrieve",
            () => {
              mustFail(
                `pool.retrieve(${safeString(query)}, ${safeString(options)})`,
                ["InvalidParameter", "DimensionMismatch"],
                () => pool.retrieve(query as never, options as never),
              );
            },
            throwingFilter ? "cache" : "strict",
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("retrieve with odd but valid k (1, > size, huge) answers min(k, eligible), best first", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("hard", "soft", "hybrid") as fc.Arbitrary<"hard" | "soft" | "hybrid">,
        fc.oneof(fc.constantFrom(1, N, N + 1, 1000), fc.integer({ min: 1, max: 200 })),
        (mode, k) => {
          tally.hit("pool.retrieve-valid-k");
          unchanged(
            "valid retrieve",
            () => {
              const r = mustReturn(`pool.retrieve(k=${k}, ${mode})`, () =>
                pool.retrieve([0.6, 0.3, 0.4], { mode, k }),
              );
              expect(r.ok).toBe(true);
              if (!r.ok) return;
              expect(r.value.length).toBeLessThanOrEqual(Math.min(k, N));
              if (mode !== "soft" || k <= 10) expect(r.value.length).toBe(Math.min(k, N));
              expect(new Set(r.value.map((d) => d.entry.id)).size).toBe(r.value.length);
              for (const d of r.value) expect(Number.isFinite(d.score)).toBe(true);
            },
            "legit",
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it("the seed's convenience retrievals reject bad colours, k, classes, lambda and thresholds", () => {
    const calls: fc.Arbitrary<{ label: string; call: () => ReturnType<DreamPool["retrieve"]> }> = fc.oneof(
      fc.tuple(badRgb, fc.constant(3 as unknown)).map(([rgb, k]) => ({
        label: `retrieveSimilar(${safeString(rgb)})`,
        call: () => pool.retrieveSimilar(rgb as Rgb, k as number),
      })),
      badCount.map((k) => ({
        label: `retrieveSimilar(k=${safeString(k)})`,
        call: () => pool.retrieveSimilar([0.2, 0.5, 0.6], k as number),
      })),
      badCount.map((k) => ({
        label: `retrieveSimilarClass(k=${safeString(k)})`,
        call: () => pool.retrieveSimilarClass([0.2, 0.5, 0.6], "Blue", k as number),
      })),
      hostile
        .filter((c) => c != null && !COLOR_CLASSES.includes(c as never))
        .map((cls) => ({
          label: `retrieveSimilarClass(${safeString(cls)})`,
          call: () => pool.retrieveSimilarClass([0.2, 0.5, 0.6], cls as never, 3),
        })),
      fc
        .oneof(
          oddValue.filter((c) => !Array.isArray(c)),
          fc.constant(["Red", "Nope"]),
          fc.constant(["__proto__"]),
        )
        .map((classes) => ({
          label: `retrieveBalanced(${safeString(classes)})`,
          call: () => pool.retrieveBalanced([0.5, 0.5, 0.5], classes as never, 2),
        })),
      badCount.map((k) => ({
        label: `retrieveBalanced(kPerClass=${safeString(k)})`,
        call: () => pool.retrieveBalanced([0.5, 0.5, 0.5], ["Red", "Blue"], k as number),
      })),
      fc.oneof(nonFinite, fc.constantFrom(1.01, -2, "0.5")).map((u) => ({
        label: `retrieveByUtility(min=${safeString(u)})`,
        call: () => pool.retrieveByUtility([0.5, 0.5, 0.5], 3, u as number),
      })),
      fc.oneof(nonFinite, fc.constantFrom(-0.1, 1.1, "1", null)).map((l) => ({
        label: `retrieveDiverse(lambda=${safeString(l)})`,
        call: () => pool.retrieveDiverse([0.5, 0.5, 0.5], 3, l as number),
      })),
      fc.oneof(nonFinite, fc.constantFrom(-0.1, "1", null)).map((d) => ({
        label: `retrieveDiverse(minDispersion=${safeString(d)})`,
        call: () => pool.retrieveDiverse([0.5, 0.5, 0.5], 3, 0.5, d as number),
      })),
      badCount.map((k) => ({
        label: `retrieveSoft(k=${safeString(k)})`,
        call: () => pool.retrieveSoft([0.5, 0.5, 0.5], k as number),
      })),
    );
    fc.assert(
      fc.property(calls, ({ label, call }) => {
        tally.hit("pool.convenience-retrievals");
        unchanged(label, () => {
          mustFail(`pool.${label}`, ["InvalidParameter", "DimensionMismatch"], call);
        });
      }),
      { numRuns: 1500 },
    );
  });

  it("remove / get / has with prototype names and odd values find nothing and change nothing", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...PROTO_IDS), oddValue), (id) => {
        tally.hit("pool.remove-get-has");
        unchanged("remove/get/has", () => {
          expect(pool.get(id as string)).toBeUndefined();
          expect(pool.has(id as string)).toBe(false);
          expect(pool.remove(id as string)).toBe(false);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("DreamPool.create rejects every invalid configuration with InvalidConfiguration naming the field", () => {
    const invalid: fc.Arbitrary<[string, unknown]> = fc.oneof(
      badCount.map((v) => ["maxSize", v] as [string, unknown]),
      fc.constantFrom(2 ** 40, Number.MAX_SAFE_INTEGER).map((v) => ["maxSize", v] as [string, unknown]),
      fc
        .oneof(nonFinite, fc.constantFrom(-0.1, 1.1, "0.5"))
        .map((v) => ["coherenceThreshold", v] as [string, unknown]),
      badCount.map((v) => ["retrievalLimit", v] as [string, unknown]),
      fc
        .oneof(
          fc.constantFrom(
            -1,
            0,
            Number.NaN,
            Number.POSITIVE_INFINITY,
            "lots",
            "-5 MB",
            "1.5 parsecs",
            "",
            {},
          ),
          fc.integer({ max: 0 }),
        )
        .map((v) => ["memoryBudgetBytes", v] as [string, unknown]),
      fc
        .oneof(nonFinite, fc.constantFrom(0, -0.5, 1.5))
        .map((v) => ["evictionThreshold", v] as [string, unknown]),
      hostile
        .filter((v) => v != null && v !== "fifo" && v !== "lru" && v !== "lowest-utility")
        .map((v) => ["evictionPolicy", v] as [string, unknown]),
      hostile
        .filter((v) => v != null && v !== "exact" && v !== "hnsw" && v !== "auto")
        .map((v) => ["index", v] as [string, unknown]),
      badCount.map((v) => ["autoHnswThreshold", v] as [string, unknown]),
      fc.oneof(badCount, fc.constant(1)).map((m) => ["hnsw", { m }] as [string, unknown]),
      badCount.map((ef) => ["hnsw", { ef }] as [string, unknown]),
      fc
        .oneof(oddValue.filter((v) => v != null && (typeof v !== "object" || Array.isArray(v))))
        .map((v) => ["hnsw", v] as [string, unknown]),
      fc.oneof(badCount).map((dim) => ["embedding", { dim }] as [string, unknown]),
      fc
        .oneof(nonFinite, fc.constantFrom(-1, 0.5, "128"))
        .map((v) => ["queryCacheCapacity", v] as [string, unknown]),
      fc
        .constantFrom(
          { alpha: Number.NaN },
          { alpha: -1, beta: 0.2, gamma: 0.1, delta: 0.05, lambda: 0.7 },
          "w",
        )
        .map((v) => ["weights", v] as [string, unknown]),
      fc
        .oneof(nonFinite, fc.constantFrom(-1, 0, "1h"))
        .map((v) => ["recencyHalfLifeMs", v] as [string, unknown]),
      hostile
        .filter((v) => v != null && v !== "none" && v !== "hann" && v !== "hamming")
        .map((v) => ["spectralWindow", v] as [string, unknown]),
      oddValue
        .filter((v) => v != null && typeof v !== "function")
        .map((v) => ["clock", v] as [string, unknown]),
      fc
        .constantFrom(5, {}, "x".repeat(1000), "a b", "\u0000")
        .map((v) => ["idPrefix", v] as [string, unknown]),
    );
    fc.assert(
      fc.property(invalid, ([field, value]) => {
        tally.hit("DreamPool.create");
        const e = mustFail(
          `DreamPool.create({ ${field}: ${safeString(value)} })`,
          ["InvalidConfiguration"],
          () => DreamPool.create({ [field]: value } as never),
        );
        expect(e.message).toContain(field);
      }),
      { numRuns: 1500 },
    );
    for (const options of [5, "pool", [], () => 1]) {
      tally.hit("DreamPool.create");
      mustFail(`DreamPool.create(${safeString(options)})`, ["InvalidConfiguration", "InvalidParameter"], () =>
        DreamPool.create(options as never),
      );
    }
  });

  it("DreamPool.fromBytes: junk, truncations and flipped bytes are errors and leave the live pool alone", () => {
    const small = DreamPool.create({ maxSize: 8, clock: () => T0 });
    if (!small.ok) throw small.error;
    for (let i = 0; i < 3; i++) small.value.add(dreamTensor(i), dreamResult(i));
    const bytes = small.value.toBytes();
    if (!bytes.ok) throw bytes.error;
    const b = bytes.value;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc.integer({ min: 0, max: b.length - 1 }).map((cut) => b.slice(0, cut)),
          fc
            .tuple(fc.integer({ min: 0, max: b.length - 1 }), fc.integer({ min: 1, max: 255 }))
            .map(([at, x]) => {
              const d = b.slice();
              d[at] = (d[at] as number) ^ x;
              return d;
            }),
          oddValue,
        ),
        (damaged) => {
          tally.hit("DreamPool.fromBytes");
          unchanged("fromBytes", () => {
            mustFail("DreamPool.fromBytes(damaged)", ["IndexCorrupted", "InvalidConfiguration"], () =>
              DreamPool.fromBytes(damaged as Uint8Array),
            );
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it("prototype-named id prefixes give working pools", () => {
    for (const prefix of ["__proto__", "constructor", "toString"]) {
      tally.hit("pool.proto-prefix");
      const r = mustNotThrow(`DreamPool.create({ idPrefix: ${prefix} })`, ["InvalidConfiguration"], () =>
        DreamPool.create({ idPrefix: prefix, clock: () => T0 }),
      );
      if (!r) continue;
      const id = r.add(dreamTensor(1), dreamResult(1));
      expect(id.ok).toBe(true);
      if (!id.ok) continue;
      expect(r.get(id.value)?.id).toBe(id.value);
      expect(r.feedback(id.value, { utility: 0.5 }).ok).toBe(true);
      const hits = r.retrieve([0.5, 0.5, 0.5], { k: 3 });
      expect(hits.ok && hits.value.map((d) => d.entry.id)).toEqual([id.value]);
      expect(r.remove(id.value)).toBe(true);
      expect(r.size).toBe(0);
    }
  });

  it("after everything, the pool still holds exactly its entries", () => {
    expect(pool.size).toBe(N);
    expect(pool.entries().map((e) => e.id)).toEqual(ids);
    expect(answers()).toBe(baselineAnswers);
  });
});
