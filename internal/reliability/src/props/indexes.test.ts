import { HnswIndex } from "dreampool/hnsw-index";
import { ExactIndex, type VectorIndex } from "dreampool/soft-index";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { mustFail, mustNotThrow, mustReturn, safeString } from "../harness/check.js";
import { badVector, hostile, notPositiveInteger, oddValue, PROTO_IDS } from "../harness/hostile.js";
import { Tally, writePart } from "../harness/tally.js";

// ExactIndex and HnswIndex under hostile input: every bad call is an error of the contract's kind
// (soft-index/src/contract.ts) and leaves the index answering exactly as before.

const tally = new Tally();
afterAll(() => writePart("props-indexes", { cases: tally.toJSON(), total: tally.total }));

const DIM = 8;
const N = 60;

function vectorFor(i: number): Float32Array {
  // Deterministic, well-spread, never zero.
  return Float32Array.from(
    { length: DIM },
    (_, j) => Math.sin(1.7 * i + 0.9 * j + 0.3) + (j === i % DIM ? 1.5 : 0.05),
  );
}

const QUERIES = [vectorFor(1000), vectorFor(1001), vectorFor(1002)];

type Factory = {
  name: string;
  make: () => VectorIndex;
  restore: (b: Uint8Array) => ReturnType<typeof ExactIndex.fromBytes>;
};

const FACTORIES: Factory[] = [
  {
    name: "ExactIndex",
    make: () => {
      const r = ExactIndex.create({ dim: DIM });
      if (!r.ok) throw r.error;
      return r.value;
    },
    restore: (b) => ExactIndex.fromBytes(b),
  },
  {
    name: "HnswIndex",
    make: () => {
      const r = HnswIndex.create({ dim: DIM, m: 8, efConstruction: 64, initialCapacity: 16 });
      if (!r.ok) throw r.error;
      return r.value;
    },
    restore: (b) => HnswIndex.fromBytes(b) as ReturnType<typeof ExactIndex.fromBytes>,
  },
];

function filled(f: Factory): VectorIndex {
  const index = f.make();
  for (let i = 0; i < N; i++) {
    const r = index.add(`v${i}`, vectorFor(i));
    if (!r.ok) throw r.error;
  }
  return index;
}

/** What an observer can see: size, stats (without the filter-error counter) and fixed answers. */
function observe(index: VectorIndex): string {
  // Counters of searches served (filter errors, exact fallbacks) legitimately move; the rest may not.
  const {
    filterErrors: _f,
    exactFallbacks: _x,
    ...stats
  } = index.stats() as ReturnType<VectorIndex["stats"]> & { exactFallbacks?: number };
  const answers = QUERIES.map((q) => {
    const r = index.search(q, 7);
    return r.ok ? r.value.map((h) => `${h.id}:${h.score.toFixed(6)}`) : [r.error.kind];
  });
  return JSON.stringify({ size: index.size, stats, answers, ids: [...index.ids()].sort() });
}

const K_KINDS = ["InvalidParameter"] as const;
const VECTOR_KINDS = ["InvalidParameter", "DimensionMismatch"] as const;

