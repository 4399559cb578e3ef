import { ok } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cache, callCountingEncoder, query, slotCollision, spectral } from "./__fixtures__/cache-fixtures.js";
import type { CacheableQuery, QueryCache } from "./index.js";
import { SignatureKey, signatureKeyOf } from "./signature-key.js";

const encoder = callCountingEncoder;

/** The call number of the vector the cache serves for `q` (a new number means a miss). */
function served(c: QueryCache, q: CacheableQuery, e: ReturnType<typeof encoder>, fingerprint = "fp"): number {
  const r = c.getOrCompute(q, fingerprint, e.compute);
  if (!r.ok) throw r.error;
  return r.value[0] as number;
}

describe("getOrCompute signature keys", () => {
  it("a query sharing another's 31-bit slot replaces it and is never served its vector", () => {
    // A birthday search over chromas for two queries whose keys land in the same LRU slot.
    const pair = slotCollision(
      (i) => query([(i % 1000) / 1000, Math.floor(i / 1000) / 1000, 0.5], { spectral }),
      (q) => {
        const key = signatureKeyOf(q, "fp", 1000);
        if (!(key instanceof SignatureKey)) throw key;
        return key.slot;
      },
    );
    const [a, b] = pair;
    const c = cache();
    const e = encoder();
    expect(served(c, a, e)).toBe(1);
    expect(served(c, b, e)).toBe(2);
    expect(served(c, a, e)).toBe(3);
    expect(served(c, a, e)).toBe(3);
    expect([c.hits, c.misses, c.size]).toEqual([1, 3, 1]);
  });

  it("a signature query sharing a tensor's slot is never served the tensor's vector", () => {
    const c = cache({ capacity: 4 });
    const e = encoder();
    const q = query([0.2, 0.4, 0.6], { spectral });
    const key = signatureKeyOf(q, "fp", 1000);
    if (!(key instanceof SignatureKey)) throw key;
    // Occupy the query's slot with a tensor entry through the same LRU (the slot is all they share).
    const tensor = { rows: 1, cols: 1, layers: 1, colors: Float32Array.of(0.2, 0.4, 0.6) };
    c.getOrComputeForTensor(tensor, "fp", e.compute);
    expect(served(c, q, e)).toBe(2);
    expect(c.getOrComputeForTensor(tensor, "fp", e.compute).ok).toBe(true);
    expect(served(c, q, e)).toBe(2);
  });

  it("hits for spectral fields in another order, and separates number from one-element array", () => {
    const c = cache();
    const e = encoder();
    const reversed = Object.fromEntries(Object.entries(spectral).reverse());
    expect(served(c, query([0.1, 0.2, 0.3], { spectral }), e)).toBe(1);
    expect(served(c, query([0.1, 0.2, 0.3], { spectral: reversed }), e)).toBe(1);
    expect(served(c, query([0.1, 0.2, 0.3], { spectral: { x: 0.5 } }), e)).toBe(2);
    expect(served(c, query([0.1, 0.2, 0.3], { spectral: { x: [0.5] } }), e)).toBe(3);
    expect(served(c, query([0.1, 0.2, 0.3], { spectral: { x: 0.5 } }), e)).toBe(2);
    expect(served(c, query([0.1, 0.2, 0.3], { spectral: { y: 0.5 } }), e)).toBe(4);
    expect(served(c, query([0.1, 0.2, 0.3], { spectral: {} }), e)).toBe(5);
    expect(served(c, query([0.1, 0.2, 0.3]), e)).toBe(6);
  });

  it("keys on the class hint, utility prior, digest and fingerprint", () => {
    const c = cache();
    const e = encoder();
    const base = query([0.3, 0.6, 0.9], { spectral });
    const variants = [
      base,
      { ...base, classHint: "Red" },
      { ...base, classHint: "Blue" },
      { ...base, utilityPrior: 0 },
      { ...base, utilityPrior: 0.4 },
      { ...base, tensorDigest: "" },
      { ...base, tensorDigest: "8x8x4:0123456789abcdef" },
    ];
    const first = variants.map((v) => served(c, v, e));
    expect(first).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(served(c, base, e, "fp2")).toBe(8);
    expect(variants.map((v) => served(c, { ...v }, e))).toEqual(first);
    expect(c.hits).toBe(variants.length);
  });

  it("quantises large spectral values (beyond int32 steps) exactly", () => {
    const c = cache();
    const e = encoder();
    expect(served(c, query([0, 0, 0], { spectral: { big: 3e9 } }), e)).toBe(1);
    expect(served(c, query([0, 0, 0], { spectral: { big: 3e9 + 2e-4 } }), e)).toBe(1);
    expect(served(c, query([0, 0, 0], { spectral: { big: 3e9 + 2e-3 } }), e)).toBe(2);
    expect(served(c, query([0, 0, 0], { spectral: { big: -3e9 } }), e)).toBe(3);
  });
});

