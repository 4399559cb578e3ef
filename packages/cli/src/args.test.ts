import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parseBudget,
  parseClass,
  parseInteger,
  parseMode,
  parseRgb,
  parseStore,
  parseUnitInterval,
} from "./args.js";
import { summarize } from "./summary.js";

describe("argument parsers", () => {
  it("parseInteger accepts exactly the decimal integers in range", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
        const r = parseInteger("-k", String(n), 1, 100);
        expect(r.ok).toBe(n >= 1 && n <= 100);
        if (r.ok) expect(r.value).toBe(n);
      }),
    );
    for (const bad of ["", "1.5", "1e2", "ten", "0x10"]) {
      const r = parseInteger("--size", bad, 1, 100);
      expect(r.ok ? null : r.error.message).toBe(
        `InvalidParameter: --size = ${JSON.stringify(bad)} violates: must be an integer in [1, 100]`,
      );
    }
  });

  it("parseRgb reads three channels in [0, 1] and rejects anything else", () => {
    fc.assert(
      fc.property(
        fc.tuple(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
        (rgb) => {
          const r = parseRgb(rgb.join(","));
          expect(r.ok && r.value).toEqual(rgb);
        },
      ),
    );
    for (const bad of ["1,0", "1,0,0,0", "1,,0", "2,0,0", "-0.1,0,0", "a,b,c"])
      expect(parseRgb(bad).ok).toBe(false);
  });

  it("parses modes, classes, budgets, stores and thresholds", () => {
    expect(parseMode("diverse")).toEqual({ ok: true, value: "diverse" });
    expect(parseMode("Hard").ok).toBe(false);
    expect(parseClass("magenta")).toEqual({ ok: true, value: "Magenta" });
    expect(parseBudget("64MB")).toEqual({ ok: true, value: 64_000_000 });
    expect(parseBudget("512 KiB")).toEqual({ ok: true, value: 524_288 });
    expect(parseBudget("1024")).toEqual({ ok: true, value: 1024 });
    expect(parseBudget("0").ok).toBe(false);
    expect(parseStore("postgresql://u@h/db").ok).toBe(true);
    const store = parseStore("mysql://u:pw@h/db");
    expect(store.ok ? "" : store.error.message).not.toContain("pw");
    expect(parseUnitInterval("--coherence", "0.6")).toEqual({ ok: true, value: 0.6 });
    expect(parseUnitInterval("--coherence", "1.5").ok).toBe(false);
  });
});

describe("summarize", () => {
  it("gives mean, sample sd, median and quartiles", () => {
    const s = summarize([7, 1, 3, 5]);
    expect(s).toEqual({ n: 4, mean: 4, sd: Math.sqrt(20 / 3), median: 4, q1: 2.5, q3: 5.5 });
  });

  it("keeps the median between the quartiles for any sample", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (xs) => {
          const s = summarize(xs);
          expect(s.q1).toBeLessThanOrEqual(s.median);
          expect(s.median).toBeLessThanOrEqual(s.q3);
          expect(s.sd).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
