import { describe, expect, it } from "vitest";
import {
  BACKING_STORE_NATIVE_BYTES,
  embeddingBytes,
  estimateEntryBreakdown,
  estimateEntryBytes,
  exactIndexBytesPerVector,
  hnswBytesPerVector,
  KiB,
  metadataBytes,
  spectralBytes,
  TYPED_ARRAY_OBJECT_BYTES,
  tensorBytes,
  typedArrayBytes,
} from "./index.js";

const dims884 = { rows: 8, cols: 8, layers: 4 };

describe("size estimators", () => {
  it("counts an 8x8x4 tensor's 4096 data bytes plus its objects (reference: at least 3072 + 1024)", () => {
    const bytes = tensorBytes(dims884);
    expect(bytes).toBeGreaterThanOrEqual(4096);
    expect(bytes).toBe(3072 + 1024 + 2 * (TYPED_ARRAY_OBJECT_BYTES + BACKING_STORE_NATIVE_BYTES) + 64);
  });

  it("grows linearly with the cell count: 16 bytes per cell", () => {
    const small = tensorBytes({ rows: 8, cols: 8, layers: 4 });
    const large = tensorBytes({ rows: 16, cols: 8, layers: 4 });
    expect(large - small).toBe(16 * 256);
  });

  it("keeps typed arrays of up to 64 bytes on the heap and larger ones off it", () => {
    expect(typedArrayBytes(256) - typedArrayBytes(128)).toBe(128);
    expect(typedArrayBytes(64)).toBeLessThan(typedArrayBytes(65));
    expect(embeddingBytes(64)).toBe(typedArrayBytes(256));
  });

  it("estimates a zero 8x8x4 entry at >= 4096 bytes and < 20 KiB (reference bounds; seed said 4238)", () => {
    const bytes = estimateEntryBytes({ dims: dims884, embeddingDim: 64, index: { kind: "exact" } });
    expect(bytes).toBeGreaterThanOrEqual(4096);
    expect(bytes).toBeLessThan(20 * KiB);
  });

  it("adds what the seed forgot: gradient, metadata and index memory", () => {
    const base = estimateEntryBreakdown({ dims: dims884, embeddingDim: 64, index: { kind: "none" } });
    const full = estimateEntryBreakdown({
      dims: dims884,
      embeddingDim: 64,
      index: { kind: "hnsw", m: 16 },
      hasGrad: true,
      meta: { source: "solver", step: 12, loss: 0.25 },
    });
    expect(base.index).toBe(0);
    expect(full.solverArrays).toBe(typedArrayBytes(3072));
    expect(full.metadata).toBeGreaterThan(0);
    expect(full.index).toBeGreaterThan(hnswBytesPerVector(64, 16) - 1);
    expect(full.total).toBe(Object.entries(full).reduce((a, [k, v]) => (k === "total" ? a : a + v), 0));
    expect(full.total - base.total).toBe(full.solverArrays + full.metadata + full.index);
  });

  it("follows hnswlib's layout: level-0 record plus bookkeeping", () => {
    // d = 384, M = 16: level-0 record 132 + 1536 + 8 = 1676 bytes (peers.md §2.2), about 1.75 KB per slot.
    const perSlot = hnswBytesPerVector(384, 16);
    expect(perSlot).toBeGreaterThan(1676);
    expect(perSlot).toBeLessThan(1850);
    // 16 more M give 32 more level-0 links of 4 bytes; upper layers shrink slightly as 1/M falls.
    const delta = hnswBytesPerVector(64, 32) - hnswBytesPerVector(64, 16);
    expect(delta).toBeGreaterThan(120);
    expect(delta).toBeLessThanOrEqual(128);
    expect(hnswBytesPerVector(65, 16) - hnswBytesPerVector(64, 16)).toBe(4);
  });

  it("charges an exact index its slab row with doubling slack", () => {
    const perVector = exactIndexBytesPerVector(64);
    expect(perVector).toBeGreaterThan(256 * 1.38);
    expect(perVector).toBeLessThan(256 * 2 + 100);
  });

  it("sizes metadata like JSON-ish V8 data", () => {
    expect(metadataBytes(null)).toBe(0);
    expect(metadataBytes(7)).toBe(0); // small integers are immediate
    expect(metadataBytes(0.5)).toBe(16); // a boxed double
    expect(metadataBytes("solver")).toBe(0); // short strings are internalized, stored once
    expect(metadataBytes("abcdefghijk")).toBe(32); // 16 + 11 one-byte chars → 32
    expect(metadataBytes("日本語の長いメタデータです")).toBe(48); // 16 + 13 · 2 → 48
    expect(metadataBytes({})).toBe(56); // {} reserves four property slots
    expect(metadataBytes({ a: "x".repeat(100) })).toBe(24 + 8 + 120);
    expect(metadataBytes([1, 2.5, 3])).toBe(56 + 24); // numbers only: unboxed
    expect(metadataBytes(["a", 2.5])).toBe(56 + 16 + 16);
    const cyclic: { self?: unknown; n: number } = { n: 1.5 };
    cyclic.self = cyclic;
    expect(metadataBytes(cyclic)).toBe(24 + 16 + 16);
    expect(metadataBytes(new Float32Array(100))).toBe(typedArrayBytes(400));
  });

  it("gives spectral features a fixed size", () => {
    expect(spectralBytes()).toBeGreaterThan(100);
  });

  it("never throws on nonsense shapes: they count as zero cells", () => {
    expect(tensorBytes({ rows: -1, cols: 8, layers: 4 })).toBe(tensorBytes({ rows: 0, cols: 0, layers: 0 }));
    expect(tensorBytes(null as unknown as typeof dims884)).toBe(tensorBytes({ rows: 0, cols: 1, layers: 1 }));
    expect(hnswBytesPerVector(Number.NaN, Number.NaN)).toBeGreaterThan(0);
    expect(
      Number.isFinite(
        estimateEntryBytes({ dims: dims884, embeddingDim: Number.NaN, index: { kind: "exact" } }),
      ),
    ).toBe(true);
  });
});
