import { type DreamResult, ok } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cache, callCountingEncoder, slotCollision } from "./__fixtures__/cache-fixtures.js";
import type { CacheableTensor } from "./index.js";
import { bitsKeyOf, TensorKey, tensorKeyOf } from "./tensor-key.js";

/** A scrambled (not ramp) 2x2x2 tensor: fractional parts of a multiplicative sequence. */
function tensor(seed: number, dims = { rows: 2, cols: 2, layers: 2 }): CacheableTensor {
  const n = dims.rows * dims.cols * dims.layers * 3;
  const colors = Float32Array.from({ length: n }, (_, i) => ((seed + 1) * 0.6180339887 * (i + 7) * 1.37) % 1);
  return { ...dims, colors };
}

/** The i-th 1x1x1 tensor of a 1000 x 1000 grid of colours (blue fixed): candidates for slot searches. */
const pixel =
  (blue: number) =>
  (i: number): CacheableTensor => ({
    rows: 1,
    cols: 1,
    layers: 1,
    colors: Float32Array.of((i % 1000) / 1000, Math.floor(i / 1000) / 1000, blue),
  });

const withColors = (t: CacheableTensor, colors: Float32Array): CacheableTensor => ({ ...t, colors });

const encoder = callCountingEncoder;

describe("getOrComputeForTensor", () => {
  it("misses, then hits with a copy of the same vector", () => {
    const c = cache();
    const e = encoder();
    const t = tensor(1);
    const first = c.getOrComputeForTensor(t, "fp", e.compute);
    const second = c.getOrComputeForTensor(withColors(t, t.colors.slice()), "fp", e.compute);
    expect(first.ok && Array.from(first.value)).toEqual([1, 0.5, -0.25]);
    expect(second.ok && Array.from(second.value)).toEqual([1, 0.5, -0.25]);
    expect([c.hits, c.misses, c.size, e.calls()]).toEqual([1, 1, 1, 1]);
    if (second.ok) second.value[0] = 99;
    const third = c.getOrComputeForTensor(t, "fp", e.compute);
    expect(third.ok && third.value[0]).toBe(1);
  });

  it("keys on the shape and the fingerprint, not only on the colours", () => {
    const c = cache();
    const e = encoder();
    const flat = tensor(2, { rows: 4, cols: 1, layers: 1 });
    const tall = withColors({ rows: 1, cols: 4, layers: 1, colors: flat.colors }, flat.colors);
    const deep = withColors({ rows: 1, cols: 1, layers: 4, colors: flat.colors }, flat.colors);
    for (const t of [flat, tall, deep]) c.getOrComputeForTensor(t, "fp", e.compute);
    c.getOrComputeForTensor(flat, "fp-other-mapper", e.compute);
    expect([c.misses, c.hits, c.size]).toEqual([4, 0, 4]);
    const again = c.getOrComputeForTensor(tall, "fp", e.compute);
    expect(again.ok && again.value[0]).toBe(2);
  });

  it("serves a new vector after the fingerprint changes, never the stale one", () => {
    const c = cache();
    const e = encoder();
    const t = tensor(3);
    c.getOrComputeForTensor(t, "mapper-v1", e.compute);
    const changed = c.getOrComputeForTensor(t, "mapper-v2", e.compute);
    expect(changed.ok && changed.value[0]).toBe(2);
    const back = c.getOrComputeForTensor(t, "mapper-v1", e.compute);
    expect(back.ok && back.value[0]).toBe(1);
  });

  it("hits for negative and large colours too (the exact path), consistently", () => {
    const c = cache();
    const e = encoder();
    const t = tensor(4);
    const odd = t.colors.slice();
    odd[0] = -0.75;
    odd[5] = 3.5e9;
    c.getOrComputeForTensor(withColors(t, odd), "fp", e.compute);
    const hit = c.getOrComputeForTensor(withColors(t, odd.slice()), "fp", e.compute);
    expect(hit.ok && hit.value[0]).toBe(1);
    const moved = odd.slice();
    moved[0] = -0.7;
    const miss = c.getOrComputeForTensor(withColors(t, moved), "fp", e.compute);
    expect(miss.ok && miss.value[0]).toBe(2);
  });

  it("rejects non-finite colours and bad shapes with InvalidParameter, counting nothing", () => {
    const c = cache();
    const e = encoder();
    const t = tensor(5);
    const nan = t.colors.slice();
    nan[7] = Number.NaN;
    const inf = t.colors.slice();
    inf[23] = Number.NEGATIVE_INFINITY;
    const bad: [unknown, string][] = [
      [withColors(t, nan), "tensor.colors[7]"],
      [withColors(t, inf), "tensor.colors[23]"],
      [{ ...t, rows: 0 }, "tensor.rows"],
      [{ ...t, cols: 1.5 }, "tensor.cols"],
      [{ ...t, layers: "2" }, "tensor.layers"],
      [withColors(t, t.colors.subarray(0, 20)), "tensor.colors"],
      [{ ...t, colors: Array.from(t.colors) }, "tensor.colors"],
      [null, "tensor"],
    ];
    for (const [input, parameter] of bad) {
      const result = c.getOrComputeForTensor(input as CacheableTensor, "fp", e.compute);
      expect(result.ok, parameter).toBe(false);
      if (!result.ok) {
        expect(result.error.kind).toBe("InvalidParameter");
        expect(result.error.message).toContain(`${parameter} =`);
      }
    }
    const noFingerprint = c.getOrComputeForTensor(t, "", e.compute);
    expect(!noFingerprint.ok && noFingerprint.error.kind).toBe("InvalidParameter");
    const noCompute = c.getOrComputeForTensor(t, "fp", 3 as unknown as () => DreamResult<Float32Array>);
    expect(!noCompute.ok && noCompute.error.kind).toBe("InvalidParameter");
    expect([c.size, c.hits, c.misses, e.calls()]).toEqual([0, 0, 0, 0]);
  });

  it("a tensor sharing another's 31-bit slot replaces it and is never served its vector", () => {
    // Two tensors whose keys land in the same LRU slot (a birthday search over 1x1x1 tensors).
    const pair = slotCollision(pixel(0.5), (t) => {
      const key = tensorKeyOf(t, "fp", 1000);
      if (!(key instanceof TensorKey)) throw key;
      return key.slot;
    });
    const [a, b] = pair;
    const c = cache();
    const e = encoder();
    c.getOrComputeForTensor(a, "fp", e.compute);
    const forB = c.getOrComputeForTensor(b, "fp", e.compute);
    expect(forB.ok && forB.value[0]).toBe(2);
    const forA = c.getOrComputeForTensor(a, "fp", e.compute);
    expect(forA.ok && forA.value[0]).toBe(3);
    expect([c.hits, c.misses, c.size]).toEqual([0, 3, 1]);
  });

  it("finds a tensor equal after rounding but with other bits, and forgets evicted entries", () => {
    const c = cache({ capacity: 1 });
    const e = encoder();
    const t = tensor(8);
    c.getOrComputeForTensor(t, "fp", e.compute);
    // Other bits, same rounding: found through the quantised key, then through its own bits.
    const nudged = withColors(
      t,
      t.colors.map((x) => Math.fround(x + 1e-7)),
    );
    for (let i = 0; i < 2; i++) {
      const hit = c.getOrComputeForTensor(nudged, "fp", e.compute);
      expect(hit.ok && hit.value[0]).toBe(1);
    }
    const original = c.getOrComputeForTensor(t, "fp", e.compute);
    expect(original.ok && original.value[0]).toBe(1);
    expect([c.hits, c.misses]).toEqual([3, 1]);
    // Capacity 1: another tensor evicts the entry, and neither alias may still lead to it.
    c.getOrComputeForTensor(tensor(9), "fp", e.compute);
    const afterEviction = c.getOrComputeForTensor(t, "fp", e.compute);
    expect(afterEviction.ok && afterEviction.value[0]).toBe(3);
  });

  it("sees an in-place change of a queried array (no stale vector through the exact-bits alias)", () => {
    const c = cache();
    const e = encoder();
    const t = tensor(10);
    c.getOrComputeForTensor(t, "fp", e.compute);
    t.colors[11] = ((t.colors[11] ?? 0) + 0.5) % 1;
    const changed = c.getOrComputeForTensor(t, "fp", e.compute);
    expect(changed.ok && changed.value[0]).toBe(2);
  });

  it("a tensor whose exact bits share another's alias slot is never served that tensor's vector", () => {
    const pair = slotCollision(pixel(0.25), (t) => {
      const bits = bitsKeyOf(t, "fp");
      if (bits === null) throw new Error("finite colours");
      return bits.slot;
    });
    const [a, b] = pair;
    const c = cache();
    const e = encoder();
    c.getOrComputeForTensor(a, "fp", e.compute);
    const forB = c.getOrComputeForTensor(b, "fp", e.compute);
    expect(forB.ok && forB.value[0]).toBe(2);
    const forA = c.getOrComputeForTensor(a, "fp", e.compute);
    expect(forA.ok && forA.value[0]).toBe(1);
    expect([c.hits, c.misses, c.size]).toEqual([1, 2, 2]);
  });

  it("shares capacity, recency and the byte cap with query entries", () => {
    const c = cache({ capacity: 2, maxBytes: 100_000 });
    const e = encoder();
    c.getOrComputeForTensor(tensor(6), "fp", e.compute);
    const q = { chroma: [0.2, 0.4, 0.6], classHint: null, spectral: null, utilityPrior: null };
    c.getOrCompute(q, "fp", e.compute);
    c.getOrComputeForTensor(tensor(7), "fp", e.compute);
    expect(c.size).toBe(2);
    const evicted = c.getOrComputeForTensor(tensor(6), "fp", e.compute);
    expect(evicted.ok && evicted.value[0]).toBe(4);
    const stats = c.stats();
    expect(stats.bytes).toBeGreaterThan(2 * 12);
    expect(stats.bytes).toBeLessThanOrEqual(100_000);
  });
});

