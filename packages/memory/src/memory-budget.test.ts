import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KiB, MemoryBudget, type MemoryBudgetOptions, MiB } from "./index.js";

function budget(options: MemoryBudgetOptions): MemoryBudget {
  const created = MemoryBudget.create(options);
  if (!created.ok) throw created.error;
  return created.value;
}

function chargeAll(b: MemoryBudget, sizes: number[]): void {
  for (const size of sizes) expect(b.charge(size).ok).toBe(true);
}

describe("MemoryBudget (reference numbers, in bytes)", () => {
  it("starts empty with the requested ceiling", () => {
    const b = budget({ maxBytes: 100 * MiB });
    expect([b.maxBytes, b.used, b.entryCount, b.evictionThreshold]).toEqual([104_857_600, 0, 0, 0.9]);
  });

  it("accepts a size string for maxBytes", () => {
    expect(budget({ maxBytes: "100 MiB" }).maxBytes).toBe(104_857_600);
    expect(budget({ maxBytes: "100 MB" }).maxBytes).toBe(100_000_000);
  });

  it("canAdd compares used + size with the ceiling", () => {
    const b = budget({ maxBytes: MiB });
    expect(b.canAdd(500 * KiB)).toBe(true);
    chargeAll(b, [900 * KiB]);
    expect(b.canAdd(200 * KiB)).toBe(false);
    expect(b.canAdd(100 * KiB)).toBe(true);
    expect(b.canAdd(124 * KiB)).toBe(true);
    expect(b.canAdd(124 * KiB + 1)).toBe(false);
  });

  it("counts charges and releases", () => {
    const b = budget({ maxBytes: 10 * MiB });
    chargeAll(b, [1024, 2048]);
    expect([b.used, b.entryCount]).toEqual([3072, 2]);
    expect(b.release(1024)).toEqual({ ok: true, value: 2048 });
    expect([b.used, b.entryCount]).toEqual([2048, 1]);
  });

  it("reports the usage ratio", () => {
    const b = budget({ maxBytes: 10 * MiB });
    expect(b.usageRatio).toBe(0);
    chargeAll(b, [5 * MiB]);
    expect(b.usageRatio).toBe(0.5);
    chargeAll(b, [5 * MiB]);
    expect(b.usageRatio).toBe(1);
  });

  it("needs eviction only strictly above the threshold", () => {
    const b = budget({ maxBytes: 10 * MiB, evictionThreshold: 0.8 });
    chargeAll(b, [7 * MiB]);
    expect(b.needsEviction()).toBe(false);
    chargeAll(b, [MiB]);
    expect([b.used, b.thresholdBytes, b.needsEviction()]).toEqual([8 * MiB, 8 * MiB, false]);
    chargeAll(b, [MiB]);
    expect(b.needsEviction()).toBe(true);
  });

  it("averages entry sizes and resets", () => {
    const b = budget({ maxBytes: MiB });
    expect(b.averageEntryBytes).toBe(0);
    chargeAll(b, [1000, 2000, 3000]);
    expect(b.averageEntryBytes).toBe(2000);
    b.reset();
    expect([b.used, b.entryCount, b.averageEntryBytes]).toEqual([0, 0, 0]);
  });

  it("formats stats with the reference's figures", () => {
    const b = budget({ maxBytes: 100 * MiB });
    chargeAll(b, [50 * MiB]);
    const text = b.formatStats();
    expect(text).toContain("50.00");
    expect(text).toContain("100.00 MiB");
    expect(text).toContain("50.0%");
    expect(text).toBe("50.00 MiB of 100.00 MiB (50.0%), 1 entry, average 50.00 MiB, evicts above 90.0%");
    expect(b.stats()).toEqual({
      used: 52_428_800,
      maxBytes: 104_857_600,
      available: 52_428_800,
      evictionThreshold: 0.9,
      thresholdBytes: 94_371_840,
      usageRatio: 0.5,
      entryCount: 1,
      averageEntryBytes: 52_428_800,
    });
  });
});

