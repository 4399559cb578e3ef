import { HnswIndex } from "dreampool/hnsw-index";
import { DreamPool } from "dreampool/pool";
import { crc32 } from "dreampool/soft-index";
import { tensorFromBytes, tensorToBytes } from "dreampool/tensor";
import { afterAll, describe, expect, it } from "vitest";
import { mustFail, mustReturn } from "../harness/check.js";
import { dreamResult, dreamTensor } from "../harness/fixtures.js";
import { Tally, writePart } from "../harness/tally.js";

// Hostile snapshot files: every truncation and every single-byte change of a small snapshot is an
// error (never a crash, a hang or a partial pool), and headers claiming huge sizes — with a valid
// checksum, so only the size checks stand in the way — are refused without allocating them.

const tally = new Tally();
const figures: Record<string, number> = {};
afterAll(() => writePart("props-hostile-files", { cases: tally.toJSON(), total: tally.total, ...figures }));

function smallSnapshot(): Uint8Array {
  const pool = DreamPool.create({ maxSize: 8, clock: () => 1 });
  if (!pool.ok) throw pool.error;
  for (let i = 0; i < 2; i++) {
    const r = pool.value.add(dreamTensor(i, { rows: 2, cols: 2, layers: 1 }), dreamResult(i));
    if (!r.ok) throw r.error;
  }
  const bytes = pool.value.toBytes();
  if (!bytes.ok) throw bytes.error;
  return bytes.value;
}

/** Re-seals a body with a fresh CRC-32 trailer, as an attacker (not bit rot) would. */
function reseal(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const end = out.length - 4;
  new DataView(out.buffer).setUint32(end, crc32(out.subarray(0, end)), true);
  return out;
}

/** Offsets in a pool snapshot: after the four header strings (config, fingerprint, bias, counters). */
function layout(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  for (let s = 0; s < 4; s++) at += 4 + view.getUint32(at, true);
  const entryCount = at;
  const firstId = entryCount + 4;
  const seqAt = firstId + 4 + view.getUint32(firstId, true);
  const tensorBlock = seqAt + 8;
  return { entryCount, tensorBlock, tensorHeader: tensorBlock + 4 };
}

/** Bytes held by ArrayBuffers and the process: a refused 1 GiB claim must not move them. */
const memory = () => {
  const m = process.memoryUsage();
  return m.arrayBuffers + m.rss;
};