describe("getOrComputeForTensor properties", () => {
  const colour = fc.double({ min: 0, max: 1, noNaN: true });

  it("tensors whose colours round alike share an entry; one colour further than the precision apart never does", () => {
    fc.assert(
      fc.property(
        fc.array(colour, { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 0, max: 11 }),
        fc.double({ min: -0.01, max: 0.01, noNaN: true }),
        (values, at, delta) => {
          const c = cache();
          const e = encoder();
          const a = Float32Array.from(values);
          const b = a.slice();
          b[at] = (a[at] ?? 0) + delta;
          const dims = { rows: 2, cols: 2, layers: 1 };
          c.getOrComputeForTensor({ ...dims, colors: a }, "fp", e.compute);
          const second = c.getOrComputeForTensor({ ...dims, colors: b }, "fp", e.compute);
          const x = a[at] ?? 0;
          const y = b[at] ?? 0;
          const roundsAlike = Math.floor(x * 1000 + 0.5) === Math.floor(y * 1000 + 0.5);
          if (roundsAlike) expect(c.hits).toBe(1);
          if (Math.abs(x - y) > 1e-3) expect(c.hits).toBe(0);
          expect(second.ok && second.value[0]).toBe(roundsAlike ? 1 : 2);
        },
      ),
    );
  });

  it("never serves a vector computed for another tensor, whatever the sequence of lookups", () => {
    // Four base tensors, near-duplicates of them (same after rounding, other bits), tensors moved
    // beyond the step, in-place mutation of a queried array, two fingerprints, a tiny capacity.
    const bases = [0, 1, 2, 3].map((seed) => tensor(seed).colors);
    const op = fc.record({
      base: fc.integer({ min: 0, max: 3 }),
      variant: fc.constantFrom("same", "nudged", "moved", "mutated"),
      fingerprint: fc.constantFrom("fp-a", "fp-b"),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(op, { maxLength: 40 }), (capacity, ops) => {
        const c = cache({ capacity });
        const ids = new Map<string, number>();
        // The identity of what a vector was computed for: fingerprint + every colour rounded.
        const identity = (colors: Float32Array, fingerprint: string) =>
          `${fingerprint}|${Array.from(colors, (x) => Math.floor(x * 1000 + 0.5)).join(",")}`;
        const shared = bases.map((b) => b.slice());
        for (const { base, variant, fingerprint } of ops) {
          const source = bases[base] as Float32Array;
          let colors: Float32Array;
          if (variant === "same") colors = source.slice();
          else if (variant === "nudged") colors = source.map((x) => Math.fround(x + 1e-7));
          else if (variant === "moved") colors = source.map((x, i) => (i === base ? x + 0.25 : x));
          else {
            // One array object queried again after an in-place change of one colour.
            colors = shared[base] as Float32Array;
            colors[5] = ((colors[5] ?? 0) + 0.37) % 1;
          }
          const wanted = identity(colors, fingerprint);
          const result = c.getOrComputeForTensor({ rows: 2, cols: 2, layers: 2, colors }, fingerprint, () => {
            const id = ids.get(wanted) ?? ids.size;
            ids.set(wanted, id);
            return ok(Float32Array.of(id));
          });
          expect(result.ok).toBe(true);
          if (result.ok) expect(result.value[0]).toBe(ids.get(wanted));
        }
        expect(c.hits + c.misses).toBe(ops.length);
        // Aliases leave with their entries: the map never outgrows the cache.
        const aliases = (c as unknown as { bitsAliases: Map<number, number> }).bitsAliases;
        expect(aliases.size).toBeLessThanOrEqual(c.size);
      }),
    );
  });
});