describe("MemoryBudget.planEviction", () => {
  it("frees down to the threshold when nothing is incoming (reference: 0.5 of 10 MiB, 3 + 3 MiB → one entry)", () => {
    const b = budget({ maxBytes: 10 * MiB, evictionThreshold: 0.5 });
    chargeAll(b, [3 * MiB, 3 * MiB]);
    expect(b.planEviction(0)).toEqual({ bytesToFree: MiB, fits: true, targetUsed: 5 * MiB, error: null });
  });

  it("makes room for the incoming entry as well", () => {
    const b = budget({ maxBytes: 10 * MiB, evictionThreshold: 0.5 });
    chargeAll(b, [3 * MiB, 3 * MiB]);
    // 6 MiB used + 3 MiB incoming must end at or under 5 MiB: 4 MiB must go (both entries).
    expect(b.planEviction(3 * MiB)).toEqual({
      bytesToFree: 4 * MiB,
      fits: true,
      targetUsed: 5 * MiB,
      error: null,
    });
  });

  it("asks for nothing while usage plus the incoming entry stays under the threshold", () => {
    const b = budget({ maxBytes: 10 * MiB });
    chargeAll(b, [4 * MiB]);
    expect(b.planEviction(5 * MiB).bytesToFree).toBe(0);
    expect(b.planEviction(5 * MiB + 1).bytesToFree).toBe(1);
  });

  it("frees everything for an entry between the threshold and the ceiling", () => {
    const b = budget({ maxBytes: 10 * MiB, evictionThreshold: 0.5 });
    chargeAll(b, [2 * MiB]);
    expect(b.planEviction(8 * MiB)).toEqual({
      bytesToFree: 2 * MiB,
      fits: true,
      targetUsed: 8 * MiB,
      error: null,
    });
  });

  it("refuses an entry larger than the ceiling without evicting for it", () => {
    const b = budget({ maxBytes: 10 * MiB });
    chargeAll(b, [9 * MiB]);
    expect(b.planEviction(10 * MiB + 1)).toEqual({
      bytesToFree: 0,
      fits: false,
      targetUsed: 9 * MiB,
      error: null,
    });
    const tiny = budget({ maxBytes: 1 });
    expect(tiny.needsEviction()).toBe(false);
    expect(tiny.planEviction(512).fits).toBe(false);
    expect(tiny.planEviction(0).fits).toBe(true);
  });

  it("reports an invalid incoming size as an error without touching state", () => {
    const b = budget({ maxBytes: MiB });
    chargeAll(b, [1000]);
    for (const bad of [-1, 1.5, Number.NaN, Infinity]) {
      const plan = b.planEviction(bad);
      expect(plan.fits).toBe(false);
      expect(plan.bytesToFree).toBe(0);
      expect(plan.error?.kind).toBe("InvalidParameter");
      expect(plan.error?.message).toContain("incomingBytes");
    }
    expect([b.used, b.entryCount]).toEqual([1000, 1]);
  });
});

