import { describe, expect, it } from "vitest";
import { SIMD_BLOCK_ROWS, SimdRowSlab } from "./simd-slab.js";
import { WASM_MAX_BYTES, WASM_PAGE_BYTES } from "./wasm-kernel.js";

const slabOf = (dim: number, capacity: number): SimdRowSlab => {
  const slab = SimdRowSlab.create(dim, capacity);
  if (slab === null) throw new Error("WebAssembly SIMD is available in the test runtime");
  return slab;
};

const rowValues = (dim: number, seed: number): number[] =>
  Array.from({ length: dim }, (_, j) => Math.cos(seed * 3.17 + j * 0.61) * 5 + 0.25);

describe("SimdRowSlab", () => {
  it("pads rows to a multiple of 4 floats with zeros that moves keep zero", () => {
    const slab = slabOf(5, 4);
    expect(slab.stride).toBe(8);
    for (let row = 0; row < 4; row++) slab.write(row, rowValues(5, row));
    slab.move(3, 0);
    slab.move(2, 1);
    for (let row = 0; row < 4; row++) {
      expect(Array.from(slab.rows.subarray(row * 8 + 5, row * 8 + 8))).toEqual([0, 0, 0]);
    }
    expect(slab.read(0)).toEqual(Float32Array.from(rowValues(5, 3)));
    expect(slab.packed(2)).toEqual(Float32Array.from([...rowValues(5, 3), ...rowValues(5, 2)]));
  });

  it("grows by doubling through memory.grow and keeps its rows; release returns the memory", () => {
    const slab = slabOf(16, 1);
    const initialBytes = slab.byteLength;
    const sizes = new Set<number>([initialBytes]);
    for (let row = 0; row < 50_000; row++) {
      expect(slab.reserve(row + 1)).toBe(true);
      slab.write(row, rowValues(16, row));
      sizes.add(slab.byteLength);
    }
    expect(slab.capacity).toBe(65_536);
    expect(sizes.size).toBeGreaterThan(5); // the memory really grew, several times
    for (let row = 0; row < 50_000; row += 997)
      expect(slab.read(row)).toEqual(Float32Array.from(rowValues(16, row)));
    // 64-byte query slot, 8 KiB of block scores, 65536 rows of 64 bytes: 65 pages.
    expect(slab.byteLength).toBe(
      Math.ceil((64 + SIMD_BLOCK_ROWS * 4 + 65_536 * 64) / WASM_PAGE_BYTES) * WASM_PAGE_BYTES,
    );
    slab.release(4);
    expect(slab.capacity).toBe(4);
    expect(slab.byteLength).toBe(initialBytes);
    slab.write(0, rowValues(16, 7));
    expect(slab.read(0)).toEqual(Float32Array.from(rowValues(16, 7)));
  });

  it("refuses to grow past wasm32's 4 GiB and changes nothing", () => {
    const slab = slabOf(65_536, 2);
    expect(slab.maxRows).toBe(Math.floor((WASM_MAX_BYTES - 65_536 * 4 - SIMD_BLOCK_ROWS * 4) / (65_536 * 4)));
    expect(slab.reserve(slab.maxRows + 1)).toBe(false);
    expect(slab.capacity).toBe(2);
    expect(SimdRowSlab.create(65_536, slab.maxRows + 1)).toBeNull();
  });

  it("scores a block in float32: dot products and squared distances", () => {
    const slab = slabOf(6, 8);
    for (let row = 0; row < 8; row++) slab.write(row, rowValues(6, row));
    const query = rowValues(6, 100);
    slab.loadQuery(query);
    for (const euclidean of [false, true]) {
      slab.scoreBlock(2, 5, euclidean);
      for (let i = 0; i < 5; i++) {
        const row = Float32Array.from(rowValues(6, i + 2));
        const q = Float32Array.from(query);
        let expected = 0;
        for (let j = 0; j < 6; j++) {
          const a = q[j] as number;
          const b = row[j] as number;
          expected += euclidean ? (a - b) * (a - b) : a * b;
        }
        expect(slab.scores[i]).toBeCloseTo(expected, 4);
      }
    }
  });
});
