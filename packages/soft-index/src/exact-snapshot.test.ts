import { unwrap, unwrapErr } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32 } from "./crc32.js";
import { ExactIndex } from "./exact-index.js";

const sample = (metric: "cosine" | "euclidean" = "cosine"): Uint8Array => {
  const index = unwrap(ExactIndex.create({ dim: 3, metric }));
  unwrap(index.add("alpha", Float32Array.of(1, 2, 3)));
  unwrap(index.add("bé", Float32Array.of(-1, 0.5, 2)));
  return unwrap(index.toBytes());
};

/** Applies a patch and re-seals the checksum, so the structural checks behind it are reached. */
function patched(bytes: Uint8Array, patch: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  patch(view, copy);
  view.setUint32(copy.length - 4, crc32(copy.subarray(0, copy.length - 4)), true);
  return copy;
}

const corruption = (bytes: Uint8Array): string => {
  const error = unwrapErr(ExactIndex.fromBytes(bytes));
  expect(error.kind).toBe("IndexCorrupted");
  return error.message;
};

// Layout: header 20 bytes; ids "alpha" (4 + 5) and "bé" (4 + 3) = 16 bytes; vectors at 36.
describe("ExactIndex snapshot format", () => {
  it("has the documented layout", () => {
    const bytes = sample();
    const view = new DataView(bytes.buffer);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe("DPEX");
    expect(view.getUint16(4, true)).toBe(1);
    expect([
      view.getUint8(6),
      view.getUint32(8, true),
      view.getUint32(12, true),
      view.getUint32(16, true),
    ]).toEqual([0, 3, 2, 16]);
    expect(bytes.length).toBe(20 + 16 + 2 * 3 * 4 + 4);
    expect(view.getFloat32(36, true)).toBeCloseTo(1 / Math.sqrt(14), 6);
  });

  it("rejects a non-Uint8Array with InvalidParameter", () => {
    expect(unwrapErr(ExactIndex.fromBytes([1, 2] as unknown as Uint8Array)).kind).toBe("InvalidParameter");
  });

  it.each([
    ["magic", (v: DataView) => v.setUint8(0, 0x58), "magic"],
    ["version", (v: DataView) => v.setUint16(4, 2, true), "version 2"],
    ["metric", (v: DataView) => v.setUint8(6, 9), "metric code 9"],
    ["reserved byte", (v: DataView) => v.setUint8(7, 1), "reserved"],
    ["dim 0", (v: DataView) => v.setUint32(8, 0, true), "dim 0"],
    ["huge count", (v: DataView) => v.setUint32(12, 0xffffffff, true), "header claims"],
    ["huge id block", (v: DataView) => v.setUint32(16, 0xfffffff0, true), "header claims"],
    ["id length", (v: DataView) => v.setUint32(20, 200, true), "runs past"],
    ["UTF-8 id", (_: DataView, b: Uint8Array) => b.set([0x61, 0x6c], 33), "not valid UTF-8"],
    ["non-finite vector", (v: DataView) => v.setFloat32(40, Number.NaN, true), "non-finite"],
    ["non-unit cosine row", (v: DataView) => v.setFloat32(36, 5, true), "unit length"],
  ] as const)("reports a damaged %s as IndexCorrupted", (_, patch, words) => {
    expect(corruption(patched(sample(), patch))).toContain(words);
  });

  it("reports duplicate ids and a checksum mismatch", () => {
    const index = unwrap(ExactIndex.create({ dim: 1, metric: "euclidean" }));
    unwrap(index.add("aa", Float32Array.of(1)));
    unwrap(index.add("ab", Float32Array.of(2)));
    const bytes = unwrap(index.toBytes());
    expect(corruption(patched(bytes, (_, b) => b.set([0x61], 31)))).toContain("appears twice");
    const flipped = bytes.slice();
    flipped[bytes.length - 6] = (flipped[bytes.length - 6] as number) ^ 1;
    expect(corruption(flipped)).toContain("checksum");
  });

  it("never accepts arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(ExactIndex.fromBytes(bytes).ok).toBe(false);
      }),
    );
  });

  it("rejects every single-byte change outside ids and vectors, even with the checksum resealed", () => {
    const good = sample("euclidean");
    const accepted = new Set<number>();
    for (let at = 0; at < good.length - 4; at++) {
      for (let xor = 1; xor < 256; xor++) {
        const bytes = patched(good, (_, b) => {
          b[at] = (b[at] as number) ^ xor;
        });
        if (ExactIndex.fromBytes(bytes).ok) accepted.add(at);
      }
    }
    // Only the metric code (to another valid metric), the ids' text and the vectors can change
    // into a different valid snapshot; the checksum catches such changes in real damage.
    const allowed = (at: number): boolean =>
      at === 6 || (at >= 24 && at <= 28) || (at >= 33 && at <= 35) || at >= 36;
    expect([...accepted].filter((at) => !allowed(at))).toEqual([]);
  });

  it("restores a working index that can grow", () => {
    const restored = unwrap(ExactIndex.fromBytes(sample()));
    expect(restored.capacity).toBe(2);
    for (let i = 0; i < 10; i++) unwrap(restored.add(`n${i}`, Float32Array.of(i + 1, 1, 0)));
    expect(restored.size).toBe(12);
    expect(unwrap(restored.search(Float32Array.of(1, 2, 3), 1))[0]?.id).toBe("alpha");
  });
});
