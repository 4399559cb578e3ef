import { unwrap, unwrapErr } from "@dreampool/errors";
import type { ColorClass } from "@dreampool/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BiasProfile, NEUTRAL_CLASS_WEIGHT } from "./bias-profile.js";
import { createFeedbackRecord, type FeedbackRecord, isHarmful, isHelpful } from "./feedback.js";
import { UtilityAggregator } from "./utility-aggregator.js";

const record = (
  lossBefore: number,
  lossAfter: number,
  classLabel: ColorClass | null = null,
): FeedbackRecord => unwrap(createFeedbackRecord({ lossBefore, lossAfter, classLabel }));

describe("FeedbackRecord", () => {
  it("a falling loss is helpful, a rising one harmful (§3.16)", () => {
    const better = record(0.5, 0.3);
    expect(better.deltaLoss).toBeCloseTo(-0.2, 12);
    expect(better.utility).toBeCloseTo(0.2, 12);
    expect(isHelpful(better)).toBe(true);
    const worse = record(0.3, 0.5);
    expect(worse.deltaLoss).toBeCloseTo(0.2, 12);
    expect(worse.utility).toBeCloseTo(-0.2, 12);
    expect(isHarmful(worse)).toBe(true);
    expect(record(0.4, 0.4).utility).toBe(0);
  });

  it("utility is −clamp(after − before, −1, 1)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        (before, after) => {
          const u = record(before, after).utility;
          expect(u).toBeGreaterThanOrEqual(-1);
          expect(u).toBeLessThanOrEqual(1);
          expect(u).toBe(after - before === 0 ? 0 : -Math.min(1, Math.max(-1, after - before)));
        },
      ),
    );
  });

  it("keeps class, chroma, entry id and epoch; rejects bad ones", () => {
    const r = unwrap(
      createFeedbackRecord({
        lossBefore: 1,
        lossAfter: 0.5,
        classLabel: "Green",
        chroma: [0.1, 0.8, 0.1],
        entryId: "d7",
        epoch: 3,
      }),
    );
    expect([r.classLabel, r.chroma, r.entryId, r.epoch]).toEqual(["Green", [0.1, 0.8, 0.1], "d7", 3]);
    expect(Object.isFrozen(r)).toBe(true);
    const typed = unwrap(
      createFeedbackRecord({ lossBefore: 1, lossAfter: 2, chroma: Float32Array.of(0.5, 0.25, 0) as never }),
    );
    expect(typed.chroma).toEqual([0.5, 0.25, 0]);
    expect(unwrapErr(createFeedbackRecord({ lossBefore: Number.NaN, lossAfter: 0 })).message).toContain(
      "lossBefore",
    );
    expect(
      unwrapErr(createFeedbackRecord({ lossBefore: 0, lossAfter: Number.POSITIVE_INFINITY })).message,
    ).toContain("lossAfter");
    expect(
      unwrapErr(createFeedbackRecord({ lossBefore: 0, lossAfter: 0, classLabel: "Teal" as ColorClass }))
        .message,
    ).toContain("classLabel");
    expect(
      unwrapErr(createFeedbackRecord({ lossBefore: 0, lossAfter: 0, chroma: [1, 2] as never })).message,
    ).toContain("chroma");
    expect(unwrapErr(createFeedbackRecord({ lossBefore: 0, lossAfter: 0, epoch: -1 })).message).toContain(
      "epoch",
    );
  });
});

describe("UtilityAggregator", () => {
  it("means overall and per class, in class order", () => {
    const agg = new UtilityAggregator();
    unwrap(
      agg.addAll([
        record(0.5, 0.3, "Red"),
        record(0.3, 0.5, "Green"),
        record(0.9, 0.5, "Red"),
        record(0.2, 0.1),
      ]),
    );
    expect(agg.count).toBe(4);
    expect(agg.meanUtility).toBeCloseTo((0.2 - 0.2 + 0.4 + 0.1) / 4, 12);
    expect(agg.classMean("Red")).toBeCloseTo(0.3, 12);
    expect(agg.classMean("Blue")).toBeNull();
    expect(agg.classUtilities().map((c) => [c.classLabel, c.count])).toEqual([
      ["Red", 2],
      ["Green", 1],
    ]);
  });

  it("the mean of +0.2 and −0.2 is 0; an empty aggregator has no mean", () => {
    const agg = new UtilityAggregator();
    expect(agg.meanUtility).toBeNull();
    agg.add(record(0.5, 0.3));
    agg.add(record(0.3, 0.5));
    expect(agg.meanUtility).toBeCloseTo(0, 12);
    agg.clear();
    expect([agg.count, agg.meanUtility, agg.classUtilities()]).toEqual([0, null, []]);
  });

  it("top helpful and harmful, most extreme first, ties in arrival order", () => {
    const agg = new UtilityAggregator();
    const rs = [
      record(1, 0.9),
      record(1, 0.5),
      record(0, 0.3),
      record(1, 0.9),
      record(0, 0.8),
      record(0.5, 0.5),
    ];
    for (const r of rs) agg.add(r);
    expect(unwrap(agg.topHelpful(3))).toEqual([rs[1], rs[0], rs[3]]);
    expect(unwrap(agg.topHarmful(5))).toEqual([rs[4], rs[2]]);
    expect(unwrap(agg.filterByUtility(0.05))).toEqual([rs[0], rs[1], rs[3]]);
    expect(unwrapErr(agg.topHelpful(0)).message).toContain("n");
    expect(unwrapErr(agg.filterByUtility(Number.NaN)).kind).toBe("InvalidParameter");
  });

  it("rejects something that is not a record, leaving its state alone", () => {
    const agg = new UtilityAggregator();
    agg.add(record(1, 0.5, "Red"));
    expect(unwrapErr(agg.add({ utility: 3 } as unknown as FeedbackRecord)).message).toContain("utility");
    expect(agg.count).toBe(1);
    expect(agg.classMean("Red")).toBeCloseTo(0.5, 12);
  });
});

