import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { angularDifference, colorDistance, hsvSaturation, hueDegrees } from "./color-math.js";

describe("colour helpers (reference §3.2)", () => {
  it("distance: red to green is √2", () => {
    expect(colorDistance(1, 0, 0, 0, 1, 0)).toBeCloseTo(Math.SQRT2, 12);
    expect(colorDistance(0.2, 0.4, 0.6, 0.2, 0.4, 0.6)).toBe(0);
  });

  it("saturation: red 1, grey 0, [1, 0.5, 0.5] 0.5, black 0", () => {
    expect(hsvSaturation(1, 0, 0)).toBe(1);
    expect(hsvSaturation(0.5, 0.5, 0.5)).toBe(0);
    expect(hsvSaturation(1, 0.5, 0.5)).toBe(0.5);
    expect(hsvSaturation(0, 0, 0)).toBe(0);
    expect(hsvSaturation(1e-7, 0, 0)).toBe(0);
  });

  it("hue: red 0°, green 120°, blue 240°, yellow 60°, magenta 300°, grey 0°", () => {
    expect(hueDegrees(1, 0, 0)).toBe(0);
    expect(hueDegrees(0, 1, 0)).toBe(120);
    expect(hueDegrees(0, 0, 1)).toBe(240);
    expect(hueDegrees(1, 1, 0)).toBe(60);
    expect(hueDegrees(1, 0, 1)).toBe(300);
    expect(hueDegrees(1, 0, 1 / 6)).toBeCloseTo(350, 10);
    expect(hueDegrees(0.4, 0.4, 0.4)).toBe(0);
  });

  it("angular difference: 10/20 → 10, 350/10 → 20, 0/180 → 180", () => {
    expect(angularDifference(10, 20)).toBe(10);
    expect(angularDifference(350, 10)).toBe(20);
    expect(angularDifference(0, 180)).toBe(180);
  });

  it("hue is in [0, 360) and angular difference in [0, 180], symmetric (property)", () => {
    const unit = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(unit, unit, unit, (r, g, b) => {
        const h = hueDegrees(r, g, b);
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThan(360);
        const s = hsvSaturation(r, g, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
      }),
    );
    const angle = fc.double({ min: 0, max: 720, noNaN: true });
    fc.assert(
      fc.property(angle, angle, (a, b) => {
        const d = angularDifference(a, b);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(180);
        expect(angularDifference(b, a)).toBeCloseTo(d, 9);
      }),
    );
  });
});
