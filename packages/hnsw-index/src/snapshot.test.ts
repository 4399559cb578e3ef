import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unwrap, unwrapErr } from "@dreampool/errors";
import { afterAll, describe, expect, it } from "vitest";
import { HnswIndex } from "./hnsw-index.js";
import { translateNativeError } from "./native.js";
import { nativeFromBytes } from "./native-file.js";
import { decodeSnapshot, encodeSnapshot, type SnapshotSidecar } from "./snapshot.js";
import { clusteredRows, hnsw, nativeElementCount } from "./test-data.js";

const dir = mkdtempSync(join(tmpdir(), "hnsw-snapshot-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DIM = 16;
const rows = clusteredRows(1200, DIM, 31, 40);
const queries = clusteredRows(60, DIM, 32, 40);

/** 1,000 entries, 150 of them removed (tombstones kept), ef raised to 90. */
function churned(): HnswIndex {
  const index = hnsw({ dim: DIM, initialCapacity: 128, compactionThreshold: 0.5 });
  for (let i = 0; i < 1000; i++) unwrap(index.add(`s${i}`, rows[i] as Float32Array));
  for (let i = 0; i < 1000; i += 7) index.remove(`s${i}`);
  unwrap(index.setEf(90));
  return index;
}

const answers = (index: HnswIndex) => queries.map((q) => unwrap(index.search(q, 10)));

/** Re-encodes a snapshot with a tampered sidecar (and a correct checksum, so only our checks can catch it). */
function forge(bytes: Uint8Array, edit: (s: SnapshotSidecar) => SnapshotSidecar, native?: Uint8Array) {
  const { sidecar, native: original } = unwrap(decodeSnapshot(bytes));
  return encodeSnapshot(edit(sidecar), native ?? original);
}

describe("toBytes / fromBytes", () => {
  it("round-trips: same answers, same ef, counts and rows; the copy keeps recycling slots", () => {
    const index = churned();
    const restored = unwrap(HnswIndex.fromBytes(unwrap(index.toBytes())));
    expect(answers(restored)).toEqual(answers(index));
    const { filterErrors: _a, exactFallbacks: _b, ...stats } = index.stats();
    expect(restored.stats()).toMatchObject(stats);
    expect(restored.stats().ef).toBe(90);
    for (const id of index.ids()) expect(restored.get(id)).toEqual(index.get(id));
    const tombstones = restored.stats().tombstones;
    expect(tombstones).toBeGreaterThan(0);
    unwrap(restored.add("late", rows[1100] as Float32Array));
    expect(restored.stats().tombstones).toBe(tombstones - 1);
    expect(nativeElementCount(restored)).toBe(restored.stats().slots); // hnswlib really reused a slot
    expect(unwrap(restored.search(rows[1100] as Float32Array, 1))[0]?.id).toBe("late");
    expect(index.has("late")).toBe(false);
  });

  it("checks the caller's expectations: dim -> DimensionMismatch, metric -> InvalidConfiguration", () => {
    const bytes = unwrap(churned().toBytes());
    expect(unwrapErr(HnswIndex.fromBytes(bytes, { dim: 32 })).kind).toBe("DimensionMismatch");
    expect(unwrapErr(HnswIndex.fromBytes(bytes, { metric: "euclidean" })).kind).toBe("InvalidConfiguration");
    expect(HnswIndex.fromBytes(bytes, { dim: DIM, metric: "cosine" }).ok).toBe(true);
  });

  it("rejects damage as IndexCorrupted before hnswlib reads it", () => {
    const bytes = unwrap(churned().toBytes());
    const flipped = bytes.slice();
    flipped[bytes.length - 100] = (flipped[bytes.length - 100] as number) ^ 0x10;
    const future = bytes.slice();
    future[8] = 3;
    const damaged = [
      flipped,
      bytes.subarray(0, bytes.length - 1),
      bytes.subarray(0, 12),
      Uint8Array.from(bytes, (b, i) => (i < 8 ? 0x41 : b)),
      future,
    ];
    for (const d of damaged) expect(unwrapErr(HnswIndex.fromBytes(d)).kind).toBe("IndexCorrupted");
    expect(unwrapErr(HnswIndex.fromBytes(future)).message).toContain("format version 3");
  });

  it("catches a sidecar that disagrees with the hnswlib binary (dim, label map, counts)", () => {
    const index = churned();
    const bytes = unwrap(index.toBytes());
    const otherDim = hnsw({ dim: 8 });
    for (let i = 0; i < 10; i++) unwrap(otherDim.add(`o${i}`, clusteredRows(10, 8, 2)[i] as Float32Array));
    const foreign = unwrap(decodeSnapshot(unwrap(otherDim.toBytes()))).native;
    const cases: [Uint8Array, string][] = [
      [forge(bytes, (s) => ({ ...s, dim: 32 })), "32"],
      [forge(bytes, (s) => s, foreign), "8-dimensional rows"],
      [
        forge(bytes, (s) => ({
          ...s,
          entries: s.entries.map(([id, l], i) => [id, i === 0 ? s.nextLabel + 5 : l]),
        })),
        "entry",
      ],
      [
        forge(bytes, (s) => ({ ...s, entries: s.entries.slice(1), tombstones: s.tombstones + 1 })),
        "live but no id",
      ],
      // s0 was removed, so label 0 is a tombstone: mapping an id to it must not revive the old row.
      [
        forge(bytes, (s) => ({ ...s, entries: s.entries.map(([id, l], i) => [id, i === 0 ? 0 : l]) })),
        "marks deleted",
      ],
      [forge(bytes, (s) => ({ ...s, tombstones: s.tombstones + 1 })), "counts disagree"],
      [forge(bytes, (s) => ({ ...s, metric: "chebyshev" as "cosine" })), "metric"],
    ];
    for (const [forged, hint] of cases) {
      const e = unwrapErr(HnswIndex.fromBytes(forged));
      expect(e.kind).toBe("IndexCorrupted");
      expect(e.message).toContain(hint);
    }
  });

  it("turns hnswlib's own errors into DreamError kinds", () => {
    const garbage = Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff);
    expect(unwrapErr(nativeFromBytes("ip", 8, garbage)).kind).toBe("IndexCorrupted");
    expect(translateNativeError(new Error("Hnswlib Error: Not enough memory"), "t").kind).toBe(
      "MemoryExceeded",
    );
    expect(
      translateNativeError(
        new Error("Hnswlib Error: The number of elements exceeds the specified limit"),
        "t",
        8,
      ).kind,
    ).toBe("CapacityExceeded");
    expect(translateNativeError(new Error("cand error"), "t").kind).toBe("CriticalState");
  });
});

describe("save / load", () => {
  it("writes one file atomically (no temp file left) and loads the same index", async () => {
    const index = churned();
    const file = join(dir, "a.hnsw");
    unwrap(await index.save(file));
    expect(readdirSync(dir).filter((f) => f.includes("a.hnsw"))).toEqual(["a.hnsw"]);
    const loaded = unwrap(await HnswIndex.load(file, { dim: DIM }));
    expect(answers(loaded)).toEqual(answers(index));
  });

  it("snapshots at call time: sync calls while the save is pending are safe and not in the file", async () => {
    const index = churned();
    const before = answers(index);
    const file = join(dir, "b.hnsw");
    const pending = index.save(file);
    unwrap(index.add("during", rows[1150] as Float32Array));
    for (let i = 1; i < 400; i += 3) index.remove(`s${i}`);
    unwrap(await pending);
    const loaded = unwrap(await HnswIndex.load(file));
    expect(loaded.has("during")).toBe(false);
    expect(answers(loaded)).toEqual(before);
  });

  it("serialises saves of one index: the last call's state wins", async () => {
    const index = churned();
    const file = join(dir, "c.hnsw");
    const first = index.save(file);
    unwrap(index.add("second", rows[1160] as Float32Array));
    const second = index.save(file);
    unwrap(await first);
    unwrap(await second);
    expect(unwrap(await HnswIndex.load(file)).has("second")).toBe(true);
  });

  it("reports I/O problems as DreamErrors and leaves nothing behind", async () => {
    const index = churned();
    const missing = join(dir, "no-such-dir", "x.hnsw");
    expect(unwrapErr(await index.save(missing)).kind).toBe("InvalidParameter");
    expect(unwrapErr(await HnswIndex.load(missing)).kind).toBe("InvalidParameter");
    expect(unwrapErr(await index.save("")).kind).toBe("InvalidParameter");
    const file = join(dir, "d.hnsw");
    unwrap(await index.save(file));
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
    expect(unwrapErr(await HnswIndex.load(file)).kind).toBe("IndexCorrupted");
  });
});

describe("damage inside the sidecar (found by internal/reliability)", () => {
  it("every single-bit flip of the header and sidecar is IndexCorrupted, never a silently different index", () => {
    const index = hnsw({ dim: 8, initialCapacity: 16 });
    const small = clusteredRows(6, 8, 5);
    for (let i = 0; i < 6; i++) unwrap(index.add(`s${i}`, small[i] as Float32Array));
    const bytes = unwrap(index.toBytes());
    const sidecarEnd = 16 + new DataView(bytes.buffer).getUint32(12, true) + 4;
    for (let at = 0; at < sidecarEnd; at++) {
      for (let bit = 0; bit < 8; bit++) {
        const damaged = bytes.slice();
        damaged[at] = (damaged[at] as number) ^ (1 << bit);
        expect(unwrapErr(HnswIndex.fromBytes(damaged)).kind, `byte ${at} bit ${bit}`).toBe("IndexCorrupted");
      }
    }
  });
});
