import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cache, query, spectral } from "./__fixtures__/cache-fixtures.js";
import { type CacheableQuery, QueryCache, type QueryCacheOptions } from "./index.js";

/** A compute that encodes the chroma into a distinctive vector and counts its calls. */
function encoder() {
  let calls = 0;
  const compute = (q: CacheableQuery) => (): DreamResult<Float32Array> => {
    calls++;
    const [r = 0, g = 0, b = 0] = q.chroma;
    return ok(Float32Array.from([r, g, b, r * g - b, calls]));
  };
  return { compute, calls: () => calls };
}

function key(c: QueryCache, q: CacheableQuery, fingerprint = "fp1"): string {
  const k = c.keyOf(q, fingerprint);
  if (!k.ok) throw k.error;
  return k.value;
}

describe("QueryCache keys (reference §3.13)", () => {
  it("quantises to 1e-3, half away from zero", () => {
    const c = cache();
    expect(key(c, query([1, 0, 0]))).toBe(key(c, query([1, 0, 0])));
    expect(key(c, query([0.9995, 0, 0]))).toBe(key(c, query([1, 0, 0])));
    expect(key(c, query([0.5, 0, 0]))).not.toBe(key(c, query([1, 0, 0])));
    expect(key(c, query([0.856, 0.234, 0.112]))).toBe(key(c, query([0.8564, 0.2336, 0.1124])));
    expect(key(c, query([0.0004, 0, 0]))).toBe(key(c, query([0, 0, 0])));
  });

  it("keys on every field the seed ignored: class hint, spectral, utility prior, tensor digest, fingerprint", () => {
    const c = cache();
    const base = query([0.3, 0.6, 0.9]);
    const variants = [
      base,
      { ...base, classHint: "Red" },
      { ...base, classHint: "Blue" },
      { ...base, spectral },
      { ...base, spectral: { ...spectral, entropy: 0.63 } },
      { ...base, spectral: { ...spectral, dominantFrequency: [0.125, 0.25, 0.5] } },
      { ...base, spectral: {} },
      { ...base, utilityPrior: 0.4 },
      { ...base, utilityPrior: -0.4 },
      { ...base, tensorDigest: "8x8x4:0123456789abcdef" },
    ];
    const keys = new Set(variants.map((v) => key(c, v)));
    keys.add(key(c, base, "fp2"));
    expect(keys.size).toBe(variants.length + 1);
  });

  it("ignores the order of spectral fields", () => {
    const c = cache();
    const reversed = Object.fromEntries(Object.entries(spectral).reverse());
    expect(key(c, query([0.1, 0.2, 0.3], { spectral: reversed }))).toBe(
      key(c, query([0.1, 0.2, 0.3], { spectral })),
    );
  });

  it("uses the configured precision", () => {
    const coarse = cache({ precision: 0.1 });
    expect(key(coarse, query([0.52, 0, 0]))).toBe(key(coarse, query([0.48, 0, 0])));
    expect(key(coarse, query([0.56, 0, 0]))).not.toBe(key(coarse, query([0.44, 0, 0])));
  });

  it("never lets a class hint impersonate another field", () => {
    const c = cache();
    const sneaky = query([0.1, 0.2, 0.3], { classHint: '"|u|400' });
    expect(key(c, sneaky)).not.toBe(key(c, query([0.1, 0.2, 0.3], { utilityPrior: 0.4 })));
  });
});

