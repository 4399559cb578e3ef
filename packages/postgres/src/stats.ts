import { type DreamResult, ok } from "@dreampool/errors";
import type { PoolStats } from "@dreampool/pool";
import type { SqlExecutor } from "./executor.js";
import type { PoolObjectNames } from "./identifier.js";
import type { PgPoolSettings } from "./options.js";

interface StatsRow {
  count: number;
  mean_coherence: number | null;
  mean_energy: number | null;
  mean_violation: number | null;
  bytes_used: number;
  evicted_capacity: number;
  evicted_budget: number;
  removed: number;
  added: number;
  gated_out: number;
  dead_rows: number | null;
}

/**
 * PoolStats from the metadata row alone (O(1): the means come from running sums kept under the
 * pool lock). "tombstones" are the table's dead rows
 * (deleted but not yet vacuumed; pgvector's HNSW index drops them at VACUUM), from pg_stat.
 * The query cache lives in the client: a PgDreamPool encodes every query, so its counters are 0.
 */
export async function readStats(
  exec: SqlExecutor,
  names: PoolObjectNames,
  settings: PgPoolSettings,
  dim: number,
): Promise<DreamResult<PoolStats>> {
  const { rows } = await exec.query<StatsRow>(
    `SELECT m.entry_count::float8 AS count,
            m.sum_coherence / nullif(m.entry_count, 0) AS mean_coherence,
            m.sum_energy / nullif(m.entry_count, 0) AS mean_energy,
            m.sum_violation / nullif(m.entry_count, 0) AS mean_violation,
            m.bytes_used::float8 AS bytes_used, m.evicted_capacity::float8 AS evicted_capacity,
            m.evicted_budget::float8 AS evicted_budget, m.removed::float8 AS removed,
            m.added::float8 AS added, m.gated_out::float8 AS gated_out,
            (SELECT n_dead_tup::float8 FROM pg_stat_user_tables WHERE relid = $1::regclass) AS dead_rows
     FROM ${names.meta} m`,
    [names.dreams],
  );
  const r = rows[0];
  const count = r?.count ?? 0;
  const budget = settings.memoryBudgetBytes;
  const used = r?.bytes_used ?? 0;
  const exactAlways =
    settings.index === "exact" || (settings.index === "auto" && count < settings.autoHnswThreshold);
  return ok({
    count,
    meanCoherence: r?.mean_coherence ?? 0,
    meanEnergy: r?.mean_energy ?? 0,
    meanViolation: r?.mean_violation ?? 0,
    memory: { usedBytes: used, budgetBytes: budget, ratio: budget === null ? null : used / budget },
    index: {
      mode: settings.index,
      kind: exactAlways ? "exact" : "hnsw",
      dim,
      live: count,
      tombstones: r?.dead_rows ?? 0,
      rebuilds: 0,
      migrations: 0,
    },
    cache: { hits: 0, misses: 0, hitRate: 0, size: 0 },
    evictions: {
      capacity: r?.evicted_capacity ?? 0,
      budget: r?.evicted_budget ?? 0,
      removed: r?.removed ?? 0,
    },
    added: r?.added ?? 0,
    gatedOut: r?.gated_out ?? 0,
  });
}
