import { describe, expect, it } from "vitest";
import * as umbrella from "./index.js";
import { ChromaticTensor, createPool, DreamError, QuerySignature, unwrap } from "./index.js";

describe("dreampool umbrella", () => {
  it("creates a pool that stores and finds a dream", () => {
    const pool = unwrap(createPool({ maxSize: 10, coherenceThreshold: 0 }));
    const red = unwrap(
      ChromaticTensor.fromColor([0.9, 0.1, 0.1], { rows: 4, cols: 4, layers: 2 }, { noise: 0.05, seed: 1 }),
    );
    const blue = unwrap(
      ChromaticTensor.fromColor([0.1, 0.1, 0.9], { rows: 4, cols: 4, layers: 2 }, { noise: 0.05, seed: 2 }),
    );
    const result = { energy: 1, coherence: 0.9, violation: 0, meta: {} };
    const redId = unwrap(pool.add(red, result, { classLabel: "Red" }));
    unwrap(pool.add(blue, result, { classLabel: "Blue" }));
    const hits = unwrap(pool.retrieve(unwrap(QuerySignature.fromChroma([1, 0, 0])), { mode: "hard", k: 1 }));
    expect(hits.map((h) => h.entry.id)).toEqual([redId]);
  });

  it("passes bad options back as InvalidConfiguration", () => {
    const r = createPool({ maxSize: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(DreamError.isKind(r.error, "InvalidConfiguration")).toBe(true);
      expect(r.error.message).toContain("maxSize");
    }
  });

  it("exposes every package as a namespace", () => {
    for (const ns of [
      "errors",
      "tensor",
      "embedding",
      "softIndex",
      "hnswIndex",
      "diversity",
      "scoring",
      "memory",
      "queryCache",
    ]) {
      expect(Object.keys((umbrella as unknown as Record<string, object>)[ns] ?? {}).length).toBeGreaterThan(
        2,
      );
    }
    expect(umbrella.tensor.ChromaticTensor).toBe(ChromaticTensor);
  });

  it("exposes every package as a subpath, postgres included", async () => {
    const subpaths = [
      "errors",
      "tensor",
      "embedding",
      "soft-index",
      "hnsw-index",
      "diversity",
      "scoring",
      "memory",
      "query-cache",
      "pool",
      "postgres",
    ];
    for (const s of subpaths) {
      const mod = (await import(`dreampool/${s}`)) as Record<string, unknown>;
      expect(Object.keys(mod).length, s).toBeGreaterThan(0);
    }
    const pg = (await import("dreampool/postgres")) as Record<string, unknown>;
    expect(typeof pg.PgDreamPool).toBe("function");
  });
});
