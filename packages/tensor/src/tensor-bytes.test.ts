import { unwrap } from "@dreampool/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChromaticTensor, MAX_TENSOR_CELLS } from "./chromatic-tensor.js";
import {
  TENSOR_FORMAT_VERSION,
  TENSOR_HEADER_BYTES,
  tensorByteLength,
  tensorFromBytes,
  tensorFromBytesAt,
  tensorToBytes,
  writeTensorBytes,
} from "./tensor-bytes.js";
import { anyFloat32, dimsArb, expectErr, tensorOf } from "./test-support/arbitraries.js";

const anyTensorArb = dimsArb.chain((d) => tensorOf(d, anyFloat32));

/** Bit-level equality: distinguishes -0 from 0 (and would catch any NaN payload). */
function expectSameBits(a: ChromaticTensor, b: ChromaticTensor) {
  expect(b.dims).toEqual(a.dims);
  const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));
  expect(bits(b.colors)).toEqual(bits(a.colors));
  expect(bits(b.certainty)).toEqual(bits(a.certainty));
}

function header(rows: number, cols: number, layers: number, version = TENSOR_FORMAT_VERSION, flags = 0) {
  const bytes = new Uint8Array(TENSOR_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set([0x44, 0x50, 0x43, 0x54]);
  view.setUint16(4, version, true);
  view.setUint16(6, flags, true);
  view.setUint32(8, rows, true);
  view.setUint32(12, cols, true);
  view.setUint32(16, layers, true);
  return bytes;
}

describe("binary form", () => {
  it("round-trips every finite float32 bit for bit (property)", () => {
    fc.assert(
      fc.property(anyTensorArb, (t) => {
        const bytes = tensorToBytes(t);
        expect(bytes.length).toBe(unwrap(tensorByteLength(t.dims)));
        expectSameBits(t, unwrap(tensorFromBytes(bytes)));
      }),
    );
  });

  it("is little-endian with the documented header", () => {
    const t = unwrap(
      ChromaticTensor.fromArrays({ rows: 1, cols: 2, layers: 1 }, [1, 0.5, 0, -2, 0.25, 3], [1, 0.5]),
    );
    const bytes = tensorToBytes(t);
    expect(Array.from(bytes.subarray(0, TENSOR_HEADER_BYTES))).toEqual(Array.from(header(1, 2, 1)));
    const view = new DataView(bytes.buffer);
    expect(view.getFloat32(20, true)).toBe(1);
    expect(view.getFloat32(20 + 4 * 3, true)).toBe(-2);
    expect(view.getFloat32(20 + 4 * 6 + 4, true)).toBe(0.5);
    expect(bytes.length).toBe(20 + 16 * 2);
  });

  it("reads from unaligned offsets and from a larger buffer, tensor after tensor", () => {
    const a = unwrap(ChromaticTensor.fromSeed(1, 3, 2, 2));
    const b = unwrap(ChromaticTensor.fromSeed(2, 1, 4, 1));
    const la = unwrap(tensorByteLength(a.dims));
    const lb = unwrap(tensorByteLength(b.dims));
    const buffer = new Uint8Array(1 + la + lb);
    const afterA = unwrap(writeTensorBytes(a, buffer, 1));
    expect(afterA).toBe(1 + la);
    expect(unwrap(writeTensorBytes(b, buffer, afterA))).toBe(buffer.length);
    const first = unwrap(tensorFromBytesAt(buffer, 1));
    expectSameBits(a, first.tensor);
    const second = unwrap(tensorFromBytesAt(buffer, first.end));
    expectSameBits(b, second.tensor);
    expect(second.end).toBe(buffer.length);
    // A subarray view with an odd byteOffset decodes too.
    expectSameBits(a, unwrap(tensorFromBytes(buffer.subarray(1, 1 + la))));
  });

  it("decodes into its own memory: changing the input afterwards does not change the tensor", () => {
    const t = unwrap(ChromaticTensor.fromSeed(9, 2, 2, 1));
    const bytes = tensorToBytes(t);
    const decoded = unwrap(tensorFromBytes(bytes));
    bytes.fill(0);
    expectSameBits(t, decoded);
  });

  it("gives neighbouring seeds clearly different encodings", () => {
    const a = tensorToBytes(unwrap(ChromaticTensor.fromSeed(0, 4, 4, 2)));
    const b = tensorToBytes(unwrap(ChromaticTensor.fromSeed(1, 4, 4, 2)));
    let differing = 0;
    for (let i = TENSOR_HEADER_BYTES; i < a.length; i++) if (a[i] !== b[i]) differing++;
    expect(differing / (a.length - TENSOR_HEADER_BYTES)).toBeGreaterThan(0.5);
  });
});

describe("binary form: hostile input", () => {
  const t = unwrap(ChromaticTensor.fromSeed(5, 2, 3, 2));
  const good = tensorToBytes(t);

  it("rejects every truncation with IndexCorrupted", () => {
    for (let n = 0; n < good.length; n++) {
      expect(expectErr(tensorFromBytes(good.subarray(0, n)), "IndexCorrupted").message).toContain(
        "truncated",
      );
    }
  });

  it("rejects trailing bytes", () => {
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect(expectErr(tensorFromBytes(longer), "IndexCorrupted").message).toContain("3 trailing bytes");
  });

  it("rejects bad magic, unknown versions and flags", () => {
    const badMagic = Uint8Array.from(good);
    badMagic[2] = 0x00;
    expect(expectErr(tensorFromBytes(badMagic), "IndexCorrupted").message).toContain("magic");
    const v2 = Uint8Array.from(good);
    v2.set(header(2, 3, 2, 2));
    expect(expectErr(tensorFromBytes(v2), "IndexCorrupted").message).toContain("version 2");
    const flagged = Uint8Array.from(good);
    flagged.set(header(2, 3, 2, 1, 4));
    expect(expectErr(tensorFromBytes(flagged), "IndexCorrupted").message).toContain("flags");
  });

  it("rejects huge or zero declared dims without allocating them", () => {
    for (const [r, c, l] of [
      [0xffffffff, 0xffffffff, 0xffffffff],
      [1 << 14, 1 << 13, 1],
      [MAX_TENSOR_CELLS, 2, 1],
      [0, 3, 2],
      [2, 0, 2],
      [2, 3, 0],
    ] as const) {
      const e = expectErr(tensorFromBytes(header(r, c, l)), "IndexCorrupted");
      expect(e.message).toContain(`${r}x${c}x${l}`);
    }
    // A plausible size that the bytes do not back is a truncation, not an allocation.
    expect(expectErr(tensorFromBytes(header(4096, 4096, 4)), "IndexCorrupted").message).toContain(
      "truncated",
    );
  });

  it("rejects non-finite payload values", () => {
    const nan = Uint8Array.from(good);
    new DataView(nan.buffer).setFloat32(TENSOR_HEADER_BYTES + 4 * 5, Number.NaN, true);
    expect(expectErr(tensorFromBytes(nan), "IndexCorrupted").message).toContain("colors[5]");
    const inf = Uint8Array.from(good);
    new DataView(inf.buffer).setFloat32(good.length - 4, Number.POSITIVE_INFINITY, true);
    expect(expectErr(tensorFromBytes(inf), "IndexCorrupted").message).toContain("certainty[11]");
  });

  it("never throws on random bytes, with or without a valid header", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 4 }),
        (noise, withHeader, side) => {
          const bytes = withHeader ? new Uint8Array(TENSOR_HEADER_BYTES + noise.length) : noise;
          if (withHeader) {
            bytes.set(header(side, side, 1));
            bytes.set(noise, TENSOR_HEADER_BYTES);
          }
          const r = tensorFromBytes(bytes);
          if (r.ok) expect(r.value.colors.every(Number.isFinite)).toBe(true);
          else expect(["IndexCorrupted", "InvalidParameter"]).toContain(r.error.kind);
        },
      ),
    );
  });

  it("rejects non-Uint8Array input and bad offsets with InvalidParameter", () => {
    for (const bad of [null, undefined, "DPCT", [0x44, 0x50], new ArrayBuffer(40), new Float32Array(10)]) {
      expectErr(tensorFromBytes(bad as unknown as Uint8Array), "InvalidParameter");
    }
    for (const offset of [-1, 0.5, good.length + 1, Number.NaN]) {
      expect(expectErr(tensorFromBytesAt(good, offset), "InvalidParameter").detail).toMatchObject({
        parameter: "offset",
      });
    }
    const target = new Uint8Array(good.length);
    expectErr(writeTensorBytes(t, target, 1), "InvalidParameter");
    expectErr(writeTensorBytes(t, target, -1), "InvalidParameter");
    expectErr(writeTensorBytes(t, new Float32Array(100) as unknown as Uint8Array), "InvalidParameter");
  });

  it("tensorByteLength validates dims", () => {
    expect(unwrap(tensorByteLength({ rows: 8, cols: 8, layers: 4 }))).toBe(20 + 16 * 256);
    expectErr(tensorByteLength({ rows: 0, cols: 8, layers: 4 }), "InvalidParameter");
    expectErr(tensorByteLength({ rows: 2.5, cols: 8, layers: 4 }), "InvalidParameter");
    expectErr(tensorByteLength({ rows: 1 << 14, cols: 1 << 14, layers: 1 }), "InvalidParameter");
    expectErr(
      tensorByteLength(null as unknown as { rows: number; cols: number; layers: number }),
      "InvalidParameter",
    );
  });
});
