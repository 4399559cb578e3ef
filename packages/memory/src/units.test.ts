import { describe, expect, it } from "vitest";
import { formatBytes, GiB, KiB, MiB, parseByteLimit, parseBytes } from "./index.js";

describe("byte units", () => {
  it("has binary multipliers", () => {
    expect([KiB, MiB, GiB]).toEqual([1024, 1_048_576, 1_073_741_824]);
    expect(100 * MiB).toBe(104_857_600);
  });

  it("parses decimal and binary units with their true meaning", () => {
    const cases: [string | number, number][] = [
      ["4096", 4096],
      [4096, 4096],
      ["64MB", 64_000_000],
      ["64 MiB", 67_108_864],
      ["64mi", 67_108_864],
      ["1.5GB", 1_500_000_000],
      ["1.5 GiB", 1_610_612_736],
      ["0.5 KiB", 512],
      ["1.1 KiB", 1126],
      ["  12 kb ", 12_000],
      ["7 B", 7],
      ["2 bytes", 2],
      [".5 kB", 500],
      ["3 TiB", 3 * 1024 * GiB],
      [0, 0],
    ];
    for (const [input, bytes] of cases) {
      const parsed = parseBytes(input);
      expect(parsed.ok ? parsed.value : parsed.error.message, String(input)).toBe(bytes);
    }
  });

  it("rejects ambiguous, negative, fractional and non-finite sizes with InvalidParameter", () => {
    for (const input of [
      "64M",
      "1 G",
      "-5",
      "abc",
      "",
      "5 MBs",
      "1e3",
      Number.NaN,
      -1,
      1.5,
      Infinity,
      "9999999999 TiB",
    ]) {
      const parsed = parseBytes(input);
      expect(parsed.ok, String(input)).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error.kind).toBe("InvalidParameter");
        expect(parsed.error.message).toContain("bytes");
      }
    }
    const wrongType = parseBytes(null as unknown as string);
    expect(wrongType.ok).toBe(false);
  });

  it("formats with binary units and two decimals", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.50 KiB");
    expect(formatBytes(100 * MiB)).toBe("100.00 MiB");
    expect(formatBytes(3 * GiB + 512 * MiB)).toBe("3.50 GiB");
    expect(formatBytes(-2048)).toBe("-2.00 KiB");
    expect(formatBytes(Number.NaN)).toBe("NaN B");
  });

  it("round-trips every formatted size to within its rounding", () => {
    for (const bytes of [1, 1023, 1024, 65_537, 10 * MiB + 3, 7 * GiB]) {
      const parsed = parseBytes(formatBytes(bytes));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(Math.abs(parsed.value - bytes) / bytes).toBeLessThan(0.005);
    }
  });

  it("parseByteLimit: at least one byte, and a string carries its unit", () => {
    expect(parseByteLimit("limit", "64 MiB")).toEqual({ ok: true, value: 64 * MiB });
    expect(parseByteLimit("limit", 4096)).toEqual({ ok: true, value: 4096 });
    expect(parseByteLimit("limit", "10 B")).toEqual({ ok: true, value: 10 });
    for (const bad of [0, "0 B", "4096", "  12 ", -1, 1.5, "lots", null]) {
      const r = parseByteLimit("limit", bad);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.detail.kind).toBe("InvalidConfiguration");
        expect(r.error.message).toContain("limit");
      }
    }
  });
});
