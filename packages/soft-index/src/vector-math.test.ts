import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32 } from "./crc32.js";
import { cosineSimilarity, dot, l2Norm, normalizeInPlace, squaredDistance } from "./vector-math.js";

describe("vector math", () => {
  it("computes dot, squared distance and norm", () => {
    expect(dot([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])).toBe(35);
    expect(squaredDistance([1, 2, 3], [4, 6, 3])).toBe(25);
    expect(l2Norm(Float32Array.of(3, 4))).toBe(5);
  });

  it("normalises in place and returns the old norm; a zero vector is left alone", () => {
    const x = Float32Array.of(0, 3, -4);
    expect(normalizeInPlace(x)).toBe(5);
    expect(Array.from(x)).toEqual([0, Math.fround(0.6), Math.fround(-0.8)]);
    const tiny = Float64Array.of(1e-200, -1e-200);
    expect(normalizeInPlace(tiny)).toBeCloseTo(Math.SQRT2 * 1e-200, 210);
    expect(Array.from(tiny)).toEqual([Math.SQRT1_2, -Math.SQRT1_2].map((x) => expect.closeTo(x, 15)));
    const zero = [0, 0, 0];
    expect(normalizeInPlace(zero)).toBe(0);
    expect(zero).toEqual([0, 0, 0]);
  });

  it("cosine similarity is scale-invariant and 0 against a zero vector", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 5, maxLength: 5 }),
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 1, max: 9 }),
        (a, b, scale) => {
          const scaled = a.map((x) => x * scale);
          const c = cosineSimilarity(a, b);
          expect(cosineSimilarity(scaled, b)).toBeCloseTo(c, 12);
          expect(Math.abs(c)).toBeLessThanOrEqual(1 + 1e-12);
        },
      ),
    );
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
  });

  it("crc32 matches the standard check value", () => {
    expect(crc32(Uint8Array.from("123456789", (c) => c.charCodeAt(0)))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe("crc32 slicing-by-8", () => {
  it("equals the bytewise definition at every length and offset", () => {
    const bytewise = (bytes: Uint8Array): number => {
      let c = 0xffffffff;
      for (const b of bytes) {
        c ^= b;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(7), (bytes, skip) => {
        const view = bytes.subarray(Math.min(skip, bytes.length));
        expect(crc32(view)).toBe(bytewise(view));
      }),
      { numRuns: 300 },
    );
  });
});
