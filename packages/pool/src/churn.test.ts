import { unwrap } from "@dreampool/errors";
import { ChromaticTensor, seededRandom } from "@dreampool/tensor";
import { describe, expect, it } from "vitest";
import { result } from "./__fixtures__/pool-fixtures.js";
import { DreamPool } from "./dream-pool.js";

// 50,000 adds through a pool capped at 2,000 entries and a byte budget, on HNSW. Small tensors
// (4x4x2), a 32-d embedding and a light graph (m 8, efConstruction 40) keep it well inside the
// test-time budget; the code path is the same as with the defaults (they change constant factors).
const ADDS = 50_000;
const MAX_SIZE = 2_000;
const CHECK_EVERY = 500;

describe("churn", () => {
  it("50,000 adds: size, budget and index stay consistent and no evicted id ever comes back", () => {
    const rng = seededRandom(2026);
    const probe = unwrap(DreamPool.create({ index: "hnsw", hnsw: { m: 8 }, embedding: { dim: 32 } }));
    const dims = { rows: 4, cols: 4, layers: 2 };
    const sample = unwrap(ChromaticTensor.fromColor([0.5, 0.5, 0.5], dims, { noise: 0.1, seed: 1 }));
    const entryBytes = probe.get(unwrap(probe.add(sample, result(0.9))))?.bytes ?? 0;
    // Room for about 1,700 plain entries: the budget binds before maxSize does, and the entries
    // with metadata (larger) make the two limits take turns.
    const budget = Math.floor(entryBytes * 1_700);
    const pool = unwrap(
      DreamPool.create({
        maxSize: MAX_SIZE,
        memoryBudgetBytes: budget,
        evictionThreshold: 0.95,
        index: "hnsw",
        hnsw: { m: 8, efConstruction: 40 },
        embedding: { dim: 32 },
        clock: () => 0,
      }),
    );
    let lastEvicted: string | null = null;
    // Our ids in insertion order; eviction is fifo, so evicted ids leave from the front.
    const live: string[] = [];
    let head = 0;
    let highestId = 0;
    let checks = 0;
    for (let i = 0; i < ADDS; i++) {
      const rgb = [rng(), rng(), rng()] as const;
      const tensor = unwrap(ChromaticTensor.fromColor(rgb, dims, { noise: 0.05 + 0.1 * rng(), seed: i }));
      const meta = i % 3 === 0 ? { note: "x".repeat(200 + (i % 700)) } : undefined;
      const id = unwrap(pool.add(tensor, result(0.8 + 0.2 * rng()), meta ? { meta } : {}));
      highestId = Number(id.slice(1));
      live.push(id);
      const s = pool.stats();
      if (s.count > MAX_SIZE || s.memory.usedBytes > budget || s.index.live !== s.count) {
        throw new Error(
          `invariant broken after add ${i}: ${JSON.stringify({ count: s.count, used: s.memory.usedBytes, live: s.index.live })}`,
        );
      }
      while (head < live.length && !pool.has(live[head] as string)) lastEvicted = live[head++] as string;
      if (live.length - head !== s.count) throw new Error(`eviction was not fifo after add ${i}`);
      if ((i + 1) % CHECK_EVERY === 0) {
        checks++;
        const evicted = lastEvicted === null ? null : lastEvicted;
        // Query near the latest evicted entry's colour, where a stale index row would surface.
        const near = tensor.meanRgb();
        for (const mode of ["hard", "soft", "hybrid"] as const) {
          const hits = unwrap(pool.retrieve(near, { mode, k: 50 }));
          expect(hits.length).toBe(50);
          for (const h of hits) {
            if (!pool.has(h.entry.id))
              throw new Error(`mode ${mode} returned evicted ${h.entry.id} after add ${i}`);
          }
          expect(hits.some((h) => h.entry.id === evicted)).toBe(false);
        }
      }
    }
    const s = pool.stats();
    expect(highestId).toBe(ADDS);
    expect(checks).toBe(ADDS / CHECK_EVERY);
    expect(s.count).toBeGreaterThan(1_000);
    expect(s.count).toBeLessThanOrEqual(MAX_SIZE);
    expect(s.evictions.budget + s.evictions.capacity).toBe(ADDS - s.count);
    expect(s.evictions.budget).toBeGreaterThan(0);
    expect(s.index.kind).toBe("hnsw");
    // Deletions stay bounded inside the HNSW index (tombstones reused or compacted), with no
    // rebuild per add or per eviction.
    expect(s.index.rebuilds).toBeLessThan(ADDS / 100);
    expect(s.index.tombstones).toBeLessThanOrEqual(Math.ceil(0.25 * (s.count + s.index.tombstones)));
  }, 120_000);
});
