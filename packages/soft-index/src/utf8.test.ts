import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readUtf8, utf8Length, writeUtf8 } from "./utf8.js";

describe("utf8", () => {
  it("encodes like TextEncoder and decodes back to the same string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 20 }), (s) => {
        const bytes = new Uint8Array(utf8Length(s));
        expect(writeUtf8(s, bytes, 0)).toBe(bytes.length);
        expect(bytes).toEqual(new TextEncoder().encode(s));
        expect(readUtf8(bytes, 0, bytes.length)).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["an overlong form", [0xc0, 0x80]],
    ["an encoded surrogate", [0xed, 0xa0, 0x80]],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["a truncated sequence", [0xe2, 0x82]],
    ["a stray continuation byte", [0x61, 0x80]],
    ["an invalid lead byte", [0xff]],
  ])("rejects %s", (_, bytes) => {
    expect(readUtf8(Uint8Array.from(bytes), 0, bytes.length)).toBeNull();
  });
});
