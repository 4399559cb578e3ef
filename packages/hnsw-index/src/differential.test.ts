import { mulberry32 } from "@dreampool/bench-kit";
import { unwrap } from "@dreampool/errors";
import type { Hit } from "@dreampool/soft-index";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HnswIndex } from "./hnsw-index.js";
import { clusteredRows, exact, hnsw, nativeElementCount, overlap, scoreAgainst } from "./test-data.js";

const ids = (hits: readonly Hit[]): string[] => hits.map((h) => h.id);

/** Every hit is live in the mirror and scored against the row the mirror holds for it. */
function expectHonestHits(index: HnswIndex, hits: readonly Hit[], query: Float32Array, live: Set<string>) {
  for (const hit of hits) {
    expect(live.has(hit.id), `removed id ${hit.id} came back`).toBe(true);
    expect(hit.score).toBeCloseTo(scoreAgainst("cosine", query, index.get(hit.id) as Float32Array), 5);
  }
}

describe("differential: HnswIndex vs ExactIndex", () => {
  it("recall@10 >= 0.95 on 5,000 clustered 64-d rows (default ef)", () => {
    const dim = 64;
    // Queries are drawn like the rows (same cluster centres), from the same generator call.
    const drawn = clusteredRows(5200, dim, 20251125, 1000);
    const rows = drawn.slice(0, 5000);
    const queries = drawn.slice(5000);
    const index = hnsw({ dim });
    const truth = exact(dim);
    rows.forEach((v, i) => {
      unwrap(index.add(`e${i}`, v));
      unwrap(truth.add(`e${i}`, v));
    });
    let recall = 0;
    for (const q of queries)
      recall += overlap(ids(unwrap(index.search(q, 10))), ids(unwrap(truth.search(q, 10))));
    recall /= queries.length;
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(index.stats().exactFallbacks).toBe(0);
  });

  it("removed ids never come back: after tombstoning, slot reuse, upserts and compaction", () => {
    const dim = 32;
    const rng = mulberry32(5);
    const rows = clusteredRows(2600, dim, 8, 40);
    const queries = clusteredRows(40, dim, 9, 40);
    // A high threshold keeps tombstones around so new rows really land in recycled slots.
    const index = hnsw({ dim, initialCapacity: 256, compactionThreshold: 0.9 });
    const truth = exact(dim);
    const live = new Set<string>();
    const put = (id: string, v: Float32Array) => {
      unwrap(index.upsert(id, v));
      unwrap(truth.upsert(id, v));
      live.add(id);
    };
    const drop = (id: string) => {
      expect(index.remove(id)).toBe(truth.remove(id));
      live.delete(id);
    };
    const check = (phase: string) => {
      expect([...index.ids()].sort(), phase).toEqual([...live].sort());
      // Our slot accounting agrees with hnswlib's own count (live + deleted).
      expect(nativeElementCount(index), phase).toBe(index.stats().slots);
      let recall = 0;
      for (const q of queries) {
        const hits = unwrap(index.search(q, 50));
        expectHonestHits(index, hits, q, live);
        recall += overlap(ids(hits), ids(unwrap(truth.search(q, 50))));
      }
      expect(recall / queries.length, phase).toBeGreaterThanOrEqual(0.9);
    };

    for (let i = 0; i < 2000; i++) put(`a${i}`, rows[i] as Float32Array);
    check("built");
    for (let i = 0; i < 2000; i++) if (rng() < 0.4) drop(`a${i}`);
    expect(index.stats().tombstones).toBeGreaterThan(700);
    check("tombstoned");
    const tombstones = index.stats().tombstones;
    for (let i = 2000; i < 2600; i++) put(`b${i}`, rows[i] as Float32Array);
    expect(index.stats().tombstones).toBe(tombstones - 600);
    check("slots reused");
    // Upserts of live ids to rows of removed ones: the old row must not answer for them.
    let moved = 0;
    for (let i = 0; i < 2000 && moved < 200; i++) {
      if (!live.has(`a${i}`)) {
        put(`a${(i * 7) % 2000}`, rows[i] as Float32Array);
        moved++;
      }
    }
    check("upserted");
    unwrap(index.compact());
    expect(index.stats()).toMatchObject({ tombstones: 0, slots: live.size });
    check("compacted");
    for (const id of [...live].slice(0, 300)) drop(id);
    for (let i = 0; i < 300; i++) put(`c${i}`, rows[(i * 13) % 2600] as Float32Array);
    check("reused after compaction");
  });

  it("property: any add/upsert/remove sequence keeps the index equal to a model", () => {
    const dim = 6;
    const pool = clusteredRows(64, dim, 3, 8);
    const op = fc.record({
      kind: fc.constantFrom("add", "upsert", "remove", "remove"),
      id: fc.integer({ min: 0, max: 15 }),
      row: fc.integer({ min: 0, max: 63 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), fc.integer({ min: 0, max: 63 }), (ops, q) => {
        const index = hnsw({ dim, initialCapacity: 2, compactionThreshold: 0.5 });
        const model = new Map<string, Float32Array>();
        for (const { kind, id, row } of ops) {
          const key = `k${id}`;
          const v = pool[row] as Float32Array;
          if (kind === "remove") expect(index.remove(key)).toBe(model.delete(key));
          else if (kind === "upsert" || !model.has(key)) {
            unwrap(kind === "add" ? index.add(key, v) : index.upsert(key, v));
            model.set(key, v);
          } else expect(index.add(key, v).ok).toBe(false);
        }
        expect([...index.ids()].sort()).toEqual([...model.keys()].sort());
        const query = pool[q] as Float32Array;
        const hits = unwrap(index.search(query, 16));
        expect(hits).toHaveLength(model.size);
        expectHonestHits(index, hits, query, new Set(model.keys()));
        for (const [key, v] of model) {
          expect(index.get(key)?.[0]).toBeCloseTo((v[0] as number) / Math.hypot(...v), 6);
        }
      }),
      { numRuns: 150 },
    );
  });
});
