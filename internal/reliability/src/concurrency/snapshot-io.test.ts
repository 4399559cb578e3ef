import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HnswIndex } from "dreampool/hnsw-index";
import { DreamPool } from "dreampool/pool";
import { seededRandom } from "dreampool/tensor";
import { afterAll, describe, expect, it } from "vitest";
import { dreamResult, dreamTensor } from "../harness/fixtures.js";
import { writePart } from "../harness/tally.js";

// Async snapshot I/O interleaved with writes and reads on the same event loop. A save must capture
// the state at the moment it was called (or be serialised): never a mix, never a corrupt file.

const dir = mkdtempSync(join(tmpdir(), "dreampool-concurrency-"));
const figures: Record<string, number> = {};
afterAll(() => {
  writePart("concurrency-io", figures);
  rmSync(dir, { recursive: true, force: true });
});

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("pool snapshots under concurrent adds, removes and retrievals", () => {
  it("each save holds exactly the entries present when it was called; loads racing saves see a whole file", async () => {
    const created = DreamPool.create({ maxSize: 300, index: "hnsw", clock: () => 5 });
    if (!created.ok) throw created.error;
    const pool = created.value;
    for (let i = 0; i < 100; i++) pool.add(dreamTensor(i), dreamResult(i));
    const rng = seededRandom(99);
    const saves: Promise<void>[] = [];
    const racingLoads: Promise<void>[] = [];
    const shared = join(dir, "shared.snapshot");
    expect((await pool.save(shared)).ok).toBe(true);
    const sharedStates = new Set<string>([
      pool
        .entries()
        .map((e) => e.id)
        .join(),
    ]);
    let seq = 100;
    let checkedSaves = 0;
    let racingLoadsOk = 0;
    for (let round = 0; round < 40; round++) {
      // A save to its own file, then writes while it is in flight.
      const own = join(dir, `own-${round}.snapshot`);
      const expected = pool
        .entries()
        .map((e) => e.id)
        .join();
      saves.push(
        pool.save(own).then(async (r) => {
          expect(r.ok).toBe(true);
          const loaded = await DreamPool.load(own);
          expect(loaded.ok).toBe(true);
          if (loaded.ok)
            expect(
              loaded.value
                .entries()
                .map((e) => e.id)
                .join(),
              `save ${round} is not a point-in-time copy`,
            ).toBe(expected);
          checkedSaves++;
        }),
      );
      sharedStates.add(expected);
      saves.push(pool.save(shared).then((r) => expect(r.ok).toBe(true)));
      racingLoads.push(
        DreamPool.load(shared).then((r) => {
          expect(r.ok, `a load racing saves failed: ${r.ok ? "" : r.error.message}`).toBe(true);
          if (r.ok)
            expect(
              sharedStates.has(
                r.value
                  .entries()
                  .map((e) => e.id)
                  .join(),
              ),
            ).toBe(true);
          racingLoadsOk++;
        }),
      );
      for (let j = 0; j < 5; j++) {
        const s = seq++;
        expect(pool.add(dreamTensor(s), dreamResult(s)).ok).toBe(true);
        const ids = pool.entries();
        const victim = ids[Math.floor(rng() * ids.length)];
        if (victim && rng() < 0.4) pool.remove(victim.id);
        const hits = pool.retrieve([rng(), rng(), rng()], { mode: "hybrid", k: 5 });
        expect(hits.ok).toBe(true);
        if (hits.ok) for (const h of hits.value) expect(pool.has(h.entry.id)).toBe(true);
        await tick();
      }
    }
    await Promise.all([...saves, ...racingLoads]);
    const final = await DreamPool.load(shared);
    expect(final.ok).toBe(true);
    if (final.ok)
      expect(
        sharedStates.has(
          final.value
            .entries()
            .map((e) => e.id)
            .join(),
        ),
      ).toBe(true);
    figures.poolSaves = saves.length;
    figures.poolSavesVerified = checkedSaves;
    figures.racingLoads = racingLoadsOk;
  });

  it("the async view serves interleaved adds, removes, feedback and retrievals consistently", async () => {
    const created = DreamPool.create({
      maxSize: 150,
      memoryBudgetBytes: "400 KiB",
      index: "hnsw",
      clock: () => 5,
    });
    if (!created.ok) throw created.error;
    const view = created.value.asAsync();
    const rng = seededRandom(5);
    const removed = new Set<string>();
    const ops: Promise<void>[] = [];
    for (let i = 0; i < 600; i++) {
      const roll = rng();
      if (roll < 0.5) ops.push(view.add(dreamTensor(i), dreamResult(i)).then((r) => expect(r.ok).toBe(true)));
      else if (roll < 0.65)
        ops.push(
          view.entries().then(async (r) => {
            if (!r.ok || r.value.length === 0) return;
            const id = (r.value[0] as { id: string }).id;
            const gone = await view.remove(id);
            if (gone.ok && gone.value) removed.add(id);
          }),
        );
      else
        ops.push(
          view.retrieve([rng(), rng(), rng()], { mode: roll < 0.8 ? "soft" : "hybrid", k: 6 }).then((r) => {
            expect(r.ok).toBe(true);
            if (r.ok)
              for (const d of r.value)
                expect(removed.has(d.entry.id), `removed ${d.entry.id} returned`).toBe(false);
          }),
        );
    }
    await Promise.all(ops);
    const stats = await view.stats();
    expect(stats.ok).toBe(true);
    if (stats.ok) {
      expect(stats.value.count).toBeLessThanOrEqual(150);
      expect(stats.value.index.live).toBe(stats.value.count);
      expect(stats.value.memory.usedBytes).toBeLessThanOrEqual(
        stats.value.memory.budgetBytes ?? Number.POSITIVE_INFINITY,
      );
    }
    figures.asyncViewOperations = ops.length;
  });
});

describe("HnswIndex.save / load under concurrent adds and removals", () => {
  it("each save holds the ids present when it was called, and loads back to the same answers", async () => {
    const created = HnswIndex.create({ dim: 8, m: 8, efConstruction: 64, initialCapacity: 64 });
    if (!created.ok) throw created.error;
    const index = created.value;
    const rng = seededRandom(17);
    const vector = () => Float32Array.from({ length: 8 }, () => rng() - 0.3);
    for (let i = 0; i < 200; i++) index.add(`v${i}`, vector());
    const pending: Promise<void>[] = [];
    let next = 200;
    for (let round = 0; round < 30; round++) {
      const path = join(dir, `hnsw-${round}.bin`);
      const expected = [...index.ids()].sort().join();
      const probe = vector();
      const answer = index.search(probe, 5);
      pending.push(
        index.save(path).then(async (r) => {
          expect(r.ok, r.ok ? "" : r.error.message).toBe(true);
          const loaded = await HnswIndex.load(path);
          expect(loaded.ok).toBe(true);
          if (!loaded.ok) return;
          expect(
            [...loaded.value.ids()].sort().join(),
            `hnsw save ${round} is not a point-in-time copy`,
          ).toBe(expected);
          const again = loaded.value.search(probe, 5);
          if (answer.ok && again.ok)
            expect(again.value.map((h) => h.id)).toEqual(answer.value.map((h) => h.id));
        }),
      );
      for (let j = 0; j < 10; j++) {
        index.add(`v${next++}`, vector());
        if (rng() < 0.5) index.remove(`v${Math.floor(rng() * next)}`);
      }
      await tick();
    }
    await Promise.all(pending);
    figures.hnswSaves = pending.length;
  });
});