describe.each(FACTORIES)("$name under hostile input", (f) => {
  const index = filled(f);
  const baseline = observe(index);
  const guard = (label: string, body: () => void) => {
    body();
    expect(observe(index), `${label} changed the index`).toBe(baseline);
  };

  it("create rejects every bad dimension and option", () => {
    const make =
      f.name === "ExactIndex"
        ? (o: unknown) => ExactIndex.create(o as never)
        : (o: unknown) => HnswIndex.create(o as never);
    fc.assert(
      fc.property(
        fc.oneof(
          notPositiveInteger.map((dim) => ({ dim })),
          fc.constantFrom(2 ** 31, 2 ** 40, Number.MAX_SAFE_INTEGER).map((dim) => ({ dim })),
          hostile
            .filter((m) => m !== undefined && m !== "cosine" && m !== "euclidean" && m !== "inner-product")
            .map((metric) => ({ dim: DIM, metric })),
          fc
            .constantFrom(-1, 0.5, Number.NaN, 2 ** 53, Number.POSITIVE_INFINITY)
            .map((initialCapacity) => ({ dim: DIM, initialCapacity })),
          oddValue.filter(
            (o) => typeof o !== "object" || o === null || Array.isArray(o) || o instanceof Date,
          ),
        ),
        (options) => {
          tally.hit(`${f.name}.create`);
          mustFail(
            `${f.name}.create(${safeString(options)})`,
            ["InvalidParameter", "InvalidConfiguration", "DimensionMismatch"],
            () => make(options),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("add and upsert reject bad vectors and bad ids, duplicate add is refused, index unchanged", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("add", "upsert") as fc.Arbitrary<"add" | "upsert">,
        fc.oneof(
          fc.tuple(fc.constantFrom("v0", "fresh", ...PROTO_IDS), badVector(DIM)),
          fc.tuple(
            oddValue.filter((v) => typeof v !== "string"),
            fc.constant(vectorFor(5)),
          ),
        ),
        (method, [id, vector]) => {
          tally.hit(`${f.name}.${method}`);
          guard(`${method}(${safeString(id)})`, () => {
            mustFail(`${f.name}.${method}`, [...VECTOR_KINDS], () =>
              index[method](id as string, vector as Float32Array),
            );
          });
        },
      ),
      { numRuns: 1000 },
    );
    // An id already present: add refuses it (upsert would legitimately replace it).
    fc.assert(
      fc.property(fc.integer({ min: 0, max: N - 1 }), (i) => {
        tally.hit(`${f.name}.add-duplicate`);
        guard("duplicate add", () => {
          mustFail(`${f.name}.add(duplicate v${i})`, ["InvalidParameter"], () =>
            index.add(`v${i}`, vectorFor(i + 7)),
          );
        });
      }),
      { numRuns: 100 },
    );
    // Cosine: a zero vector has no direction.
    tally.hit(`${f.name}.add-zero`);
    guard("zero vector", () => {
      mustFail(`${f.name}.add(zero)`, ["InvalidParameter"], () => index.add("zero", new Float32Array(DIM)));
    });
  });

  it("search and searchBatch: bad k, bad queries, bad options are errors; odd but valid k answers correctly", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            query: fc.constant(QUERIES[0] as unknown),
            k: notPositiveInteger,
            options: fc.constant(undefined as unknown),
          }),
          fc.record({
            query: badVector(DIM),
            k: fc.constant(5 as unknown),
            options: fc.constant(undefined as unknown),
          }),
          fc.record({
            query: fc.constant(QUERIES[1] as unknown),
            k: fc.constant(5 as unknown),
            options: fc.oneof(
              fc.constant({ minScore: Number.NaN }),
              oddValue
                .filter((v) => typeof v !== "function" && v !== undefined)
                .map((filter) => ({ filter })),
            ),
          }),
        ),
        fc.boolean(),
        ({ query, k, options }, batch) => {
          tally.hit(`${f.name}.${batch ? "searchBatch" : "search"}`);
          guard("search", () => {
            mustFail(`${f.name}.search(k=${safeString(k)})`, [...K_KINDS, "DimensionMismatch"], () =>
              batch
                ? index.searchBatch(
                    [QUERIES[0] as Float32Array, query as Float32Array],
                    k as number,
                    options as never,
                  )
                : index.search(query as Float32Array, k as number, options as never),
            );
          });
        },
      ),
      { numRuns: 1500 },
    );
    // Valid but extreme k: more than the size returns every live entry, best first.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (k) => {
        tally.hit(`${f.name}.search-large-k`);
        guard("large k", () => {
          const r = mustReturn(`${f.name}.search(k=${k})`, () => index.search(QUERIES[2] as Float32Array, k));
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          expect(r.value.length).toBe(Math.min(k, N));
          for (let i = 1; i < r.value.length; i++)
            expect((r.value[i - 1] as { score: number }).score).toBeGreaterThanOrEqual(
              (r.value[i] as { score: number }).score,
            );
        });
      }),
      { numRuns: 60 },
    );
    // A throwing filter counts as "reject" (contract): never a throw, answers stay consistent.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: N - 1 }), fc.integer({ min: 1, max: 20 }), (throwAt, k) => {
        tally.hit(`${f.name}.search-throwing-filter`);
        guard("throwing filter", () => {
          const r = mustNotThrow(`${f.name}.search(throwing filter)`, ["InvalidParameter"], () =>
            index.search(QUERIES[0] as Float32Array, k, {
              filter: (id) => {
                if (Number(id.slice(1)) % (throwAt + 1) === 0) throw new Error("hostile filter");
                return true;
              },
            }),
          );
          if (r) for (const h of r) expect(Number(h.id.slice(1)) % (throwAt + 1)).not.toBe(0);
        });
      }),
      { numRuns: 200 },
    );
  });

  it("remove / has / get with hostile ids never throw and never touch other entries", () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...PROTO_IDS), oddValue, fc.string({ maxLength: 4 })), (id) => {
        tally.hit(`${f.name}.remove-has-get`);
        guard("remove/has/get", () => {
          expect(() => index.remove(id as string)).not.toThrow();
          expect(index.has(id as string)).toBe(false);
          expect(index.get(id as string)).toBeUndefined();
        });
      }),
      { numRuns: 400 },
    );
  });

  it("prototype-named ids are ordinary ids", () => {
    const fresh = f.make();
    // The empty id may be refused (HnswIndex does), never thrown on.
    tally.hit(`${f.name}.empty-id`);
    mustNotThrow(`${f.name}.add("")`, ["InvalidParameter"], () => fresh.add("", vectorFor(99)));
    fresh.remove("");
    const ids = PROTO_IDS.filter((id) => id !== "");
    ids.forEach((id, i) => {
      tally.hit(`${f.name}.proto-ids`);
      const r = mustReturn(`${f.name}.add(${JSON.stringify(id)})`, () => fresh.add(id, vectorFor(i)));
      expect(r.ok, `add(${JSON.stringify(id)})`).toBe(true);
    });
    expect(fresh.size).toBe(ids.length);
    ids.forEach((id, i) => {
      expect(fresh.has(id)).toBe(true);
      expect(fresh.get(id)?.length).toBe(DIM);
      const top = fresh.search(vectorFor(i), 1);
      expect(top.ok && top.value[0]?.id).toBe(id);
    });
    const restored = f.restore(mustOk(fresh.toBytes()));
    expect(restored.ok && [...restored.value.ids()].sort()).toEqual([...ids].sort());
    expect(fresh.remove("__proto__")).toBe(true);
    expect(fresh.has("__proto__")).toBe(false);
    expect(fresh.size).toBe(ids.length - 1);
  });

  it("fromBytes: every truncation and random corruption is IndexCorrupted (or an exact copy)", () => {
    const small = f.make();
    for (let i = 0; i < 6; i++) mustOk(small.add(`s${i}`, vectorFor(i)));
    const bytes = mustOk(small.toBytes());
    for (let cut = 0; cut < bytes.length; cut++) {
      tally.hit(`${f.name}.fromBytes-truncated`);
      mustFail(`${f.name}.fromBytes(first ${cut} bytes)`, ["IndexCorrupted"], () =>
        f.restore(bytes.slice(0, cut)),
      );
    }
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, xor) => {
          tally.hit(`${f.name}.fromBytes-flipped`);
          const damaged = bytes.slice();
          damaged[at] = (damaged[at] as number) ^ xor;
          mustFail(`${f.name}.fromBytes(byte ${at} ^ ${xor})`, ["IndexCorrupted"], () => f.restore(damaged));
        },
      ),
      { numRuns: 600 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (junk) => {
        tally.hit(`${f.name}.fromBytes-junk`);
        mustFail(`${f.name}.fromBytes(junk)`, ["IndexCorrupted"], () => f.restore(junk));
      }),
      { numRuns: 300 },
    );
  });
});

function mustOk<T>(r: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!r.ok) throw r.error;
  return r.value;
}