describe("getOrCompute signature key properties", () => {
  const unit = fc.double({ min: 0, max: 1, noNaN: true });
  const signed = fc.double({ min: -1, max: 1, noNaN: true });
  const features = fc.record({
    entropy: unit,
    dominantFrequency: fc.tuple(unit, unit, unit),
    lowEnergy: unit,
    meanPsd: fc.double({ min: -50, max: 50, noNaN: true }),
  });
  const anyQuery = fc.record({
    chroma: fc.tuple(unit, unit, unit),
    classHint: fc.constantFrom(null, "Red", "Blue"),
    spectral: fc.option(features, { nil: null }),
    utilityPrior: fc.option(signed, { nil: null }),
  });
  const rounded = (x: number) => Math.sign(x) * Math.round(Math.abs(x) * 1000) + 0;
  const numbers = (q: CacheableQuery): number[] => {
    const s = q.spectral as {
      entropy: number;
      dominantFrequency: number[];
      lowEnergy: number;
      meanPsd: number;
    } | null;
    return [
      ...q.chroma,
      q.utilityPrior ?? Number.NaN,
      ...(s ? [s.entropy, ...s.dominantFrequency, s.lowEnergy, s.meanPsd] : []),
    ];
  };

  it("two queries share an entry exactly when their keyOf texts are equal (the reference key)", () => {
    fc.assert(
      fc.property(anyQuery, anyQuery, (a, b) => {
        const c = cache();
        const e = encoder();
        served(c, a, e);
        const shared = served(c, b, e) === 1;
        const textA = c.keyOf(a, "fp");
        const textB = c.keyOf(b, "fp");
        expect(textA.ok && textB.ok).toBe(true);
        if (textA.ok && textB.ok) expect(shared).toBe(textA.value === textB.value);
      }),
    );
  });

  it("queries equal after quantisation share an entry; one field further apart than the precision never does", () => {
    fc.assert(
      fc.property(
        anyQuery,
        fc.nat(),
        fc.double({ min: -0.0004, max: 0.0004, noNaN: true }),
        (a, pick, nudge) => {
          const c = cache();
          const e = encoder();
          served(c, a, e);
          // Move one number within the rounding step (a hit when it still rounds alike) or past it.
          const values = numbers(a).filter((x) => !Number.isNaN(x));
          const i = pick % values.length;
          const moved = (delta: number) => {
            let k = -1;
            const shift = (x: number) => (++k === i ? x + delta : x);
            const chroma = a.chroma.map(shift);
            const utilityPrior = a.utilityPrior === null ? null : shift(a.utilityPrior);
            const s = a.spectral;
            const spectralMoved =
              s === null
                ? null
                : {
                    entropy: shift(s.entropy),
                    dominantFrequency: s.dominantFrequency.map(shift),
                    lowEnergy: shift(s.lowEnergy),
                    meanPsd: shift(s.meanPsd),
                  };
            return { ...a, chroma, utilityPrior, spectral: spectralMoved };
          };
          const near = moved(nudge);
          const inRange =
            near.chroma.every((x) => x >= 0 && x <= 1) &&
            (near.utilityPrior ?? 0) >= -1 &&
            (near.utilityPrior ?? 0) <= 1;
          if (inRange) {
            const same = numbers(near).every((x, j) =>
              Object.is(rounded(x), rounded(numbers(a)[j] as number)),
            );
            expect(served(c, near, e) === 1).toBe(same);
          }
          const far = moved(0.0011 * (values[i] as number) > 0 ? -0.0011 : 0.0011);
          const farInRange =
            far.chroma.every((x) => x >= 0 && x <= 1) &&
            (far.utilityPrior ?? 0) >= -1 &&
            (far.utilityPrior ?? 0) <= 1;
          if (farInRange) expect(served(c, far, e)).not.toBe(1);
        },
      ),
    );
  });

  it("never serves a vector computed for another query, whatever the sequence of lookups", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 80 }),
        fc.integer({ min: 1, max: 6 }),
        (picks, capacity) => {
          const c = cache({ capacity });
          for (const p of picks) {
            const q = query([p / 30, 0.5, (p % 7) / 7], {
              spectral: p % 2 ? spectral : null,
              utilityPrior: p % 3 ? null : 0.5,
            });
            const r = c.getOrCompute(q, "fp", () => ok(Float32Array.of(p)));
            expect(r.ok && r.value[0]).toBe(p);
          }
          expect(c.hits + c.misses).toBe(picks.length);
        },
      ),
    );
  });
});
