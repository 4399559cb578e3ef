import { unwrap } from "@dreampool/errors";
import { describe, expect, it } from "vitest";
import {
  COLOR_CLASSES,
  type ColorClass,
  colorClassFromIndex,
  colorClassIndex,
  colorClassRgb,
  isColorClass,
  NUM_COLOR_CLASSES,
} from "./color-class.js";
import { expectErr } from "./test-support/arbitraries.js";

describe("ColorClass (reference §1.3, §3.3)", () => {
  it("has ten classes with fixed indices and base colours", () => {
    expect(NUM_COLOR_CLASSES).toBe(10);
    const table: [ColorClass, number, readonly number[]][] = [
      ["Red", 0, [1, 0, 0]],
      ["Green", 1, [0, 1, 0]],
      ["Blue", 2, [0, 0, 1]],
      ["Yellow", 3, [1, 1, 0]],
      ["Cyan", 4, [0, 1, 1]],
      ["Magenta", 5, [1, 0, 1]],
      ["Orange", 6, [1, 0.5, 0]],
      ["Purple", 7, [0.5, 0, 0.5]],
      ["White", 8, [1, 1, 1]],
      ["Black", 9, [0, 0, 0]],
    ];
    expect([...COLOR_CLASSES]).toEqual(table.map(([c]) => c));
    for (const [cls, index, rgb] of table) {
      expect(unwrap(colorClassIndex(cls))).toBe(index);
      expect(unwrap(colorClassFromIndex(index))).toBe(cls);
      expect(colorClassRgb(cls)).toEqual(rgb);
      expect(isColorClass(cls)).toBe(true);
    }
  });

  it("rejects unknown classes and indices with InvalidParameter", () => {
    for (const index of [10, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectErr(colorClassFromIndex(index), "InvalidParameter");
    }
    const e = expectErr(colorClassIndex("Teal" as ColorClass), "InvalidParameter");
    expect(e.message).toContain('"Teal"');
    expect(e.message).toContain("Red, Green");
    for (const v of ["red", "", 0, null, undefined, {}]) expect(isColorClass(v)).toBe(false);
  });
});
