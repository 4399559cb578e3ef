import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tensorDigest } from "./index.js";

const dims = { rows: 4, cols: 4, layers: 2 };

function colors(seed: number): Float32Array {
  // A scrambled (not ramp) fill: fractional parts of a multiplicative sequence.
  return Float32Array.from({ length: 96 }, (_, i) => ((seed + 1) * 0.6180339887 * (i + 7) * 1.37) % 1);
}

describe("tensorDigest", () => {
  it("is deterministic and names the shape", () => {
    const a = tensorDigest(colors(3), dims, 1e-3);
    expect(a).toBe(tensorDigest(colors(3), dims, 1e-3));
    expect(a).toMatch(/^4x4x2:[0-9a-f]{16}$/);
  });

  it("ignores changes below the precision and sees changes above it", () => {
    const base = colors(5);
    const nudged = base.slice();
    nudged[17] = (nudged[17] ?? 0) + 0.0001;
    const moved = base.slice();
    moved[17] = (moved[17] ?? 0) + 0.002;
    const digest = tensorDigest(base, dims, 1e-3);
    // A nudge can cross a rounding boundary; check the value really rounds alike first.
    if (Math.round((base[17] ?? 0) * 1000) === Math.round((nudged[17] ?? 0) * 1000)) {
      expect(tensorDigest(nudged, dims, 1e-3)).toBe(digest);
    }
    expect(tensorDigest(moved, dims, 1e-3)).not.toBe(digest);
  });

  it("distinguishes shapes, certainty and swapped values", () => {
    const c = colors(9);
    const swapped = c.slice();
    swapped[0] = c[1] ?? 0;
    swapped[1] = c[0] ?? 0;
    const digests = new Set([
      tensorDigest(c, dims, 1e-3),
      tensorDigest(c, { rows: 2, cols: 8, layers: 2 }, 1e-3),
      tensorDigest(c, dims, 1e-3, new Float32Array(32).fill(0.5)),
      tensorDigest(c, dims, 1e-3, new Float32Array(32).fill(0.75)),
      tensorDigest(swapped, dims, 1e-3),
    ]);
    expect(digests.size).toBe(5);
  });

  it("does not fold NaN or infinities into zero", () => {
    const zero = new Float32Array(96);
    const withNaN = zero.slice();
    withNaN[3] = Number.NaN;
    const withInf = zero.slice();
    withInf[3] = Number.POSITIVE_INFINITY;
    const set = new Set([zero, withNaN, withInf].map((x) => tensorDigest(x, dims, 1e-3)));
    expect(set.size).toBe(3);
  });

  it("hashes exact values when the precision is not positive", () => {
    const a = new Float32Array(96).fill(0.25);
    const b = a.slice();
    b[10] = 0.2500001;
    expect(tensorDigest(a, dims, 0)).not.toBe(tensorDigest(b, dims, 0));
    expect(tensorDigest(a, dims, 1e-3)).toBe(tensorDigest(b, dims, 1e-3));
  });

  it("gives the same digest on its fast (quantised) and exact paths", () => {
    // Integer-valued colours: precision 1 quantises them to themselves (fast path), precision 0
    // hashes them exactly (exact path). Odd lengths exercise the tail that does not fill a block.
    for (const length of [96, 97, 99, 1, 0]) {
      const ints = Float32Array.from({ length }, (_, i) => ((i * 7919) % 23) - 11);
      expect(tensorDigest(ints, dims, 1)).toBe(tensorDigest(ints, dims, 0));
    }
  });

  it("never lets two tensors that differ in one value collide", () => {
    const base = colors(11);
    const seen = new Set([tensorDigest(base, dims, 1e-3)]);
    for (let i = 0; i < base.length; i++) {
      const changed = base.slice();
      changed[i] = (changed[i] ?? 0) + 0.01;
      seen.add(tensorDigest(changed, dims, 1e-3));
    }
    expect(seen.size).toBe(base.length + 1);
  });

  it("has no collisions among 2,000 distinct random tensors", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        let s = seed >>> 0;
        const next = () => {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          return s / 2 ** 32;
        };
        const seen = new Map<string, string>();
        for (let t = 0; t < 2000; t++) {
          const c = Float32Array.from({ length: 96 }, next);
          const content = Array.from(c, (x) => Math.round(x * 1000)).join(",");
          const digest = tensorDigest(c, dims, 1e-3);
          const previous = seen.get(digest);
          if (previous !== undefined) expect(previous).toBe(content);
          seen.set(digest, content);
        }
      }),
      { numRuns: 3 },
    );
  });
});
