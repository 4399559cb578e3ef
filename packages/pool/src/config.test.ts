import { unwrap, unwrapErr } from "@dreampool/errors";
import { DEFAULT_RETRIEVAL_WEIGHTS } from "@dreampool/scoring";
import { describe, expect, it } from "vitest";
import { DEFAULT_AUTO_HNSW_THRESHOLD, resolveConfig } from "./config.js";
import { DreamPool } from "./dream-pool.js";
import type { DreamPoolOptions } from "./types.js";

describe("pool configuration", () => {
  it("fills the documented defaults", () => {
    const c = unwrap(resolveConfig(undefined));
    expect(c).toMatchObject({
      maxSize: 1000,
      coherenceThreshold: 0.75,
      retrievalLimit: 10,
      memoryBudgetBytes: null,
      evictionThreshold: 0.9,
      evictionPolicy: "fifo",
      index: "auto",
      autoHnswThreshold: DEFAULT_AUTO_HNSW_THRESHOLD,
      queryCacheCapacity: 128,
      spectralWindow: "hann",
      idPrefix: "d",
      recencyHalfLifeMs: null,
    });
    expect(c.weights).toEqual(DEFAULT_RETRIEVAL_WEIGHTS);
    expect(c.hnsw).toEqual({ m: 16, efConstruction: 64, ef: 64, compactionThreshold: 0.25, seed: 100 });
  });

  it("puts the spectral window into the encoder fingerprint (features from another window live in another space)", () => {
    const hann = unwrap(DreamPool.create({ spectralWindow: "hann" }));
    const hamming = unwrap(DreamPool.create({ spectralWindow: "hamming" }));
    const none = unwrap(DreamPool.create({ spectralWindow: "none" }));
    expect(new Set([hann.fingerprint, hamming.fingerprint, none.fingerprint]).size).toBe(3);
    // The pool's window wins over one given to the mapper, so features and fingerprint agree.
    const overridden = unwrap(DreamPool.create({ spectralWindow: "none", embedding: { window: "hann" } }));
    expect(overridden.fingerprint).toBe(none.fingerprint);
    expect(unwrap(DreamPool.create()).fingerprint).toBe(hann.fingerprint);
  });

  it("parses size strings for the budget", () => {
    expect(unwrap(resolveConfig({ memoryBudgetBytes: "2 MiB" })).memoryBudgetBytes).toBe(2 * 1024 * 1024);
    expect(unwrap(resolveConfig({ memoryBudgetBytes: 5000 })).memoryBudgetBytes).toBe(5000);
  });

  const bad: [string, DreamPoolOptions][] = [
    ["maxSize", { maxSize: 0 }],
    ["maxSize", { maxSize: 2.5 }],
    ["maxSize", { maxSize: Number.NaN }],
    ["coherenceThreshold", { coherenceThreshold: 1.5 }],
    ["coherenceThreshold", { coherenceThreshold: Number.POSITIVE_INFINITY }],
    ["retrievalLimit", { retrievalLimit: -1 }],
    ["memoryBudgetBytes", { memoryBudgetBytes: -5 }],
    ["memoryBudgetBytes", { memoryBudgetBytes: "12 parsecs" }],
    ["memoryBudgetBytes", { memoryBudgetBytes: 0 }],
    ["memoryBudgetBytes", { memoryBudgetBytes: "4096" }],
    ["evictionThreshold", { evictionThreshold: 0 }],
    ["evictionThreshold", { evictionThreshold: 1.01 }],
    ["evictionPolicy", { evictionPolicy: "random" as never }],
    ["index", { index: "annoy" as never }],
    ["autoHnswThreshold", { autoHnswThreshold: 1 }],
    ["hnsw.m", { hnsw: { m: 1 } }],
    ["hnsw.efConstruction", { hnsw: { efConstruction: 0 } }],
    ["hnsw.ef", { hnsw: { ef: 1.5 } }],
    ["hnsw.compactionThreshold", { hnsw: { compactionThreshold: 0 } }],
    ["hnsw.seed", { hnsw: { seed: -1 } }],
    ["hnsw.mm", { hnsw: { mm: 3 } as never }],
    ["queryCacheCapacity", { queryCacheCapacity: 0 }],
    ["weights.alpha", { weights: { ...DEFAULT_RETRIEVAL_WEIGHTS, alpha: 2 } }],
    ["weights.lambda", { weights: { ...DEFAULT_RETRIEVAL_WEIGHTS, lambda: Number.NaN } }],
    ["recencyHalfLifeMs", { recencyHalfLifeMs: 0 }],
    ["spectralWindow", { spectralWindow: "blackman" as never }],
    ["clock", { clock: 42 as never }],
    ["idPrefix", { idPrefix: "" }],
    ["idPrefix", { idPrefix: "9lives" }],
    ["maxsize", { maxsize: 3 } as never],
  ];
  it.each(bad)("refuses a bad %s with InvalidConfiguration naming it", (field, options) => {
    const e = unwrapErr(DreamPool.create(options));
    expect(e.kind).toBe("InvalidConfiguration");
    expect(e.detail).toMatchObject({ parameter: field });
  });

  it("names nested embedding options", () => {
    const e = unwrapErr(DreamPool.create({ embedding: { dim: 0 } }));
    expect(e.kind).toBe("InvalidConfiguration");
    expect(e.detail).toMatchObject({ parameter: "embedding.dim" });
  });

  it("refuses options that are not an object", () => {
    expect(unwrapErr(DreamPool.create(7 as never)).kind).toBe("InvalidConfiguration");
    expect(unwrapErr(DreamPool.create([] as never)).kind).toBe("InvalidConfiguration");
  });
});
