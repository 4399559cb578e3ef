import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LITTLE_ENDIAN_HOST, readFloat32LE, writeFloat32LE } from "./float32-le.js";
import { anyFloat32 } from "./test-support/arbitraries.js";

describe("little-endian float32 codec", () => {
  it("byte copy and DataView paths write and read the same bytes (property)", () => {
    fc.assert(
      fc.property(fc.array(anyFloat32, { maxLength: 40 }), fc.integer({ min: 0, max: 7 }), (list, offset) => {
        const values = Float32Array.from(list);
        const viaCopy = new Uint8Array(offset + 4 * values.length);
        const viaView = new Uint8Array(offset + 4 * values.length);
        writeFloat32LE(values, viaCopy, offset, true);
        writeFloat32LE(values, viaView, offset, false);
        expect(viaCopy).toEqual(viaView);
        for (const copyBytes of [true, false]) {
          const back = readFloat32LE(viaView, offset, values.length, copyBytes);
          expect(new Uint32Array(back.buffer)).toEqual(new Uint32Array(values.buffer));
        }
      }),
    );
  });

  it("writes little-endian: 1.0 is 00 00 80 3f", () => {
    const out = new Uint8Array(4);
    writeFloat32LE(new Float32Array([1]), out, 0, false);
    expect(Array.from(out)).toEqual([0x00, 0x00, 0x80, 0x3f]);
    const native = new Uint8Array(4);
    writeFloat32LE(new Float32Array([1]), native, 0);
    expect(Array.from(native)).toEqual([0x00, 0x00, 0x80, 0x3f]);
    expect(typeof LITTLE_ENDIAN_HOST).toBe("boolean");
  });
});
