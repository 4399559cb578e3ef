import { type DreamResult, ok } from "@dreampool/errors";
import type { AddBatchOptions, BatchProgress } from "@dreampool/pool";
import { accumulate, makeRoom, readCounters, updateCounters, zeroDelta } from "./capacity.js";
import { INSERT_CASTS, INSERT_COLUMNS, insertParams, type PreparedEntry } from "./entry-row.js";
import type { SqlExecutor } from "./executor.js";
import type { PoolObjectNames } from "./identifier.js";
import { lockPool } from "./migrations.js";
import type { PgPoolSettings } from "./options.js";

/** Rows per INSERT statement: 17 parameters each, far below PostgreSQL's 65,535-parameter limit. */
const INSERT_CHUNK_ROWS = 500;

/**
 * One transaction: take the pool lock, evict by policy to make room, insert the rows with one
 * multi-row INSERT, and move the counters. Ids come from the table's sequence, so they are unique
 * across every process and never reused.
 */
export async function insertEntries(
  exec: SqlExecutor,
  names: PoolObjectNames,
  settings: PgPoolSettings,
  entries: readonly PreparedEntry[],
): Promise<DreamResult<string[]>> {
  const incomingBytes = entries.reduce((sum, e) => sum + e.bytes, 0);
  return exec.transaction(async (tx) => {
    await lockPool(tx, names.table);
    const counters = await readCounters(tx, names);
    const room = await makeRoom(tx, names, settings, counters, entries.length, incomingBytes);
    if (!room.ok) return room;
    const seqs = await tx.query<{ seq: number }>(
      `SELECT nextval('${names.sequence}')::float8 AS seq FROM generate_series(1, $1)`,
      [entries.length],
    );
    const ids: string[] = [];
    const params: unknown[] = [];
    const tuples: string[] = [];
    const delta = room.value.removed;
    entries.forEach((entry, i) => {
      const seq = seqs.rows[i]?.seq ?? 0;
      const id = `${settings.idPrefix}${seq}`;
      ids.push(id);
      const base = params.length;
      tuples.push(`(${INSERT_COLUMNS.map((c, j) => `$${base + j + 1}${INSERT_CASTS[c]}`).join(", ")})`);
      params.push(...insertParams(id, seq, entry));
      accumulate(delta, { bytes: entry.bytes, ...entry.result }, 1);
    });
    await tx.query(
      `INSERT INTO ${names.dreams} (${INSERT_COLUMNS.join(", ")}) VALUES ${tuples.join(", ")}`,
      params,
    );
    await tx.query(
      `INSERT INTO ${names.usage} (id, seq, last_used_at)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[])`,
      [ids, seqs.rows.map((r) => r.seq), entries.map((e) => e.createdAt)],
    );
    await updateCounters(tx, names, delta, {
      capacity: room.value.capacity,
      budget: room.value.budget,
      added: entries.length,
    });
    return ok(ids);
  });
}

/** Deletes one entry under the pool lock; false when there was none. */
export async function removeEntry(
  exec: SqlExecutor,
  names: PoolObjectNames,
  id: string,
): Promise<DreamResult<boolean>> {
  return exec.transaction(async (tx) => {
    await lockPool(tx, names.table);
    const { rows } = await tx.query<{ bytes: number; coherence: number; energy: number; violation: number }>(
      `DELETE FROM ${names.dreams} WHERE id = $1 RETURNING bytes, coherence, energy, violation`,
      [id],
    );
    const row = rows[0];
    if (row === undefined) return ok(false);
    const delta = zeroDelta();
    accumulate(delta, row, -1);
    await updateCounters(tx, names, delta, { removed: 1 });
    return ok(true);
  });
}

/** Deletes every entry and resets the counters and the bias profile (ids keep counting up). */
export async function clearEntries(exec: SqlExecutor, names: PoolObjectNames): Promise<DreamResult<void>> {
  return exec.transaction(async (tx) => {
    await lockPool(tx, names.table);
    await tx.query(`DELETE FROM ${names.usage}`);
    await tx.query(`DELETE FROM ${names.dreams}`);
    await tx.query(
      `UPDATE ${names.meta} SET entry_count = 0, bytes_used = 0, sum_coherence = 0, sum_energy = 0,
         sum_violation = 0, evicted_capacity = 0, evicted_budget = 0, removed = 0, added = 0,
         gated_out = 0, bias = NULL`,
    );
    return ok(undefined);
  });
}

/** Chunks of at most INSERT_CHUNK_ROWS rows, maxSize entries and (with a budget) budget bytes. */
export function* chunksWithinLimits(
  entries: readonly PreparedEntry[],
  settings: PgPoolSettings,
): Generator<PreparedEntry[]> {
  const budget = settings.memoryBudgetBytes ?? Number.POSITIVE_INFINITY;
  const maxRows = Math.min(INSERT_CHUNK_ROWS, settings.maxSize);
  let chunk: PreparedEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (chunk.length > 0 && (chunk.length >= maxRows || bytes + entry.bytes > budget)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(entry);
    bytes += entry.bytes;
  }
  if (chunk.length > 0) yield chunk;
}

/** Calls onProgress; a throwing callback must not abort or corrupt the batch. */
export function reportProgress(onProgress: AddBatchOptions["onProgress"], progress: BatchProgress): void {
  if (onProgress === undefined) return;
  try {
    onProgress(progress);
  } catch {
    // Ignored on purpose (see AddBatchOptions.onProgress).
  }
}
