import {
  type DreamError,
  type DreamResult,
  dimensionMismatch,
  err,
  invalidParameter,
  ok,
} from "@dreampool/errors";
import { ChromaticTensor, validateDims } from "./chromatic-tensor.js";

/** The JSON form of a tensor: plain data, safe to `JSON.stringify`. */
export interface TensorJSON {
  readonly format: "dreampool.tensor";
  readonly version: 1;
  readonly rows: number;
  readonly cols: number;
  readonly layers: number;
  /** rows·cols·layers·3 values in memory order. */
  readonly colors: number[];
  /** rows·cols·layers values. */
  readonly certainty: number[];
}

/**
 * The JSON form of `t`. Every float32 converts to a double exactly and JSON prints the shortest
 * text that parses back to that double, so `tensorFromJSON(JSON.parse(JSON.stringify(...)))` gives
 * the same values (JSON cannot carry the sign of zero: -0 comes back as 0).
 */
export function tensorToJSON(t: ChromaticTensor): TensorJSON {
  return {
    format: "dreampool.tensor",
    version: 1,
    rows: t.rows,
    cols: t.cols,
    layers: t.layers,
    colors: Array.from(t.colors),
    certainty: Array.from(t.certainty),
  };
}

function readNumbers(
  field: string,
  value: unknown,
  expected: number,
): { values: Float32Array } | { error: DreamError } {
  if (!Array.isArray(value)) return { error: invalidParameter(field, value, "must be an array of numbers") };
  if (value.length !== expected)
    return { error: dimensionMismatch(expected, value.length, `tensorFromJSON ${field}`) };
  const values = new Float32Array(expected);
  for (let i = 0; i < expected; i++) {
    const v: unknown = value[i];
    if (typeof v !== "number" || !Number.isFinite(v))
      return { error: invalidParameter(`${field}[${i}]`, v, "must be a finite number") };
    values[i] = v;
    // A double outside float32's range would silently become Infinity.
    if (!Number.isFinite(values[i]!))
      return { error: invalidParameter(`${field}[${i}]`, v, "must fit in a float32 (|x| < 3.4e38)") };
  }
  return { values };
}

/**
 * Rebuilds a tensor from `tensorToJSON` output, either the object or its JSON text. Every field is
 * checked (format, version, dims, array lengths, finite values) before anything is allocated.
 */
export function tensorFromJSON(json: unknown): DreamResult<ChromaticTensor> {
  let data: unknown = json;
  if (typeof json === "string") {
    try {
      data = JSON.parse(json);
    } catch (cause) {
      // Quote only the start: the text may be megabytes long.
      const preview = json.length > 60 ? `${json.slice(0, 57)}...` : json;
      return err(invalidParameter("json", preview, "must be valid JSON text", { cause }));
    }
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    return err(invalidParameter("json", data, "must be an object produced by tensorToJSON"));
  const o = data as Record<string, unknown>;
  if (o.format !== "dreampool.tensor")
    return err(invalidParameter("json.format", o.format, 'must be "dreampool.tensor"'));
  if (o.version !== 1) return err(invalidParameter("json.version", o.version, "must be 1"));
  const dimsError = validateDims(o.rows, o.cols, o.layers);
  if (dimsError) return err(dimsError);
  const dims = { rows: o.rows as number, cols: o.cols as number, layers: o.layers as number };
  const cells = dims.rows * dims.cols * dims.layers;
  const colors = readNumbers("json.colors", o.colors, cells * 3);
  if ("error" in colors) return err(colors.error);
  const certainty = readNumbers("json.certainty", o.certainty, cells);
  if ("error" in certainty) return err(certainty.error);
  return ok(ChromaticTensor.unsafeCreate(dims, colors.values, certainty.values));
}