describe("QueryCache lookups (reference §3.13)", () => {
  it("misses then hits with identical vectors", () => {
    const c = cache({ capacity: 16 });
    const enc = encoder();
    const q = query([0.2, 0.4, 0.6]);
    const first = c.getOrCompute(q, "fp", enc.compute(q));
    expect([c.hits, c.misses]).toEqual([0, 1]);
    const second = c.getOrCompute(q, "fp", enc.compute(q));
    expect([c.hits, c.misses]).toEqual([1, 1]);
    expect(first.ok && second.ok).toBe(true);
    if (first.ok && second.ok) expect(Array.from(second.value)).toEqual(Array.from(first.value));
    expect(enc.calls()).toBe(1);
  });

  it("evicts the least recently used entry at capacity", () => {
    const c = cache({ capacity: 2 });
    const enc = encoder();
    const [a, b, d] = [query([0.1, 0, 0]), query([0.2, 0, 0]), query([0.3, 0, 0])];
    for (const q of [a, b, d]) c.getOrCompute(q, "fp", enc.compute(q));
    expect(c.size).toBe(2);
    c.getOrCompute(a, "fp", enc.compute(a));
    expect([c.hits, c.misses]).toEqual([0, 4]);
    // Re-fetching a evicted b (the least recent), so d and a remain and d hits.
    c.getOrCompute(d, "fp", enc.compute(d));
    expect([c.hits, c.misses]).toEqual([1, 4]);
  });

  it("refreshes recency on a hit", () => {
    const c = cache({ capacity: 2 });
    const enc = encoder();
    const [a, b, d] = [query([0.1, 0, 0]), query([0.2, 0, 0]), query([0.3, 0, 0])];
    c.getOrCompute(a, "fp", enc.compute(a));
    c.getOrCompute(b, "fp", enc.compute(b));
    c.getOrCompute(a, "fp", enc.compute(a)); // a is now the most recent
    c.getOrCompute(d, "fp", enc.compute(d)); // evicts b
    c.getOrCompute(a, "fp", enc.compute(a));
    expect([c.hits, c.misses]).toEqual([2, 3]);
  });

  it("tracks the hit rate: 0, 0, 0.5, 0.75", () => {
    const c = cache();
    const enc = encoder();
    const q = query([0.7, 0.1, 0.5]);
    expect(c.hitRate).toBe(0);
    c.getOrCompute(q, "fp", enc.compute(q));
    expect(c.hitRate).toBe(0);
    c.getOrCompute(q, "fp", enc.compute(q));
    expect(c.hitRate).toBe(0.5);
    c.getOrCompute(q, "fp", enc.compute(q));
    c.getOrCompute(q, "fp", enc.compute(q));
    expect(c.hitRate).toBe(0.75);
  });

  it("clears entries and counters", () => {
    const c = cache();
    const enc = encoder();
    const q = query([0.856, 0.234, 0.112]);
    const first = c.getOrCompute(q, "fp", enc.compute(q));
    const near = query([0.8564, 0.2336, 0.1124]);
    const second = c.getOrCompute(near, "fp", enc.compute(near));
    expect(c.hits).toBe(1);
    if (first.ok && second.ok) expect(Array.from(second.value)).toEqual(Array.from(first.value));
    c.clear();
    expect([c.size, c.hits, c.misses, c.hitRate]).toEqual([0, 0, 0, 0]);
  });

  it("serves a new vector after the encoder fingerprint changes", () => {
    const c = cache();
    const enc = encoder();
    const q = query([0.5, 0.5, 0.5]);
    c.getOrCompute(q, "mapper-v1", enc.compute(q));
    const after = c.getOrCompute(q, "mapper-v2", enc.compute(q));
    expect(c.misses).toBe(2);
    expect(after.ok && after.value[4]).toBe(2); // the second compute ran
  });

  it("returns copies: mutating a returned vector cannot corrupt the cache", () => {
    const c = cache();
    const enc = encoder();
    const q = query([0.25, 0.5, 0.75]);
    const first = c.getOrCompute(q, "fp", enc.compute(q));
    if (first.ok) first.value.fill(99);
    const second = c.getOrCompute(q, "fp", enc.compute(q));
    if (second.ok) {
      expect(second.value[0]).toBe(Math.fround(0.25));
      second.value.fill(-1);
    }
    const third = c.getOrCompute(q, "fp", enc.compute(q));
    expect(third.ok && third.value[1]).toBe(0.5);
  });

  it("does not cache a failed compute and returns its error", () => {
    const c = cache();
    const q = query([0.1, 0.9, 0.3]);
    const failure = invalidParameter("q", 1, "test failure");
    const failed = c.getOrCompute(q, "fp", () => err(failure));
    expect(failed).toEqual({ ok: false, error: failure });
    expect([c.size, c.misses]).toEqual([0, 1]);
    const retried = c.getOrCompute(q, "fp", () => ok(new Float32Array([1, 2])));
    expect(retried.ok).toBe(true);
    expect([c.size, c.misses, c.hits]).toEqual([1, 2, 0]);
  });

  it("honours a byte cap by evicting least recently used entries", () => {
    const c = cache({ capacity: 100, maxBytes: 3 * (400 + 320 + 200) });
    for (let i = 0; i < 10; i++) {
      const q = query([i / 10, 0, 0]);
      c.getOrCompute(q, "fp", () => ok(new Float32Array(100).fill(i)));
    }
    const stats = c.stats();
    expect(stats.size).toBeLessThanOrEqual(3);
    expect(stats.size).toBeGreaterThanOrEqual(2);
    expect(stats.bytes).toBeLessThanOrEqual(3 * (400 + 320 + 200));
    expect(stats).toMatchObject({ hits: 0, misses: 10, capacity: 100, precision: 1e-3, maxBytes: 2760 });
  });
});

