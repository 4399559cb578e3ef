import { type DreamError, type DreamResult, err, invalidConfiguration, ok } from "@dreampool/errors";
import { parseByteLimit } from "@dreampool/memory";
import type { DreamPoolOptions, EvictionPolicy, IndexChoice } from "@dreampool/pool";
import type { PGliteInterface } from "@electric-sql/pglite";
import type pg from "pg";
import { validateTableName } from "./identifier.js";

/** A connection string (`postgres://…`), a caller-owned `pg` Pool, or a PGlite instance with `vector`. */
export type PgConnection = string | pg.Pool | PGliteInterface;

/** pgvector's hard limits (src/hnsw.h). */
export const HNSW_LIMITS = {
  m: [2, 100],
  efConstruction: [4, 1000],
  efSearch: [1, 1000],
} as const;

/** Options of `PgDreamPool.connect`: the in-memory pool's options plus where the data lives. */
export interface PgDreamPoolOptions extends DreamPoolOptions {
  readonly connection: PgConnection;
  /** Table holding the entries (companion tables and indexes take it as prefix). Default "dreams". */
  readonly table?: string;
  /** Connections of the pg Pool created for a connection string. Default 10. */
  readonly maxConnections?: number;
}

/** The settings a PgDreamPool runs with (its embedding, weights and clock are resolved elsewhere). */
export interface PgPoolSettings {
  readonly table: string;
  readonly maxSize: number;
  readonly coherenceThreshold: number;
  readonly retrievalLimit: number;
  readonly memoryBudgetBytes: number | null;
  readonly evictionThreshold: number;
  readonly evictionPolicy: EvictionPolicy;
  readonly index: IndexChoice;
  readonly autoHnswThreshold: number;
  /** m and efConstruction are fixed when the table is created; ef is the per-query floor. */
  readonly hnsw: { readonly m: number; readonly efConstruction: number; readonly ef: number };
  readonly recencyHalfLifeMs: number | null;
  readonly idPrefix: string;
  readonly maxConnections: number;
}

const ID_PREFIX = /^[A-Za-z0-9_-]{0,32}$/;

function first(...errors: (DreamError | null)[]): DreamError | null {
  for (const e of errors) if (e) return e;
  return null;
}

function numberIn(
  field: string,
  value: unknown,
  lo: number,
  hi: number,
  loInclusive = true,
): DreamError | null {
  const inRange = typeof value === "number" && (loInclusive ? value >= lo : value > lo) && value <= hi;
  if (!inRange)
    return invalidConfiguration(field, value, `must be a number in ${loInclusive ? "[" : "("}${lo}, ${hi}]`);
  return null;
}

function oneOf(field: string, value: unknown, allowed: readonly string[]): DreamError | null {
  if (typeof value === "string" && allowed.includes(value)) return null;
  return invalidConfiguration(
    field,
    value,
    `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
  );
}

function integerIn(field: string, value: unknown, [lo, hi]: readonly [number, number]): DreamError | null {
  if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi) {
    return invalidConfiguration(field, value, `must be an integer in [${lo}, ${hi}]`);
  }
  return null;
}

/**
 * Validates and fills defaults (the in-memory pool's defaults, so both backends behave alike);
 * every failure is InvalidConfiguration naming the field.
 */
export function resolveSettings(input: PgDreamPoolOptions): DreamResult<PgPoolSettings> {
  const table = validateTableName("table", input.table ?? "dreams");
  if (!table.ok) return table;
  let memoryBudgetBytes: number | null = null;
  if (input.memoryBudgetBytes !== undefined) {
    const parsed = parseByteLimit("memoryBudgetBytes", input.memoryBudgetBytes);
    if (!parsed.ok) return parsed;
    memoryBudgetBytes = parsed.value;
  }
  const s: PgPoolSettings = {
    table: table.value,
    maxSize: input.maxSize ?? 1000,
    coherenceThreshold: input.coherenceThreshold ?? 0.75,
    retrievalLimit: input.retrievalLimit ?? 10,
    memoryBudgetBytes,
    evictionThreshold: input.evictionThreshold ?? 0.9,
    evictionPolicy: input.evictionPolicy ?? "fifo",
    index: input.index ?? "auto",
    autoHnswThreshold: input.autoHnswThreshold ?? 2048,
    hnsw: {
      m: input.hnsw?.m ?? 16,
      efConstruction: input.hnsw?.efConstruction ?? 100,
      ef: input.hnsw?.ef ?? 64,
    },
    recencyHalfLifeMs: input.recencyHalfLifeMs ?? null,
    idPrefix: input.idPrefix ?? "d",
    maxConnections: input.maxConnections ?? 10,
  };
  const problem = first(
    integerIn("maxSize", s.maxSize, [1, Number.MAX_SAFE_INTEGER]),
    numberIn("coherenceThreshold", s.coherenceThreshold, 0, 1),
    integerIn("retrievalLimit", s.retrievalLimit, [1, 10_000]),
    s.memoryBudgetBytes === null
      ? null
      : integerIn("memoryBudgetBytes", s.memoryBudgetBytes, [1, Number.MAX_SAFE_INTEGER]),
    numberIn("evictionThreshold", s.evictionThreshold, 0, 1, false),
    oneOf("evictionPolicy", s.evictionPolicy, ["fifo", "lru", "lowest-utility"]),
    oneOf("index", s.index, ["exact", "hnsw", "auto"]),
    integerIn("hnsw.m", s.hnsw.m, HNSW_LIMITS.m),
    integerIn("hnsw.efConstruction", s.hnsw.efConstruction, HNSW_LIMITS.efConstruction),
    integerIn("hnsw.ef", s.hnsw.ef, HNSW_LIMITS.efSearch),
    s.hnsw.efConstruction < 2 * s.hnsw.m
      ? invalidConfiguration(
          "hnsw.efConstruction",
          s.hnsw.efConstruction,
          `must be at least 2 · m = ${2 * s.hnsw.m}`,
        )
      : null,
    integerIn("autoHnswThreshold", s.autoHnswThreshold, [1, Number.MAX_SAFE_INTEGER]),
    s.recencyHalfLifeMs === null
      ? null
      : numberIn("recencyHalfLifeMs", s.recencyHalfLifeMs, 0, Number.MAX_VALUE, false),
    typeof s.idPrefix === "string" && ID_PREFIX.test(s.idPrefix)
      ? null
      : invalidConfiguration("idPrefix", s.idPrefix, "must be up to 32 letters, digits, '_' or '-'"),
    integerIn("maxConnections", s.maxConnections, [1, 1000]),
  );
  return problem ? err(problem) : ok(s);
}
