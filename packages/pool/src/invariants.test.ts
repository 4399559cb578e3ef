import { unwrap } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { poolOf, result, tensorNear } from "./__fixtures__/pool-fixtures.js";
import type { DreamPool } from "./dream-pool.js";
import type { EvictionPolicy, IndexChoice } from "./types.js";

type Op =
  | { kind: "add"; rgb: [number, number, number]; coherence: number; metaSize: number }
  | { kind: "remove"; pick: number }
  | { kind: "feedback"; pick: number; utility: number }
  | { kind: "retrieve"; mode: "hard" | "soft" | "hybrid"; rgb: [number, number, number]; k: number }
  | { kind: "badRetrieve"; k: number }
  | { kind: "clear" };

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const rgb = fc.tuple(unit, unit, unit);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      rgb,
      coherence: unit,
      metaSize: fc.integer({ min: 0, max: 3000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("remove" as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("feedback" as const),
      pick: fc.nat(),
      utility: fc.double({ min: -1, max: 1, noNaN: true }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("retrieve" as const),
      mode: fc.constantFrom("hard" as const, "soft" as const, "hybrid" as const),
      rgb,
      k: fc.integer({ min: 1, max: 30 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("badRetrieve" as const),
      k: fc.oneof(fc.constant(0), fc.constant(-1), fc.constant(1.5), fc.constant(Number.NaN)),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
);

function checkInvariants(pool: DreamPool, maxSize: number, budget: number, gone: Set<string>): void {
  const s = pool.stats();
  const entries = pool.entries();
  expect(s.count).toBe(entries.length);
  expect(s.count).toBeLessThanOrEqual(maxSize);
  expect(s.memory.usedBytes).toBeLessThanOrEqual(budget);
  expect(s.memory.usedBytes).toBe(entries.reduce((sum, e) => sum + e.bytes, 0));
  expect(s.index.live).toBe(s.count);
  for (const e of entries) {
    expect(gone.has(e.id)).toBe(false);
    if (e.utility.mean !== null) expect(Math.abs(e.utility.mean)).toBeLessThanOrEqual(1);
  }
}

describe("pool invariants under random operation sequences (property)", () => {
  it.each([
    ["fifo", "exact"],
    ["lru", "auto"],
    ["lowest-utility", "hnsw"],
  ] as [EvictionPolicy, IndexChoice][])("%s eviction, %s index", (evictionPolicy, index) => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 5, maxLength: 60 }), (ops) => {
        const maxSize = 12;
        const budget = 60_000;
        const pool = poolOf({
          maxSize,
          memoryBudgetBytes: budget,
          evictionPolicy,
          index,
          autoHnswThreshold: 6,
          coherenceThreshold: 0.3,
          embedding: { dim: 16 },
        });
        const everSeen = new Set<string>();
        const gone = new Set<string>();
        let seed = 0;
        for (const o of ops) {
          const live = pool.entries().map((e) => e.id);
          switch (o.kind) {
            case "add": {
              const meta = o.metaSize > 0 ? { note: "m".repeat(o.metaSize) } : undefined;
              const id = unwrap(
                pool.addIfCoherent(tensorNear(o.rgb, seed++), result(o.coherence), meta ? { meta } : {}),
              );
              if (id !== null) {
                expect(everSeen.has(id)).toBe(false);
                everSeen.add(id);
              }
              break;
            }
            case "remove": {
              const id = live[o.pick % Math.max(1, live.length)];
              if (id !== undefined) expect(pool.remove(id)).toBe(true);
              break;
            }
            case "feedback": {
              const id = live[o.pick % Math.max(1, live.length)];
              if (id !== undefined) unwrap(pool.feedback(id, { utility: o.utility }));
              break;
            }
            case "retrieve": {
              const hits = unwrap(pool.retrieve(o.rgb, { mode: o.mode, k: o.k }));
              expect(hits.length).toBe(Math.min(o.k, pool.size));
              for (const h of hits) expect(pool.has(h.entry.id)).toBe(true);
              break;
            }
            case "badRetrieve": {
              const before = JSON.stringify(pool.stats());
              expect(pool.retrieve([0.5, 0.5, 0.5], { k: o.k }).ok).toBe(false);
              expect(JSON.stringify(pool.stats())).toBe(before);
              break;
            }
            case "clear":
              pool.clear();
              break;
          }
          for (const id of everSeen) if (!pool.has(id)) gone.add(id);
          checkInvariants(pool, maxSize, budget, gone);
        }
      }),
      { numRuns: 40 },
    );
  });
});