describe("MemoryBudget rejects bad input", () => {
  it("validates create options with InvalidConfiguration", () => {
    const cases: [unknown, string][] = [
      [{ maxBytes: -1 }, "maxBytes"],
      [{ maxBytes: 1.5 }, "maxBytes"],
      [{ maxBytes: Number.NaN }, "maxBytes"],
      [{ maxBytes: "64M" }, "maxBytes"],
      [{ maxBytes: 0 }, "maxBytes"],
      [{ maxBytes: "0 MiB" }, "maxBytes"],
      [{ maxBytes: "10" }, "maxBytes"],
      [{ maxBytes: " 4096 " }, "maxBytes"],
      [{ maxBytes: "1.5" }, "maxBytes"],
      [{ maxBytes: 10n }, "maxBytes"],
      [{ maxBytes: 100, evictionThreshold: 0 }, "evictionThreshold"],
      [{ maxBytes: 100, evictionThreshold: 1.01 }, "evictionThreshold"],
      [{ maxBytes: 100, evictionThreshold: Number.NaN }, "evictionThreshold"],
      [null, "options"],
    ];
    for (const [options, parameter] of cases) {
      const created = MemoryBudget.create(options as MemoryBudgetOptions);
      expect(created.ok).toBe(false);
      if (!created.ok) {
        expect(created.error.kind).toBe("InvalidConfiguration");
        expect(created.error.message).toContain(parameter);
      }
    }
    expect(MemoryBudget.create({ maxBytes: 100, evictionThreshold: 1 }).ok).toBe(true);
  });

  it("refuses a zero ceiling and a unitless size string, naming parameter, value and constraint", () => {
    for (const [maxBytes, shown] of [
      [0, "maxBytes = 0"],
      ["10", 'maxBytes = "10"'],
    ] as const) {
      const created = MemoryBudget.create({ maxBytes });
      expect(created.ok).toBe(false);
      if (created.ok) continue;
      expect(created.error.kind).toBe("InvalidConfiguration");
      expect(created.error.message).toContain(shown);
      expect(created.error.message).toContain("integer byte count >= 1");
      expect(created.error.message).toContain('"64 MiB"');
    }
    expect(budget({ maxBytes: "10 B" }).maxBytes).toBe(10);
    expect(budget({ maxBytes: "10 bytes" }).maxBytes).toBe(10);
    expect(budget({ maxBytes: 1 }).maxBytes).toBe(1);
  });

  it("refuses a charge that crosses the ceiling, leaving state unchanged", () => {
    const b = budget({ maxBytes: 1000 });
    chargeAll(b, [600]);
    const refused = b.charge(401);
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.error.detail).toEqual({ kind: "MemoryExceeded", requested: 401, available: 400 });
    expect([b.used, b.entryCount]).toEqual([600, 1]);
    expect(b.charge(400)).toEqual({ ok: true, value: 1000 });
  });

  it("refuses invalid sizes and over-releases, leaving state unchanged", () => {
    const b = budget({ maxBytes: 1000 });
    for (const bad of [-1, 0.5, Number.NaN, Infinity]) {
      expect(b.charge(bad).ok).toBe(false);
      expect(b.release(bad).ok).toBe(false);
      expect(b.canAdd(bad)).toBe(false);
    }
    expect(b.release(0).ok).toBe(false); // nothing charged yet
    chargeAll(b, [300]);
    const over = b.release(301);
    expect(over.ok).toBe(false);
    if (!over.ok) {
      expect(over.error.kind).toBe("InvalidParameter");
      expect(over.error.message).toContain("301");
      expect(over.error.message).toContain("300 bytes charged");
    }
    expect([b.used, b.entryCount]).toEqual([300, 1]);
  });
});

describe("MemoryBudget invariant", () => {
  it("used equals the sum of live sizes and never goes negative, for any sequence of operations", () => {
    const op = fc.oneof(
      fc.record({ type: fc.constant("charge" as const), size: fc.integer({ min: 0, max: 5000 }) }),
      fc.record({ type: fc.constant("release" as const), pick: fc.nat() }),
      fc.record({ type: fc.constant("overRelease" as const), excess: fc.integer({ min: 1, max: 5000 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40_000 }), fc.array(op, { maxLength: 80 }), (maxBytes, ops) => {
        const b = budget({ maxBytes });
        const live: number[] = [];
        const sum = () => live.reduce((a, x) => a + x, 0);
        for (const o of ops) {
          if (o.type === "charge") {
            const fits = sum() + o.size <= maxBytes;
            expect(b.charge(o.size).ok).toBe(fits);
            if (fits) live.push(o.size);
          } else if (o.type === "release") {
            const [size] = live.splice(o.pick % Math.max(1, live.length), 1);
            expect(b.release(size ?? 0).ok).toBe(size !== undefined);
          } else {
            expect(b.release(b.used + o.excess).ok).toBe(false);
          }
          expect(b.used).toBe(sum());
          expect(b.entryCount).toBe(live.length);
          expect(b.used).toBeGreaterThanOrEqual(0);
          expect(b.used).toBeLessThanOrEqual(maxBytes);
          expect(b.needsEviction()).toBe(b.used > Math.floor(maxBytes * 0.9));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("a plan followed by releasing at least bytesToFree admits the entry at or under the threshold", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.array(fc.integer({ min: 1, max: 8000 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 120_000 }),
        (maxBytes, threshold, sizes, incoming) => {
          const b = budget({ maxBytes, evictionThreshold: threshold });
          const live = sizes.filter((size) => b.charge(size).ok);
          const plan = b.planEviction(incoming);
          expect(plan.fits).toBe(incoming <= maxBytes);
          if (!plan.fits) return;
          let freed = 0;
          while (freed < plan.bytesToFree) {
            const size = live.shift() ?? 0;
            expect(b.release(size).ok).toBe(true);
            freed += size;
          }
          expect(b.charge(incoming).ok).toBe(true);
          if (incoming <= b.thresholdBytes) expect(b.needsEviction()).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
