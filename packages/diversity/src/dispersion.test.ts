import { unwrap, unwrapErr } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dispersion, diversityStats, euclideanDistance } from "./dispersion.js";

const corners = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

describe("dispersion and diversityStats (§3.11)", () => {
  it("distance red–green is √2, identical points 0", () => {
    expect(euclideanDistance([1, 0, 0], [0, 1, 0])).toBeCloseTo(Math.SQRT2, 12);
    expect(euclideanDistance([0.3, 0.2, 0.1], [0.3, 0.2, 0.1])).toBe(0);
  });

  it("the RGB corners are spread, near-identical reds are not", () => {
    expect(unwrap(dispersion(corners))).toBeCloseTo(Math.SQRT2, 12);
    const reds = unwrap(
      dispersion([
        [1, 0, 0],
        [0.9, 0.1, 0],
        [0.95, 0.05, 0],
      ]),
    );
    expect(reds).toBeGreaterThan(0.05);
    expect(reds).toBeLessThan(0.2);
  });

  it("stats of the corners: count 3, every distance √2; fewer than two points: zeros", () => {
    expect(unwrap(diversityStats(corners))).toEqual({
      count: 3,
      meanDistance: Math.SQRT2,
      minDistance: Math.SQRT2,
      maxDistance: Math.SQRT2,
    });
    expect(unwrap(diversityStats([]))).toEqual({ count: 0, meanDistance: 0, minDistance: 0, maxDistance: 0 });
    expect(unwrap(diversityStats([Float32Array.of(1, 2)]))).toEqual({
      count: 1,
      meanDistance: 0,
      minDistance: 0,
      maxDistance: 0,
    });
  });

  it("min <= mean <= max, and the mean is the average over all pairs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((dim) =>
          fc.array(
            fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: dim, maxLength: dim }),
            {
              minLength: 2,
              maxLength: 12,
            },
          ),
        ),
        (points) => {
          const stats = unwrap(diversityStats(points));
          const pairs: number[] = [];
          for (let i = 0; i < points.length; i++) {
            for (let j = i + 1; j < points.length; j++) pairs.push(euclideanDistance(points[i]!, points[j]!));
          }
          expect(stats.minDistance).toBe(Math.min(...pairs));
          expect(stats.maxDistance).toBe(Math.max(...pairs));
          expect(stats.meanDistance).toBeCloseTo(pairs.reduce((s, d) => s + d, 0) / pairs.length, 9);
          expect(stats.minDistance).toBeLessThanOrEqual(stats.meanDistance + 1e-12);
          expect(stats.meanDistance).toBeLessThanOrEqual(stats.maxDistance + 1e-12);
        },
      ),
    );
  });

  it("bad input: points of different lengths, NaN, not an array", () => {
    expect(
      unwrapErr(
        diversityStats([
          [1, 0, 0],
          [1, 0],
        ]),
      ).kind,
    ).toBe("DimensionMismatch");
    const nan = unwrapErr(
      dispersion([
        [1, 0, 0],
        [0, Number.NaN, 0],
      ]),
    );
    expect(nan.kind).toBe("InvalidParameter");
    expect(nan.message).toContain("points[1][1]");
    expect(unwrapErr(diversityStats("abc" as never)).kind).toBe("InvalidParameter");
    expect(unwrapErr(diversityStats([{ length: 3 } as never])).message).toContain("points[0]");
  });
});
