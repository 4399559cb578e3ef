import { type DreamResult, err, invalidConfiguration, invalidParameter, ok } from "@dreampool/errors";

/** Binary (IEC) multipliers: 1 KiB = 1024 bytes. */
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** Decimal (SI) multipliers: 1 KB = 1000 bytes, as disks and network links count. */
export const KB = 1000;
export const MB = 1000 * KB;
export const GB = 1000 * MB;

// Each unit means what its standard says: "MB" is 10^6 and "MiB" is 2^20. Bare "K", "M", "G" are
// refused because half the world reads them as decimal and half as binary.
const UNIT_BYTES: ReadonlyMap<string, number> = new Map([
  ["", 1],
  ["b", 1],
  ["byte", 1],
  ["bytes", 1],
  ["kb", KB],
  ["mb", MB],
  ["gb", GB],
  ["tb", 1000 * GB],
  ["kib", KiB],
  ["mib", MiB],
  ["gib", GiB],
  ["tib", 1024 * GiB],
  ["ki", KiB],
  ["mi", MiB],
  ["gi", GiB],
  ["ti", 1024 * GiB],
]);

const SIZE_PATTERN = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zA-Z]*)\s*$/;

const CONSTRAINT =
  'must be a non-negative integer byte count or a size such as "4096", "64 MB" (10^6), "64 MiB" (2^20), "1.5 GiB"';

/**
 * Parses a byte count. Numbers must be non-negative safe integers. Strings take a decimal number and
 * a unit, case-insensitive: B, KB/MB/GB/TB (powers of 1000), KiB/MiB/GiB/TiB or Ki/Mi/Gi/Ti (powers
 * of 1024). Fractional results are rounded to the nearest byte ("0.5 KiB" = 512, "1.1 KiB" = 1126).
 */
export function parseBytes(input: string | number): DreamResult<number> {
  if (typeof input === "number") {
    return Number.isSafeInteger(input) && input >= 0
      ? ok(input)
      : err(invalidParameter("bytes", input, CONSTRAINT));
  }
  if (typeof input !== "string") return err(invalidParameter("bytes", input, CONSTRAINT));
  const match = SIZE_PATTERN.exec(input);
  const unit = match ? UNIT_BYTES.get((match[2] ?? "").toLowerCase()) : undefined;
  if (!match || unit === undefined) return err(invalidParameter("bytes", input, CONSTRAINT));
  const bytes = Math.round(Number(match[1]) * unit);
  if (!Number.isSafeInteger(bytes)) {
    return err(invalidParameter("bytes", input, `must be at most ${Number.MAX_SAFE_INTEGER} bytes`));
  }
  return ok(bytes);
}

const LIMIT_CONSTRAINT =
  'must be an integer byte count >= 1, or a size with its unit such as "4096 B", "64 MB", "64 MiB"';

/**
 * A byte limit from configuration (a budget's ceiling), or InvalidConfiguration naming `parameter`.
 * Stricter than parseBytes: 0 would refuse every charge (a limit that can hold nothing is a
 * configuration mistake), and a string needs its unit — "10" reads as 10 bytes to some and 10 MB
 * to others, so a bare number must be passed as a number.
 */
export function parseByteLimit(parameter: string, input: unknown): DreamResult<number> {
  if (typeof input === "string" && !/[a-z]\s*$/i.test(input)) {
    return err(invalidConfiguration(parameter, input, LIMIT_CONSTRAINT));
  }
  const parsed = parseBytes(input as number | string);
  if (!parsed.ok || parsed.value < 1) return err(invalidConfiguration(parameter, input, LIMIT_CONSTRAINT));
  return parsed;
}

const BINARY_UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB"] as const;

/**
 * Formats a byte count with binary units and two decimals: 512 → "512 B", 1536 → "1.50 KiB",
 * 104857600 → "100.00 MiB". Non-finite input is rendered as-is ("NaN B") rather than thrown on.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return `${bytes} B`;
  const sign = bytes < 0 ? "-" : "";
  let value = Math.abs(bytes);
  if (value < KiB) return `${sign}${Math.round(value)} B`;
  let unit = 0;
  value /= KiB;
  while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${sign}${value.toFixed(2)} ${BINARY_UNITS[unit]}`;
}
