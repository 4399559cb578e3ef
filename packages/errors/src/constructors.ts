import { DreamError } from "./dream-error.js";

type Options = { cause?: unknown };

/** Renders any value for a message: strings quoted, numbers as-is (NaN, -0 and Infinity visible). */
export function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === undefined || value === null || typeof value === "boolean") return String(value);
  if (typeof value === "function") return "[function]";
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length ?? "?"})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export const dimensionMismatch = (expected: number, got: number, context: string, o?: Options) =>
  new DreamError<"DimensionMismatch">({ kind: "DimensionMismatch", expected, got, context }, o);

export const indexNotBuilt = (operation: string, o?: Options) =>
  new DreamError<"IndexNotBuilt">({ kind: "IndexNotBuilt", operation }, o);

export const capacityExceeded = (current: number, max: number, o?: Options) =>
  new DreamError<"CapacityExceeded">({ kind: "CapacityExceeded", current, max }, o);

export const invalidConfiguration = (parameter: string, value: unknown, reason: string, o?: Options) =>
  new DreamError<"InvalidConfiguration">(
    { kind: "InvalidConfiguration", parameter, value: formatValue(value), reason },
    o,
  );

export const emptyCollection = (collection: string, o?: Options) =>
  new DreamError<"EmptyCollection">({ kind: "EmptyCollection", collection }, o);

export const invalidParameter = (parameter: string, value: unknown, constraint: string, o?: Options) =>
  new DreamError<"InvalidParameter">(
    { kind: "InvalidParameter", parameter, value: formatValue(value), constraint },
    o,
  );

export const indexCorrupted = (details: string, o?: Options) =>
  new DreamError<"IndexCorrupted">({ kind: "IndexCorrupted", details }, o);

export const memoryExceeded = (requested: number, available: number, o?: Options) =>
  new DreamError<"MemoryExceeded">({ kind: "MemoryExceeded", requested, available }, o);

export const featureUnavailable = (feature: string, reason: string, o?: Options) =>
  new DreamError<"FeatureUnavailable">({ kind: "FeatureUnavailable", feature, reason }, o);

export const criticalState = (context: string, details: string, o?: Options) =>
  new DreamError<"CriticalState">({ kind: "CriticalState", context, details }, o);
