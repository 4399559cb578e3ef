import type { SpectralFeatures } from "@dreampool/embedding";
import { type DreamResult, err, indexCorrupted, ok } from "@dreampool/errors";
import type { DreamEntry, Meta } from "@dreampool/pool";
import {
  type ColorClass,
  isColorClass,
  type Rgb,
  type SolverResult,
  tensorFromBytes,
} from "@dreampool/tensor";
import type { PoolObjectNames } from "./identifier.js";
import { vectorFromText, vectorToText } from "./vector-text.js";

/**
 * Every column of an entry (`d`: the entries table, `u`: its usage row), cast so that both
 * engines return the same JS types (node-postgres returns int8 as a string, PGlite as a number;
 * float8 is a number in both; vectors are text).
 */
export const ENTRY_COLUMNS = `d.id, d.created_at::float8 AS created_at, u.last_used_at::float8 AS last_used_at,
  d.coherence, d.energy, d.violation, d.result_meta, d.grad, d.mask, d.chroma::text AS chroma, d.class_label,
  u.utility_mean, u.utility_count, u.usage_count::float8 AS usage_count, d.spectral,
  d.embedding::text AS embedding, d.tensor, d.meta, d.bytes`;

/** The FROM clause ENTRY_COLUMNS reads from. */
export const entrySource = (names: PoolObjectNames): string =>
  `${names.dreams} d JOIN ${names.usage} u ON u.id = d.id`;

export interface EntryRow {
  id: string;
  created_at: number;
  last_used_at: number;
  coherence: number;
  energy: number;
  violation: number;
  result_meta: Record<string, number | string | boolean> | null;
  grad: Uint8Array | null;
  mask: Uint8Array | null;
  chroma: string;
  class_label: string | null;
  utility_mean: number | null;
  utility_count: number;
  usage_count: number;
  spectral: SpectralFeatures;
  embedding: string;
  tensor: Uint8Array;
  meta: Meta | null;
  bytes: number;
}

/** Columns of one INSERT row, in order; see insertEntries. */
export const INSERT_COLUMNS = [
  "id",
  "seq",
  "created_at",
  "coherence",
  "energy",
  "violation",
  "result_meta",
  "grad",
  "mask",
  "chroma",
  "class_label",
  "spectral",
  "embedding",
  "tensor",
  "meta",
  "bytes",
] as const;

/** Casts for the bound parameters, so text travels into jsonb and vector columns. */
export const INSERT_CASTS: Record<(typeof INSERT_COLUMNS)[number], string> = {
  id: "",
  seq: "::bigint",
  created_at: "::bigint",
  coherence: "::float8",
  energy: "::float8",
  violation: "::float8",
  result_meta: "::jsonb",
  grad: "::bytea",
  mask: "::bytea",
  chroma: "::vector",
  class_label: "",
  spectral: "::jsonb",
  embedding: "::vector",
  tensor: "::bytea",
  meta: "::jsonb",
  bytes: "::int4",
};

/** A prepared entry, ready to be inserted: everything computed once, in the client. */
export interface PreparedEntry {
  readonly createdAt: number;
  readonly result: SolverResult;
  readonly chroma: Rgb;
  readonly classLabel: ColorClass | null;
  readonly spectral: SpectralFeatures;
  readonly embedding: Float32Array;
  readonly tensorBytes: Uint8Array;
  readonly meta: Meta;
  readonly bytes: number;
}

const float32Bytes = (values: Float32Array | undefined): Uint8Array | null =>
  values === undefined ? null : new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();

function float32FromBytes(bytes: Uint8Array | null): Float32Array | undefined {
  if (bytes === null || bytes.byteLength % 4 !== 0) return undefined;
  // Copy: a driver's Buffer may share (and misalign) a larger pool.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

/** Parameters of one row, in INSERT_COLUMNS order. */
export function insertParams(id: string, seq: number, e: PreparedEntry): unknown[] {
  return [
    id,
    seq,
    e.createdAt,
    e.result.coherence,
    e.result.energy,
    e.result.violation,
    JSON.stringify(e.result.meta ?? {}),
    float32Bytes(e.result.grad),
    float32Bytes(e.result.mask),
    vectorToText(e.chroma),
    e.classLabel,
    JSON.stringify(e.spectral),
    vectorToText(e.embedding),
    e.tensorBytes,
    JSON.stringify(e.meta),
    e.bytes,
  ];
}

/** Rebuilds a DreamEntry from its row; a row that does not decode is IndexCorrupted naming the id. */
export function entryFromRow(row: EntryRow): DreamResult<DreamEntry> {
  const tensor = tensorFromBytes(row.tensor);
  if (!tensor.ok) return err(indexCorrupted(`entry ${row.id}: tensor bytes: ${tensor.error.message}`));
  const chroma = vectorFromText(row.chroma);
  const embedding = vectorFromText(row.embedding);
  if (chroma === null || chroma.length !== 3 || embedding === null) {
    return err(indexCorrupted(`entry ${row.id}: chroma or embedding is not a vector`));
  }
  const classLabel = row.class_label !== null && isColorClass(row.class_label) ? row.class_label : null;
  if (row.class_label !== null && classLabel === null) {
    return err(indexCorrupted(`entry ${row.id}: unknown class label ${JSON.stringify(row.class_label)}`));
  }
  const grad = float32FromBytes(row.grad);
  const mask = float32FromBytes(row.mask);
  const result: SolverResult = {
    energy: row.energy,
    coherence: row.coherence,
    violation: row.violation,
    meta: row.result_meta ?? {},
    ...(grad ? { grad } : {}),
    ...(mask ? { mask } : {}),
  };
  return ok({
    id: row.id,
    tensor: tensor.value,
    result,
    chroma: [chroma[0] ?? 0, chroma[1] ?? 0, chroma[2] ?? 0] as const,
    classLabel,
    spectral: row.spectral,
    embedding,
    utility: { mean: row.utility_mean, count: row.utility_count },
    usageCount: row.usage_count,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    bytes: row.bytes,
    meta: row.meta ?? {},
  });
}
