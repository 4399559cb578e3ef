import { unwrap } from "@dreampool/errors";
import { ChromaticNativeSolver, ChromaticTensor, generateColorDataset } from "@dreampool/tensor";
import { describe, expect, it } from "vitest";
import { fill, poolOf, result, tensorNear } from "./__fixtures__/pool-fixtures.js";

// The reference's integration behaviours (reference.md §3.15), on data that can fail them.
describe("integration", () => {
  it("full pipeline: solver-scored dataset → gated pool → soft retrieval finds the query's class", () => {
    const solver = unwrap(ChromaticNativeSolver.create());
    const data = unwrap(
      generateColorDataset({ samplesPerClass: 6, rows: 8, cols: 8, layers: 2, noise: 0.08, seed: 11 }),
    );
    const pool = poolOf({ coherenceThreshold: 0 });
    let added = 0;
    for (const sample of data.samples) {
      const scored = unwrap(solver.evaluate(sample.tensor, false));
      if (unwrap(pool.addWithClass(sample.tensor, scored, sample.label)) !== null) added++;
    }
    expect(added).toBe(60);
    const probe = data.samples.find((s) => s.label === "Purple");
    const hits = unwrap(pool.retrieve(probe?.tensor ?? [0.5, 0, 0.5], { mode: "soft", k: 5 }));
    expect(hits).toHaveLength(5);
    expect(hits.filter((h) => h.entry.classLabel === "Purple").length).toBeGreaterThanOrEqual(4);
    expect(pool.stats().meanCoherence).toBeGreaterThan(0);
  });

  it("the gate keeps exactly the coherent results (20 results, coherence 0.9 - 0.01 i, threshold 0.75)", () => {
    const pool = poolOf();
    for (let i = 0; i < 20; i++)
      unwrap(
        pool.addIfCoherent(tensorNear([0.1 * (i % 10), 0.5, 0.3], i), result(0.9 - 0.01 * i, 0.1 + 0.01 * i)),
      );
    expect(pool.size).toBe(16);
    const hits = unwrap(pool.retrieveSoft([1, 0, 0], 5));
    expect(hits).toHaveLength(5);
  });

  it("the query cache is on the retrieval path: repeated queries hit it", () => {
    const pool = poolOf();
    fill(pool, 10);
    for (let i = 0; i < 5; i++) unwrap(pool.retrieve([0.25, 0.5, 0.75], { mode: "hybrid" }));
    expect(pool.stats().cache).toMatchObject({ hits: 4, misses: 1 });
  });

  it("every fresh entry carries spectral features (non-negative entropy and band energies)", () => {
    const pool = poolOf();
    for (const e of fill(pool, 5).map((id) => pool.get(id))) {
      expect(e?.spectral.entropy).toBeGreaterThanOrEqual(0);
      for (const band of [e?.spectral.lowEnergy, e?.spectral.midEnergy, e?.spectral.highEnergy])
        expect(band).toBeGreaterThanOrEqual(0);
    }
  });

  it("auto index migrates to HNSW at the threshold and back below half of it", () => {
    const pool = poolOf({ index: "auto", autoHnswThreshold: 40, maxSize: 100, embedding: { dim: 16 } });
    const ids = fill(pool, 39);
    expect(pool.stats().index.kind).toBe("exact");
    fill(pool, 1, 3);
    expect(pool.stats().index).toMatchObject({ kind: "hnsw", live: 40, migrations: 1 });
    const q = pool.get(ids[5] as string)?.chroma ?? [1, 0, 0];
    expect(unwrap(pool.retrieve(q, { mode: "soft", k: 1 }))[0]?.entry.id).toBe(ids[5]);
    for (const id of ids.slice(0, 20)) pool.remove(id);
    expect(pool.stats().index.kind).toBe("hnsw");
    pool.remove(ids[20] as string);
    expect(pool.stats().index).toMatchObject({ kind: "exact", live: 19, migrations: 2 });
    expect(
      unwrap(pool.retrieve(pool.get(ids[30] as string)?.chroma ?? [1, 0, 0], { mode: "soft", k: 19 })).length,
    ).toBe(19);
  });

  it("a large batch (100 entries) lands whole and answers k = 10", () => {
    const pool = poolOf();
    const items = Array.from({ length: 100 }, (_, i) => ({
      tensor: tensorNear([(i % 7) / 7, (i % 5) / 5, (i % 3) / 3], i),
      result: result(0.9),
    }));
    expect(unwrap(pool.addBatch(items))).toBe(100);
    expect(unwrap(pool.retrieve([0.5, 0.5, 0.5], { mode: "soft", k: 10 }))).toHaveLength(10);
  });
});

describe("reference behaviours, continued", () => {
  it("hard-mode colour cosine: identical 1, orthogonal 0, opposite -1", () => {
    const pool = poolOf({ index: "exact" });
    const dims = { rows: 2, cols: 2, layers: 1 };
    const solid = (rgb: [number, number, number]) =>
      unwrap(ChromaticTensor.fromArrays(dims, Array.from({ length: 4 }, () => rgb).flat()));
    const same = unwrap(pool.add(solid([0.8, 0, 0]), result(0.9)));
    const orthogonal = unwrap(pool.add(solid([0, 0.6, 0]), result(0.9)));
    const opposite = unwrap(pool.add(solid([-0.5, 0, 0]), result(0.9)));
    const hits = unwrap(pool.retrieveSimilar([1, 0, 0], 3));
    expect(hits.map((h) => h.entry.id)).toEqual([same, orthogonal, opposite]);
    const sims = hits.map((h) => h.components.similarity);
    expect(sims[0]).toBeCloseTo(1, 6);
    expect(sims[1]).toBeCloseTo(0, 6);
    expect(sims[2]).toBeCloseTo(-1, 6);
  });

  it("hybrid weights 0.4/0.3/0.2/0.1/0.5 over a two-entry pool return both, best first", () => {
    const pool = poolOf();
    const near = unwrap(pool.add(tensorNear([0.9, 0.15, 0.1], 1), result(0.9)));
    const far = unwrap(pool.add(tensorNear([0.2, 0.3, 0.9], 2), result(0.9)));
    const weights = { alpha: 0.4, beta: 0.3, gamma: 0.2, delta: 0.1, lambda: 0.5 };
    const hits = unwrap(pool.retrieve([1, 0.1, 0.1], { mode: "hybrid", k: 5, weights }));
    expect(hits.map((h) => h.entry.id)).toEqual([near, far]);
  });

  it("concurrent async readers see consistent answers", async () => {
    const pool = poolOf();
    fill(pool, 20);
    const view = pool.asAsync();
    const queries = [0, 1, 2, 3].map((i) => [i / 4, 1 - i / 4, 0.2] as const);
    const answers = await Promise.all(queries.map((q) => view.retrieve(q, { mode: "hybrid", k: 5 })));
    const again = await Promise.all(queries.map((q) => view.retrieve(q, { mode: "hybrid", k: 5 })));
    expect(answers.map((a) => unwrap(a).map((h) => h.entry.id))).toEqual(
      again.map((a) => unwrap(a).map((h) => h.entry.id)),
    );
    for (const a of answers) expect(unwrap(a)).toHaveLength(5);
  });
});
