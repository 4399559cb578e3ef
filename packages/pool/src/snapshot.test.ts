import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unwrap, unwrapErr } from "@dreampool/errors";
import { crc32 } from "@dreampool/soft-index";
import { afterAll, describe, expect, it } from "vitest";
import { classTensor, fill, idsOf, poolOf, result, tensorNear } from "./__fixtures__/pool-fixtures.js";
import { DreamPool } from "./dream-pool.js";
import { SNAPSHOT_FORMAT_VERSION } from "./snapshot/snapshot-codec.js";
import type { DreamPoolOptions } from "./types.js";

const dir = mkdtempSync(join(tmpdir(), "dreampool-snapshot-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const QUERIES = [
  [0.9, 0.1, 0.1],
  [0.2, 0.7, 0.3],
  [0.4, 0.4, 0.9],
] as const;

function richPool(options: DreamPoolOptions = {}): DreamPool {
  const pool = poolOf({ maxSize: 60, evictionPolicy: "lru", memoryBudgetBytes: "4 MiB", ...options });
  const ids = fill(pool, 70);
  unwrap(
    pool.add(
      classTensor("Green", 5),
      { ...result(0.95), grad: new Float32Array(96).fill(0.25) },
      { classLabel: "Green", meta: { step: 4, tag: "g" } },
    ),
  );
  unwrap(pool.add(tensorNear([0, 0, 0], 3, 0), result(0.8)));
  unwrap(pool.feedback(ids[20] as string, { utility: 0.7 }));
  unwrap(pool.feedback(ids[30] as string, { lossBefore: 0.5, lossAfter: 0.9 }));
  unwrap(pool.retrieve([0.3, 0.3, 0.3], { mode: "soft", now: 2_000_000 }));
  pool.remove(ids[40] as string);
  return pool;
}

function answers(pool: DreamPool): string[][] {
  const out: string[][] = [];
  for (const q of QUERIES) {
    for (const mode of ["hard", "soft", "hybrid"] as const)
      out.push(idsOf(pool.retrieve(q, { mode, k: 8, now: 3_000_000 })));
  }
  return out;
}

/** Rewrites the CRC so a deliberate edit reaches the field checks instead of the checksum. */
function resealed(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setUint32(copy.length - 4, crc32(copy.subarray(0, copy.length - 4)), true);
  return copy;
}

describe("snapshots", () => {
  for (const index of ["exact", "hnsw"] as const) {
    it(`round trip keeps entries, stats and retrieval answers (${index})`, () => {
      const pool = richPool({ index });
      const bytes = unwrap(pool.toBytes());
      const copy = unwrap(DreamPool.fromBytes(bytes, { clock: () => 1_000_000 }));
      expect(copy.entries().map((e) => e.id)).toEqual(pool.entries().map((e) => e.id));
      const strip = (p: DreamPool) =>
        p.entries().map(({ tensor, ...rest }) => ({ ...rest, colors: Array.from(tensor.colors) }));
      expect(strip(copy)).toEqual(strip(pool));
      expect(copy.stats()).toEqual({
        ...pool.stats(),
        cache: copy.stats().cache,
        index: {
          ...pool.stats().index,
          tombstones: copy.stats().index.tombstones,
          rebuilds: copy.stats().index.rebuilds,
        },
      });
      expect(copy.config).toEqual(pool.config);
      expect(copy.fingerprint).toBe(pool.fingerprint);
      // Both pools answer alike (usage updates happen identically on both sides).
      expect(answers(copy)).toEqual(answers(pool));
      // The eviction order survives: the next evictions pick the same victims.
      fill(pool, 5, 99);
      fill(copy, 5, 99);
      expect(copy.entries().map((e) => e.id)).toEqual(pool.entries().map((e) => e.id));
    });
  }

  it("saves atomically to a file and loads it back; a failed load leaves other pools alone", async () => {
    const pool = richPool();
    const path = join(dir, "pool.dream");
    unwrap(await pool.save(path));
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const loaded = unwrap(await DreamPool.load(path));
    expect(answers(loaded)).toEqual(answers(pool));
    writeFileSync(path, readFileSync(path).subarray(0, 100));
    expect(unwrapErr(await DreamPool.load(path)).kind).toBe("IndexCorrupted");
    expect(loaded.size).toBe(pool.size);
    expect(unwrapErr(await DreamPool.load(join(dir, "missing.dream"))).kind).toBe("FeatureUnavailable");
  });

  it("every truncation is IndexCorrupted", () => {
    const bytes = unwrap(poolWith(3).toBytes());
    for (let cut = 0; cut < bytes.length; cut += 7) {
      expect(unwrapErr(DreamPool.fromBytes(bytes.subarray(0, cut))).kind).toBe("IndexCorrupted");
    }
  });

  it("a flipped byte anywhere is IndexCorrupted", () => {
    const bytes = unwrap(poolWith(2).toBytes());
    for (let at = 0; at < bytes.length; at += 5) {
      const damaged = bytes.slice();
      damaged[at] = (damaged[at] as number) ^ 0x10;
      expect(unwrapErr(DreamPool.fromBytes(damaged)).kind).toBe("IndexCorrupted");
    }
  });

  it("a wrong format version is IndexCorrupted naming both versions", () => {
    const bytes = unwrap(poolWith(1).toBytes()).slice();
    new DataView(bytes.buffer).setUint32(8, SNAPSHOT_FORMAT_VERSION + 1, true);
    const e = unwrapErr(DreamPool.fromBytes(resealed(bytes)));
    expect(e.kind).toBe("IndexCorrupted");
    expect(e.message).toContain(`version ${SNAPSHOT_FORMAT_VERSION + 1}`);
  });

  it("a different encoder is InvalidConfiguration", () => {
    const bytes = unwrap(poolWith(2).toBytes());
    const e = unwrapErr(DreamPool.fromBytes(bytes, { embedding: { dim: 64, seed: 2 } }));
    expect(e.kind).toBe("InvalidConfiguration");
    expect(e.detail).toMatchObject({ parameter: "embedding" });
    // A stored fingerprint that no longer matches its config (e.g. written by another encoder version).
    const text = new TextDecoder().decode(bytes);
    const at = text.indexOf("emb");
    const edited = bytes.slice();
    edited[at + 3] = "9".charCodeAt(0);
    expect(unwrapErr(DreamPool.fromBytes(resealed(edited))).kind).toBe("InvalidConfiguration");
  });

  it("refuses a hostile entry count without allocating it", () => {
    const bytes = unwrap(poolWith(1).toBytes());
    const text = new TextDecoder().decode(bytes);
    // The entry count follows the counters JSON; find it by its known value (1) after that JSON.
    const countersEnd = text.indexOf('"removed":0}}') + '"removed":0}}'.length;
    const edited = bytes.slice();
    new DataView(edited.buffer).setUint32(countersEnd, 0x7fffffff, true);
    const e = unwrapErr(DreamPool.fromBytes(resealed(edited)));
    expect(e.kind).toBe("IndexCorrupted");
    expect(e.message).toMatch(/maxSize|bytes follow/);
  });

  it("rejects input that is not bytes", () => {
    expect(unwrapErr(DreamPool.fromBytes("DRMPOOL" as never)).kind).toBe("IndexCorrupted");
    expect(unwrapErr(DreamPool.fromBytes(new Uint8Array(0))).kind).toBe("IndexCorrupted");
  });
});

function poolWith(n: number): DreamPool {
  const pool = poolOf({ embedding: { dim: 8 } });
  fill(pool, n, 5);
  return pool;
}

describe("hostile snapshots with a valid checksum", () => {
  it("a config that is not an object, or is invalid, is refused with an error", () => {
    const bytes = unwrap(poolOf({ embedding: { dim: 8 } }).toBytes());
    const text = new TextDecoder().decode(bytes);
    const at = text.indexOf('{"maxSize":1000');
    const notObject = bytes.slice();
    notObject.set(new TextEncoder().encode("[1000,1,2,3,4,5"), at);
    expect(unwrapErr(DreamPool.fromBytes(resealed(notObject))).kind).toBe("IndexCorrupted");
    const badSize = bytes.slice();
    badSize.set(new TextEncoder().encode('{"maxSize":-100'), at);
    expect(unwrapErr(DreamPool.fromBytes(resealed(badSize))).kind).toBe("InvalidConfiguration");
  });
});