describe("BiasProfile", () => {
  const build = () => {
    const agg = new UtilityAggregator();
    unwrap(agg.addAll([record(0.5, 0.3, "Red"), record(0.4, 0.2, "Red"), record(0.3, 0.5, "Green")]));
    return unwrap(BiasProfile.fromAggregator(agg, { utilityThreshold: 0 }));
  };

  it("prefers the helpful class and weighs it above neutral (§3.16)", () => {
    const profile = build();
    expect(profile.totalSamples).toBe(3);
    expect(profile.prefersClass("Red")).toBe(true);
    expect(profile.classWeight("Red")).toBeCloseTo(0.6, 12);
    expect(profile.prefersClass("Green")).toBe(false);
    expect(profile.classWeight("Green")).toBeCloseTo(0.4, 12);
    expect(profile.preferredClasses()).toEqual(["Red"]);
  });

  it("a class without feedback is neutral (0.5), as with no profile at all", () => {
    const profile = build();
    expect(profile.classWeight("Blue")).toBe(NEUTRAL_CLASS_WEIGHT);
    expect(unwrap(BiasProfile.create()).classWeight("Red")).toBe(0.5);
  });

  it("weights stay in [0, 1] and follow the mean: clamp((mean + 1) / 2)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (deltas) => {
          const profile = unwrap(BiasProfile.create());
          for (const d of deltas) unwrap(profile.update(record(1, 1 + d, "Cyan")));
          const mean =
            deltas.reduce((s, d) => s + (d === 0 ? 0 : -Math.max(-1, Math.min(1, d))), 0) / deltas.length;
          expect(profile.classWeight("Cyan")).toBeCloseTo((mean + 1) / 2, 9);
        },
      ),
    );
  });

  it("lists preferred classes by mean utility, ties in class order", () => {
    const profile = unwrap(BiasProfile.create({ utilityThreshold: 0.05 }));
    for (const [cls, before, after] of [
      ["Blue", 0.5, 0.3],
      ["Red", 0.5, 0.3],
      ["Green", 0.9, 0.3],
      ["Black", 0.5, 0.48],
    ] as const) {
      profile.update(record(before, after, cls));
    }
    expect(profile.preferredClasses()).toEqual(["Green", "Red", "Blue"]);
  });

  it("round-trips through JSON exactly and rejects malformed JSON", () => {
    const profile = build();
    const restored = unwrap(BiasProfile.fromJSON(JSON.stringify(profile)));
    expect(restored.toJSON()).toEqual(profile.toJSON());
    expect(restored.classWeight("Red")).toBe(profile.classWeight("Red"));
    expect(restored.utilityThreshold).toBe(0);
    expect(unwrapErr(BiasProfile.fromJSON("{")).kind).toBe("InvalidParameter");
    expect(
      unwrapErr(BiasProfile.fromJSON({ version: 2, utilityThreshold: 0, classes: {} })).message,
    ).toContain("version");
    expect(unwrapErr(BiasProfile.fromJSON({ version: 1, classes: {} })).message).toContain(
      "utilityThreshold",
    );
    const badClass = {
      version: 1,
      utilityThreshold: 0,
      classes: { Teal: { sampleCount: 1, utilitySum: 0 } },
    };
    expect(unwrapErr(BiasProfile.fromJSON(badClass)).message).toContain("Teal");
    const badSum = { version: 1, utilityThreshold: 0, classes: { Red: { sampleCount: 1, utilitySum: 3 } } };
    expect(unwrapErr(BiasProfile.fromJSON(badSum)).message).toContain("utilitySum");
  });

  it("rejects a threshold outside [−1, 1]", () => {
    expect(unwrapErr(BiasProfile.create({ utilityThreshold: 2 })).message).toContain("utilityThreshold");
  });
});
