import { COLOR_CLASSES, type ColorClass } from "@dreampool/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ScoredTerms, ScoreTermBounds } from "./score-term-bounds.js";

interface Entry {
  classLabel: ColorClass | null;
  utilityMean: number | null;
}

// What scoring computes for an entry (rerankHybrid): u = (mean + 1) / 2 or 0.5; class match 1 / 0 / 0.5.
const utilityOf = (e: ScoredTerms) => (e.utilityMean === null ? 0.5 : (e.utilityMean + 1) / 2);
const classMatchOf = (e: ScoredTerms, q: ColorClass | null) =>
  q === null || e.classLabel === null ? 0.5 : e.classLabel === q ? 1 : 0;

const classOrNull = fc.option(fc.constantFrom(...COLOR_CLASSES), { nil: null });
const op = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    classLabel: classOrNull,
    utility: fc.option(fc.double({ min: -1, max: 1, noNaN: true }), { nil: null }),
  }),
  fc.record({ kind: fc.constant("remove" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("feedback" as const),
    at: fc.nat(),
    utility: fc.double({ min: -1, max: 1, noNaN: true }),
  }),
  fc.record({ kind: fc.constant("clear" as const) }),
);

describe("ScoreTermBounds", () => {
  it("bounds every live entry's utility and class match, exactly where it can (property)", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const bounds = new ScoreTermBounds();
        const live: Entry[] = [];
        for (const o of ops) {
          if (o.kind === "insert") {
            const e = { classLabel: o.classLabel, utilityMean: o.utility };
            live.push(e);
            bounds.insert(e);
          } else if (o.kind === "remove" && live.length > 0) {
            const [e] = live.splice(o.at % live.length, 1) as [Entry];
            bounds.remove(e);
          } else if (o.kind === "feedback" && live.length > 0) {
            const e = live[o.at % live.length] as Entry;
            const had = e.utilityMean !== null;
            e.utilityMean = had ? ((e.utilityMean as number) + o.utility) / 2 : o.utility;
            bounds.utilityChanged(e, had);
          } else if (o.kind === "clear") {
            live.length = 0;
            bounds.clear();
          }
          for (const e of live) expect(bounds.maxUtility()).toBeGreaterThanOrEqual(utilityOf(e));
          if (live.every((e) => e.utilityMean === null)) expect(bounds.maxUtility()).toBe(0.5);
          for (const q of [null, ...COLOR_CLASSES]) {
            const exact = Math.max(0, ...live.map((e) => classMatchOf(e, q)));
            expect(bounds.maxClassMatch(q)).toBe(live.length === 0 ? bounds.maxClassMatch(q) : exact);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("the utility bound follows the best feedback and resets when no entry has feedback", () => {
    const bounds = new ScoreTermBounds();
    const a: Entry = { classLabel: "Red", utilityMean: null };
    const b: Entry = { classLabel: null, utilityMean: null };
    bounds.insert(a);
    bounds.insert(b);
    expect(bounds.maxUtility()).toBe(0.5);
    a.utilityMean = -0.6;
    bounds.utilityChanged(a, false);
    expect(bounds.maxUtility()).toBe(0.5); // b has no feedback: 0.5 beats (−0.6 + 1) / 2
    b.utilityMean = 0.8;
    bounds.utilityChanged(b, false);
    expect(bounds.maxUtility()).toBeCloseTo(0.9, 12);
    bounds.remove(b);
    expect(bounds.maxUtility()).toBeCloseTo(0.9, 12); // an upper bound: not lowered while a keeps feedback
    bounds.remove(a);
    expect(bounds.maxUtility()).toBe(0.5);
    expect(bounds.maxClassMatch("Red")).toBe(0);
  });
});
