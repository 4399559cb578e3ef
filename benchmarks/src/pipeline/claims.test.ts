import { describe, expect, it } from "vitest";
import { judgeClaims, SEED_CLAIMS, sizeOf } from "./claims.js";
import { allFigures } from "./results.js";
import { claimsRun, figure, suite } from "./test-fixtures.js";

const verdicts = () => judgeClaims(allFigures(claimsRun()));
const verdictFor = (prefix: string) => {
  const v = verdicts().find((x) => x.claim.claim.startsWith(prefix));
  if (!v) throw new Error(`no claim ${prefix}`);
  return v;
};

describe("seed claims", () => {
  it("lists the five claims of the seed with their promised factors", () => {
    expect(SEED_CLAIMS.map((c) => c.promised)).toEqual([1.15, 1.15, 100, 10, 150]);
  });

  it("query cache: the 8x8x4 encode + search figure, not the encode-only or 32x32x4 ones", () => {
    const v = verdictFor("Query cache");
    expect(v.figure?.comparison?.ratio).toBe(1.09);
    expect(v.figure?.scenario).toContain("8x8x4");
    expect(v.holds).toBe(false);
    expect(v.note).toBe("hit rate 0.877; 32x32x4 tensors: 1.55x faster");
  });

  it("spectral caching: the figure carrying the 1.15 target, with the wall-clock ratio as context", () => {
    const v = verdictFor("Spectral");
    expect(v.figure?.comparison?.ratio).toBe(6.36);
    expect(v.holds).toBe(true);
    expect(v.note).toBe("wall clock: 7.82x faster");
  });

  it("HNSW at 10K: the n=10000 clustered search vs the exact scan, not n=100000 or the crossover sweep", () => {
    const v = verdictFor("HNSW");
    expect(v.figure?.comparison?.ratio).toBe(6.06);
    expect(v.figure?.scenario.startsWith("hnsw top-10, n=10000,")).toBe(true);
    expect(v.holds).toBe(false);
    expect(v.note).toContain("14.50x faster than a naive number[][] scan");
  });

  it("MMR: mmrFast defaults at the largest n and k (dot), the candidate limit only as context", () => {
    const v = verdictFor("MMR");
    expect(v.figure?.comparison?.ratio).toBe(4.5);
    expect(v.figure?.scenario).toContain("n=10000, k=50");
    expect(v.holds).toBe(false);
    expect(v.note).toContain("mmrFast candidateLimit=200 (a true approximation): 19.90x faster");
    expect(v.note).toContain("only 0.230 of its picks match");
  });

  it("combined: the pool's HNSW retrieval against exact at the largest size, not the auto index", () => {
    const v = verdictFor("~150x");
    expect(v.figure?.comparison?.ratio).toBe(29);
    expect(v.figure?.subject).toBe("pool, hnsw index");
    expect(v.holds).toBe(false);
  });

  it("a claim holds exactly when the measured ratio reaches the promise", () => {
    const run = claimsRun();
    const cache = run.suites.find((s) => s.suite === "query-cache");
    const target = cache?.figures.find((f) => f.subject.startsWith("encode + search, with QueryCache"));
    if (!target?.comparison) throw new Error("fixture");
    target.comparison.ratio = 1.15;
    expect(judgeClaims(allFigures(run))[0]?.holds).toBe(true);
    target.comparison.ratio = 1.149;
    expect(judgeClaims(allFigures(run))[0]?.holds).toBe(false);
  });

  it("reports a claim as unmeasured when its suite is missing from the run", () => {
    const only = {
      ...claimsRun(),
      suites: [suite("pool", [figure("soft retrieve k=10, n=1000, d=64", "x", 1)])],
    };
    const all = judgeClaims(allFigures(only));
    expect(all.every((v) => v.figure === undefined && v.holds === undefined)).toBe(true);
  });

  it("reads n from a scenario", () => {
    expect(sizeOf("soft retrieve k=10, n=100000, d=64")).toBe(100000);
    expect(sizeOf("cache hit, d=64")).toBe(-1);
  });
});
