import { describe, expect, it } from "vitest";
import { resolveWindow, windowCoefficients } from "./window.js";

describe("windowCoefficients", () => {
  it("is all ones for none, and 1 for a one-pixel axis whatever the window", () => {
    expect(Array.from(windowCoefficients("none", 5))).toEqual([1, 1, 1, 1, 1]);
    for (const kind of ["none", "hann", "hamming"] as const)
      expect(Array.from(windowCoefficients(kind, 1))).toEqual([1]);
  });

  it("samples Hann and Hamming at pixel centres: symmetric, never zero, peaking in the middle", () => {
    for (const kind of ["hann", "hamming"] as const) {
      for (const n of [2, 5, 8, 13]) {
        const w = windowCoefficients(kind, n);
        for (let i = 0; i < n; i++) {
          expect(w[i]!).toBeGreaterThan(0);
          expect(w[i]!).toBeCloseTo(w[n - 1 - i]!, 12);
        }
        expect(Math.max(...w)).toBe(w[Math.floor(n / 2)]);
      }
    }
    const hann = windowCoefficients("hann", 8);
    expect(hann[0]).toBeCloseTo(0.5 - 0.5 * Math.cos(Math.PI / 8), 12);
    expect(windowCoefficients("hamming", 8)[0]).toBeCloseTo(0.54 - 0.46 * Math.cos(Math.PI / 8), 12);
  });

  it("resolves options to a window, defaulting to hann", () => {
    expect(resolveWindow(undefined)).toEqual({ ok: true, value: "hann" });
    expect(resolveWindow({})).toEqual({ ok: true, value: "hann" });
    expect(resolveWindow({ window: "none" })).toEqual({ ok: true, value: "none" });
    expect(resolveWindow({ window: "flat" }).ok).toBe(false);
  });
});
