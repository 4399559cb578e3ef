import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { check } from "../check.js";
import { type Baseline, directionOf, findRegressions, mergeBaseline, ratiosOf } from "./regression.js";
import type { RunResults } from "./results.js";
import { claimsRun, figure, suite } from "./test-fixtures.js";

const withRatio = (run: RunResults, subject: string, scale: (r: number) => number): RunResults => {
  const copy = structuredClone(run);
  for (const s of copy.suites)
    for (const f of s.figures)
      if (f.subject === subject && f.comparison) f.comparison.ratio = scale(f.comparison.ratio);
  return copy;
};

const calibration = (error: number): RunResults => ({
  ...claimsRun(),
  suites: [
    suite("memory", [
      figure("memory calibration, n=10000", "tensor 8x8x4", 4865, {
        baseline: "estimate 4900 B",
        meaning: " relative error",
        ratio: error,
        target: { op: "<=", value: 0.15 },
      }),
    ]),
  ],
});

describe("ratio directions", () => {
  it("takes the direction from a target, else from the ratio's wording, else leaves it out", () => {
    const f = (meaning: string, target?: ">=" | "<=") =>
      figure("s", "x", 1, {
        baseline: "b",
        meaning,
        ratio: 1,
        ...(target ? { target: { op: target, value: 1 } } : {}),
      });
    expect(directionOf(f("x faster"))).toBe("higher");
    expect(directionOf(f(" recall"))).toBe("higher");
    expect(directionOf(f("x the time of one search per query"))).toBe("lower");
    expect(directionOf(f("x the time of scoreDot", ">="))).toBe("higher");
    expect(directionOf(f(" relative error", "<="))).toBe("lower");
    expect(directionOf(f("x of a hit"))).toBeUndefined();
    expect(directionOf(figure("s", "no comparison", 1))).toBeUndefined();
  });
});

describe("findRegressions", () => {
  const base = mergeBaseline(null, claimsRun());

  it("passes an identical run and compares every checkable ratio", () => {
    const { compared, regressions } = findRegressions(base, claimsRun());
    expect(compared).toBe(Object.keys(ratiosOf(claimsRun())).length);
    expect(compared).toBeGreaterThan(15);
    expect(regressions).toEqual([]);
  });

  it("fails a speed-up made 30% worse and names it", () => {
    const { regressions } = findRegressions(
      base,
      withRatio(claimsRun(), "pool, hnsw index", (r) => r * 0.7),
    );
    expect(regressions.map((r) => r.key)).toEqual([
      "pool | soft retrieve k=10, n=10000, d=64 | pool, hnsw index | vs pool, exact index",
      "pool | soft retrieve k=10, n=100000, d=64 | pool, hnsw index | vs pool, exact index",
    ]);
    expect(regressions[1]?.now).toBeCloseTo(29 * 0.7, 10);
    expect(regressions[1]?.baseline).toBe(29);
  });

  it("tolerates anything up to 20% worse, and any improvement (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.801, max: 5, noNaN: true }), (scale) => {
        expect(
          findRegressions(
            base,
            withRatio(claimsRun(), "pool, hnsw index", (r) => r * scale),
          ).regressions,
        ).toEqual([]);
      }),
    );
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.799, noNaN: true }), (scale) => {
        expect(
          findRegressions(
            base,
            withRatio(claimsRun(), "pool, hnsw index", (r) => r * scale),
          ).regressions,
        ).toHaveLength(2);
      }),
    );
  });

  it("flags a lower-is-better ratio only when it rises more than 20% and past its target", () => {
    const calibrated = mergeBaseline(null, calibration(0.05));
    expect(findRegressions(calibrated, calibration(0.1)).regressions).toEqual([]); // 2x, within 0.15
    expect(findRegressions(calibrated, calibration(0.16)).regressions).toHaveLength(1);
    const noTarget = (ratio: number): RunResults => ({
      ...claimsRun(),
      suites: [
        suite("soft-index", [
          figure("s", "searchBatch", 1, {
            baseline: "search",
            meaning: "x the time of one search per query",
            ratio,
          }),
        ]),
      ],
    });
    const b = mergeBaseline(null, noTarget(0.8));
    expect(findRegressions(b, noTarget(0.95)).regressions).toEqual([]);
    expect(findRegressions(b, noTarget(0.97)).regressions).toHaveLength(1);
  });

  it("does not compare figures the baseline lacks, nor a baseline figure the run lacks", () => {
    const partial: RunResults = { ...claimsRun(), suites: claimsRun().suites.slice(0, 1) };
    const { compared } = findRegressions(base, partial);
    expect(compared).toBe(Object.keys(ratiosOf(partial)).length);
  });
});

