import type { PoolState } from "./pool-state.js";
import type { PoolStats } from "./types.js";

/** The pool's figures, computed on demand (means by one pass over the live entries). */
export function collectStats(state: PoolState): PoolStats {
  let coherence = 0;
  let energy = 0;
  let violation = 0;
  for (const e of state.entries.values()) {
    coherence += e.result.coherence;
    energy += e.result.energy;
    violation += e.result.violation;
  }
  const n = state.entries.size;
  const mean = (sum: number) => (n === 0 ? 0 : sum / n);
  const budgetBytes = state.budget?.maxBytes ?? null;
  const c = state.counters;
  return {
    count: n,
    meanCoherence: mean(coherence),
    meanEnergy: mean(energy),
    meanViolation: mean(violation),
    memory: {
      usedBytes: state.usedBytes,
      budgetBytes,
      ratio: budgetBytes === null ? null : state.usedBytes / budgetBytes,
    },
    index: state.embeddingIndex.stats(),
    cache: {
      hits: state.cache.hits,
      misses: state.cache.misses,
      hitRate: state.cache.hitRate,
      size: state.cache.size,
    },
    evictions: { capacity: c.evictedForCapacity, budget: c.evictedForBudget, removed: c.removed },
    added: c.added,
    gatedOut: c.gatedOut,
  };
}