describe("QueryCache rejects bad input", () => {
  it("validates options with InvalidConfiguration", () => {
    const cases: [unknown, string][] = [
      [{ capacity: 0 }, "capacity"],
      [{ capacity: 2.5 }, "capacity"],
      [{ precision: 0 }, "precision"],
      [{ precision: Number.NaN }, "precision"],
      [{ precision: 2 }, "precision"],
      [{ maxBytes: 0 }, "maxBytes"],
      [{ maxBytes: -5 }, "maxBytes"],
      [null, "options"],
    ];
    for (const [options, parameter] of cases) {
      const created = QueryCache.create(options as QueryCacheOptions);
      expect(created.ok).toBe(false);
      if (!created.ok) {
        expect(created.error.kind).toBe("InvalidConfiguration");
        expect(created.error.message).toContain(parameter);
      }
    }
  });

  it("rejects NaN and out-of-range fields without folding them into a key or counting a lookup", () => {
    const c = cache();
    const bad: [CacheableQuery, string][] = [
      [query([Number.NaN, 0, 0]), "query.chroma[0]"],
      [query([0, 1.5, 0]), "query.chroma[1]"],
      [query([0, 0, -0.1]), "query.chroma[2]"],
      [query([0, 0]), "query.chroma"],
      [query([0.1, 0.2, 0.3], { utilityPrior: 1.2 }), "query.utilityPrior"],
      [query([0.1, 0.2, 0.3], { utilityPrior: Number.NaN }), "query.utilityPrior"],
      [query([0.1, 0.2, 0.3], { spectral: { ...spectral, entropy: Number.NaN } }), "query.spectral.entropy"],
      [
        query([0.1, 0.2, 0.3], { spectral: { ...spectral, dominantFrequency: [0, Infinity, 0] } }),
        "query.spectral.dominantFrequency[1]",
      ],
      [query([0.1, 0.2, 0.3], { classHint: 7 as unknown as string }), "query.classHint"],
      [query([0.1, 0.2, 0.3], { tensorDigest: 5 as unknown as string }), "query.tensorDigest"],
      [null as unknown as CacheableQuery, "query"],
    ];
    for (const [q, parameter] of bad) {
      const result = c.getOrCompute(q, "fp", () => ok(new Float32Array(2)));
      expect(result.ok, parameter).toBe(false);
      if (!result.ok) {
        expect(result.error.kind).toBe("InvalidParameter");
        expect(result.error.message).toContain(`${parameter} =`);
      }
    }
    const noFingerprint = c.getOrCompute(query([0.1, 0.2, 0.3]), "", () => ok(new Float32Array(2)));
    expect(noFingerprint.ok).toBe(false);
    const notAFunction = c.getOrCompute(
      query([0.1, 0.2, 0.3]),
      "fp",
      null as unknown as () => DreamResult<Float32Array>,
    );
    expect(notAFunction.ok).toBe(false);
    expect([c.size, c.hits, c.misses]).toEqual([0, 0, 0]);
  });
});

describe("QueryCache properties", () => {
  it("two chromas share a key exactly when every component rounds alike", () => {
    const c = cache();
    const unit = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(fc.tuple(unit, unit, unit), fc.tuple(unit, unit, unit), (a, b) => {
        const same = a.every((x, i) => Math.round(x * 1000) === Math.round((b[i] ?? 0) * 1000));
        expect(key(c, query(a)) === key(c, query(b))).toBe(same);
      }),
    );
  });

  it("hits + misses counts every valid lookup and size never exceeds capacity", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }),
        (capacity, picks) => {
          const c = cache({ capacity });
          for (const p of picks)
            c.getOrCompute(query([p / 20, 0.5, 0.5]), "fp", () => ok(new Float32Array([p])));
          expect(c.hits + c.misses).toBe(picks.length);
          expect(c.size).toBeLessThanOrEqual(capacity);
          expect(c.misses).toBeGreaterThanOrEqual(new Set(picks).size);
        },
      ),
    );
  });
});

describe("hostile compute callbacks (found by internal/reliability)", () => {
  it("a throwing compute or one returning a non-result is InvalidParameter, nothing cached", () => {
    const cache = QueryCache.create({ capacity: 4 });
    expect(cache.ok).toBe(true);
    if (!cache.ok) return;
    const q: CacheableQuery = {
      chroma: [0.1, 0.2, 0.3],
      classHint: null,
      spectral: null,
      utilityPrior: null,
    };
    const thrown = cache.value.getOrCompute(q, "fp", () => {
      throw new Error("hostile compute");
    });
    expect(thrown.ok).toBe(false);
    if (!thrown.ok) expect(thrown.error.kind).toBe("InvalidParameter");
    const junk = cache.value.getOrCompute(q, "fp", () => undefined as unknown as DreamResult<Float32Array>);
    expect(junk.ok).toBe(false);
    if (!junk.ok) expect(junk.error.kind).toBe("InvalidParameter");
    expect(cache.value.size).toBe(0);
    const fine = cache.value.getOrCompute(q, "fp", () => ok(Float32Array.of(1, 0)));
    expect(fine.ok && Array.from(fine.value)).toEqual([1, 0]);
  });
});