describe("mergeBaseline", () => {
  it("keeps the worse ratio of each run of the same profile, and counts the runs", () => {
    const first = mergeBaseline(null, claimsRun());
    const second = mergeBaseline(
      first,
      withRatio(claimsRun(), "pool, hnsw index", (r) => r * 0.9),
    );
    const third = mergeBaseline(
      second,
      withRatio(claimsRun(), "pool, hnsw index", (r) => r * 1.5),
    );
    const key = "pool | soft retrieve k=10, n=100000, d=64 | pool, hnsw index | vs pool, exact index";
    expect(third.ratios[key]?.ratio).toBeCloseTo(29 * 0.9, 10);
    expect(third.runs).toBe(3);
    const lower = mergeBaseline(mergeBaseline(null, calibration(0.05)), calibration(0.08));
    expect(Object.values(lower.ratios)[0]?.ratio).toBe(0.08);
  });

  it("starts over on reset or when the profile changes", () => {
    const first = mergeBaseline(null, claimsRun());
    expect(
      mergeBaseline(
        first,
        withRatio(claimsRun(), "pool, hnsw index", (r) => r * 0.5),
        true,
      ).runs,
    ).toBe(1);
    const quick = { ...claimsRun(), quick: true };
    const switched = mergeBaseline(first, quick);
    expect(switched.quick).toBe(true);
    expect(switched.runs).toBe(1);
  });
});

describe("check (bench:check / bench:baseline on files)", () => {
  let dir = "";
  const saved = process.env.DREAMPOOL_BENCH_DIR;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "bench-check-"));
    mkdirSync(join(dir, "suites"));
    process.env.DREAMPOOL_BENCH_DIR = join(dir, "suites");
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.DREAMPOOL_BENCH_DIR;
    else process.env.DREAMPOOL_BENCH_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });
  const writeLatest = (run: RunResults) => writeFileSync(join(dir, "latest.json"), JSON.stringify(run));

  it("needs a run, then a baseline; passes the same run; fails one with a ratio 30% worse", () => {
    expect(check()).toBe(2);
    writeLatest(claimsRun());
    expect(check()).toBe(2);
    expect(check({ update: true })).toBe(0);
    expect(check()).toBe(0);
    writeLatest(withRatio(claimsRun(), "HnswIndex search vs exact scan (ef=64)", (r) => r * 0.7));
    expect(check()).toBe(1);
    writeLatest(withRatio(claimsRun(), "HnswIndex search vs exact scan (ef=64)", (r) => r * 0.85));
    expect(check()).toBe(0);
  });

  it("refuses to pass a run with nothing comparable (a full baseline against a quick run)", () => {
    writeLatest(claimsRun());
    check({ update: true });
    const quick = structuredClone(claimsRun());
    quick.quick = true;
    for (const s of quick.suites) for (const f of s.figures) f.scenario = `${f.scenario} (quick)`;
    writeLatest(quick);
    expect(check()).toBe(2);
    const written = JSON.parse(readFileSync(join(dir, "baseline.json"), "utf8")) as Baseline;
    expect(written.quick).toBe(false);
  });
});
