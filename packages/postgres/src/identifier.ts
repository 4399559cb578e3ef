import { type DreamResult, err, invalidConfiguration, ok } from "@dreampool/errors";

/**
 * Table names become part of DDL and DML text (identifiers cannot be bound as parameters), so
 * they are restricted to a plain lower-case SQL identifier. 40 characters leaves room for the
 * suffixes of the companion tables and indexes inside PostgreSQL's 63-byte limit.
 */
const TABLE_NAME = /^[a-z_][a-z0-9_]{0,39}$/;

/** The names of every object one pool owns, all derived from its validated table name. */
export interface PoolObjectNames {
  /** The entries table, quoted. */
  readonly dreams: string;
  readonly meta: string;
  /** Per-entry usage and utility, apart from the entries so that updating them never touches the HNSW index. */
  readonly usage: string;
  readonly migrations: string;
  readonly sequence: string;
  readonly embeddingIndex: string;
  readonly classIndex: string;
  readonly lruIndex: string;
  readonly utilityIndex: string;
  /** The raw (unquoted) table name, for messages and the advisory-lock key. */
  readonly table: string;
}

export function validateTableName(parameter: string, value: unknown): DreamResult<string> {
  if (typeof value !== "string" || !TABLE_NAME.test(value)) {
    return err(
      invalidConfiguration(
        parameter,
        value,
        "must be a lower-case SQL identifier: a letter or underscore, then up to 39 letters, digits or underscores",
      ),
    );
  }
  return ok(value);
}

/** Quotes a name that has already passed validateTableName (quoting keeps reserved words usable). */
const quote = (name: string): string => `"${name}"`;

export function poolObjectNames(table: string): PoolObjectNames {
  return {
    table,
    dreams: quote(table),
    meta: quote(`${table}_meta`),
    usage: quote(`${table}_usage`),
    migrations: quote(`${table}_migrations`),
    sequence: quote(`${table}_seq`),
    embeddingIndex: quote(`${table}_embedding_hnsw`),
    classIndex: quote(`${table}_class`),
    lruIndex: quote(`${table}_lru`),
    utilityIndex: quote(`${table}_utility`),
  };
}