describe("hostile snapshot files", () => {
  const bytes = smallSnapshot();
  figures.snapshotBytes = bytes.length;

  it("every truncation of a pool snapshot is IndexCorrupted", () => {
    for (let cut = 0; cut < bytes.length; cut++) {
      tally.hit("snapshot-truncation");
      mustFail(`DreamPool.fromBytes(first ${cut} of ${bytes.length} bytes)`, ["IndexCorrupted"], () =>
        DreamPool.fromBytes(bytes.slice(0, cut)),
      );
    }
    figures.truncations = bytes.length;
  });

  it("every single-byte change of a pool snapshot (three values per position) is an error", () => {
    let n = 0;
    for (let at = 0; at < bytes.length; at++) {
      for (const x of [0x01, 0x80, 0xff]) {
        const damaged = bytes.slice();
        damaged[at] = (damaged[at] as number) ^ x;
        tally.hit("snapshot-byte-flip");
        n++;
        mustFail(
          `DreamPool.fromBytes(byte ${at} ^ 0x${x.toString(16)})`,
          ["IndexCorrupted", "InvalidConfiguration"],
          () => DreamPool.fromBytes(damaged),
        );
      }
    }
    figures.byteFlips = n;
  });

  it("resealed flips (valid checksum, damaged content) are an error or an exact, valid pool", () => {
    // With the CRC recomputed only the structural checks stand: the answer must still be an error,
    // or — when the change hit a value any pool could hold (a float, a counter) — a pool that loads
    // with the same number of entries, never a crash or a partial pool.
    let errors = 0;
    let n = 0;
    for (let at = 12; at < bytes.length - 4; at++) {
      const damaged = bytes.slice();
      damaged[at] = (damaged[at] as number) ^ 0x41;
      tally.hit("snapshot-resealed-flip");
      n++;
      let r: ReturnType<typeof DreamPool.fromBytes>;
      try {
        r = DreamPool.fromBytes(reseal(damaged));
      } catch (thrown) {
        expect.fail(`resealed flip at ${at} threw: ${String(thrown)}`);
      }
      if (!r.ok) errors++;
      else {
        expect(r.value.size, `resealed flip at ${at} loaded a partial pool`).toBe(2);
        // A pool that loads must also work: no throw from retrieval, adds, stats or re-encoding.
        const restored = r.value;
        for (const mode of ["hard", "soft", "hybrid"] as const) {
          const hits = mustReturn(`resealed flip at ${at}: retrieve(${mode})`, () =>
            restored.retrieve([0.4, 0.5, 0.6], { mode, k: 2 }),
          );
          if (hits.ok)
            for (const h of hits.value)
              expect(Number.isFinite(h.score), `resealed flip at ${at}: ${mode} score ${h.score}`).toBe(true);
        }
        mustReturn(`resealed flip at ${at}: add`, () =>
          restored.add(dreamTensor(50, { rows: 2, cols: 2, layers: 1 }), dreamResult(50)),
        );
        mustReturn(`resealed flip at ${at}: toBytes`, () => restored.toBytes());
        expect(() => restored.stats()).not.toThrow();
      }
    }
    figures.resealedFlips = n;
    figures.resealedFlipsRefused = errors;
  });

  it("headers claiming huge sizes are refused without allocating them", () => {
    const { entryCount, tensorBlock, tensorHeader } = layout(bytes);
    const claims: [string, (v: DataView) => void][] = [
      ["entry count 2^32-1", (v) => v.setUint32(entryCount, 0xffffffff, true)],
      ["entry count 2^28", (v) => v.setUint32(entryCount, 2 ** 28, true)],
      ["tensor block 2^31", (v) => v.setUint32(tensorBlock, 2 ** 31, true)],
      [
        "tensor 8192 x 8192 x 4 (1 GiB of colours)",
        (v) => {
          v.setUint32(tensorHeader + 8, 8192, true);
          v.setUint32(tensorHeader + 12, 8192, true);
          v.setUint32(tensorHeader + 16, 4, true);
        },
      ],
      [
        "tensor 65535^2 x 65535",
        (v) => {
          v.setUint32(tensorHeader + 8, 65535, true);
          v.setUint32(tensorHeader + 12, 65535, true);
          v.setUint32(tensorHeader + 16, 65535, true);
        },
      ],
      ["config string 2^31", (v) => v.setUint32(12, 2 ** 31, true)],
    ];
    let maxGrowth = 0;
    for (const [name, forge] of claims) {
      const forged = bytes.slice();
      forge(new DataView(forged.buffer));
      const sealed = reseal(forged);
      tally.hit("snapshot-huge-claim");
      const before = memory();
      mustFail(
        `DreamPool.fromBytes(${name})`,
        ["IndexCorrupted", "InvalidConfiguration", "MemoryExceeded"],
        () => DreamPool.fromBytes(sealed),
      );
      const growth = memory() - before;
      maxGrowth = Math.max(maxGrowth, growth);
      expect(growth, `${name}: memory grew by ${growth} bytes`).toBeLessThan(64 * 1024 * 1024);
    }
    // The same claims on a bare tensor block.
    const tensorBytes = tensorToBytes(dreamTensor(9, { rows: 2, cols: 2, layers: 1 }));
    for (const [rows, cols, layers] of [
      [8192, 8192, 4],
      [65535, 65535, 65535],
      [0, 1, 1],
    ] as const) {
      const forged = tensorBytes.slice();
      const v = new DataView(forged.buffer);
      v.setUint32(8, rows, true);
      v.setUint32(12, cols, true);
      v.setUint32(16, layers, true);
      tally.hit("tensor-huge-claim");
      const before = memory();
      mustFail(
        `tensorFromBytes(${rows}x${cols}x${layers})`,
        ["IndexCorrupted", "InvalidParameter", "MemoryExceeded", "DimensionMismatch"],
        () => tensorFromBytes(forged),
      );
      expect(memory() - before).toBeLessThan(64 * 1024 * 1024);
    }
    figures.maxMemoryGrowthBytes = maxGrowth;
  });

  it("HnswIndex snapshots: every truncation and byte flip is IndexCorrupted", () => {
    const index = HnswIndex.create({ dim: 4, m: 4, efConstruction: 16, initialCapacity: 8 });
    if (!index.ok) throw index.error;
    for (let i = 0; i < 4; i++) index.value.add(`h${i}`, Float32Array.of(1 + i, 2, 3 - i, 0.5 * i + 0.1));
    const hb = index.value.toBytes();
    if (!hb.ok) throw hb.error;
    for (let cut = 0; cut < hb.value.length; cut++) {
      tally.hit("hnsw-truncation");
      mustFail(`HnswIndex.fromBytes(first ${cut})`, ["IndexCorrupted"], () =>
        HnswIndex.fromBytes(hb.value.slice(0, cut)),
      );
    }
    for (let at = 0; at < hb.value.length; at++) {
      const damaged = hb.value.slice();
      damaged[at] = (damaged[at] as number) ^ 0x01;
      tally.hit("hnsw-byte-flip");
      mustFail(`HnswIndex.fromBytes(byte ${at} ^ 1)`, ["IndexCorrupted"], () => HnswIndex.fromBytes(damaged));
    }
  });
});
