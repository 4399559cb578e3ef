import { type DreamResult, err, memoryExceeded, ok } from "@dreampool/errors";
import type { EvictionPolicy } from "@dreampool/pool";
import type { SqlExecutor } from "./executor.js";
import type { PoolObjectNames } from "./identifier.js";
import type { PgPoolSettings } from "./options.js";

/** The pool's counters, kept in its metadata row and changed only under the pool lock. */
export interface PoolCounters {
  entryCount: number;
  bytesUsed: number;
}

/** A change to the metadata row's running totals (negative for removals). */
export interface CounterDelta {
  count: number;
  bytes: number;
  coherence: number;
  energy: number;
  violation: number;
}

export const zeroDelta = (): CounterDelta => ({ count: 0, bytes: 0, coherence: 0, energy: 0, violation: 0 });

/** Adds a row's values to a delta (sign +1 when it arrives, -1 when it leaves). */
export function accumulate(
  delta: CounterDelta,
  row: { bytes: number; coherence: number; energy: number; violation: number },
  sign: 1 | -1,
): void {
  delta.count += sign;
  delta.bytes += sign * row.bytes;
  delta.coherence += sign * row.coherence;
  delta.energy += sign * row.energy;
  delta.violation += sign * row.violation;
}

export interface EvictionOutcome {
  /** Entries removed to stay within maxSize. */
  capacity: number;
  /** Entries removed to stay within the byte budget. */
  budget: number;
  /** What the evicted rows took from the totals. */
  removed: CounterDelta;
  ids: string[];
}

interface RemovedRow {
  bytes: number;
  coherence: number;
  energy: number;
  violation: number;
}

/** Victims in policy order (ties by insertion order, so every process evicts the same rows). */
function victimQuery(names: PoolObjectNames, policy: EvictionPolicy): string {
  if (policy === "fifo") return `SELECT id, bytes FROM ${names.dreams} ORDER BY seq LIMIT $1`;
  const order = policy === "lru" ? "u.last_used_at, u.seq" : "coalesce(u.utility_mean, 0), u.seq";
  return `SELECT u.id, d.bytes FROM ${names.usage} u JOIN ${names.dreams} d ON d.id = u.id ORDER BY ${order} LIMIT $1`;
}

export async function readCounters(tx: SqlExecutor, names: PoolObjectNames): Promise<PoolCounters> {
  const { rows } = await tx.query<{ entry_count: number; bytes_used: number }>(
    `SELECT entry_count::float8 AS entry_count, bytes_used::float8 AS bytes_used FROM ${names.meta}`,
  );
  const row = rows[0];
  return { entryCount: row?.entry_count ?? 0, bytesUsed: row?.bytes_used ?? 0 };
}

/**
 * Makes room for `incomingCount` entries of `incomingBytes` in total, inside the caller's
 * transaction, which must hold the pool lock (so the counters cannot move underneath). Evicts by
 * policy until size + incoming <= maxSize and, with a budget, until usage + incoming is at or under
 * evictionThreshold · budget (as MemoryBudget.planEviction: evicting below the threshold, not just
 * below the ceiling, spares the next add an eviction). A batch larger than the whole budget is
 * MemoryExceeded and nothing is touched.
 */
export async function makeRoom(
  tx: SqlExecutor,
  names: PoolObjectNames,
  settings: PgPoolSettings,
  counters: PoolCounters,
  incomingCount: number,
  incomingBytes: number,
): Promise<DreamResult<EvictionOutcome>> {
  const budget = settings.memoryBudgetBytes;
  if (budget !== null && incomingBytes > budget) {
    return err(memoryExceeded(incomingBytes, budget));
  }
  let countToFree = Math.max(0, counters.entryCount + incomingCount - settings.maxSize);
  let bytesToFree = 0;
  if (budget !== null) {
    const excess = counters.bytesUsed + incomingBytes - Math.floor(settings.evictionThreshold * budget);
    bytesToFree = Math.min(counters.bytesUsed, Math.max(0, excess));
  }
  const outcome: EvictionOutcome = { capacity: 0, budget: 0, removed: zeroDelta(), ids: [] };
  const averageBytes = counters.entryCount > 0 ? Math.max(1, counters.bytesUsed / counters.entryCount) : 1;
  const victimSql = victimQuery(names, settings.evictionPolicy);
  while (countToFree > 0 || bytesToFree > 0) {
    // Enough victims for the count, plus an estimate for the bytes; loop if the estimate falls short.
    const limit = Math.min(10_000, Math.max(countToFree, Math.ceil(bytesToFree / averageBytes) + 1));
    const { rows } = await tx.query<{ id: string; bytes: number }>(victimSql, [limit]);
    if (rows.length === 0) break;
    const victims: string[] = [];
    for (const row of rows) {
      if (countToFree <= 0 && bytesToFree <= 0) break;
      victims.push(row.id);
      if (countToFree > 0) outcome.capacity++;
      else outcome.budget++;
      countToFree--;
      bytesToFree -= row.bytes;
    }
    const deleted = await tx.query<RemovedRow>(
      `DELETE FROM ${names.dreams} WHERE id = ANY($1::text[]) RETURNING bytes, coherence, energy, violation`,
      [victims],
    );
    for (const row of deleted.rows) accumulate(outcome.removed, row, -1);
    outcome.ids.push(...victims);
  }
  return ok(outcome);
}

/** Event counts kept beside the totals. */
export interface CounterEvents {
  capacity?: number;
  budget?: number;
  removed?: number;
  added?: number;
  gatedOut?: number;
}

/** Applies a change of the running totals and event counts to the metadata row. */
export async function updateCounters(
  tx: SqlExecutor,
  names: PoolObjectNames,
  delta: CounterDelta,
  events: CounterEvents = {},
): Promise<void> {
  await tx.query(
    `UPDATE ${names.meta} SET entry_count = entry_count + $1, bytes_used = bytes_used + $2,
       sum_coherence = sum_coherence + $3, sum_energy = sum_energy + $4, sum_violation = sum_violation + $5,
       evicted_capacity = evicted_capacity + $6, evicted_budget = evicted_budget + $7,
       removed = removed + $8, added = added + $9, gated_out = gated_out + $10`,
    [
      delta.count,
      delta.bytes,
      delta.coherence,
      delta.energy,
      delta.violation,
      events.capacity ?? 0,
      events.budget ?? 0,
      events.removed ?? 0,
      events.added ?? 0,
      events.gatedOut ?? 0,
    ],
  );
}
