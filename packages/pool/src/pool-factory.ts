import { EmbeddingMapper } from "@dreampool/embedding";
import { type DreamResult, err, ok } from "@dreampool/errors";
import { MemoryBudget } from "@dreampool/memory";
import { QueryCache } from "@dreampool/query-cache";
import { BiasProfile } from "@dreampool/scoring";
import { ExactIndex } from "@dreampool/soft-index";
import { asConfigurationError } from "./config.js";
import { EmbeddingIndex } from "./embedding-index.js";
import { createEvictionOrder } from "./eviction-order.js";
import { type PoolState, zeroCounters } from "./pool-state.js";
import { cacheFingerprintOf } from "./query-embedding.js";
import { ScoreTermBounds } from "./score-term-bounds.js";
import type { ResolvedPoolConfig } from "./types.js";

/** Builds the empty state of a pool from a validated config. */
export function createPoolState(config: ResolvedPoolConfig, clock: () => number): DreamResult<PoolState> {
  // The window is part of the encoder's identity (features from another window live in another
  // space), so it goes into the mapper and its fingerprint: snapshots refuse a window mismatch.
  const mapper = EmbeddingMapper.create({ ...config.embedding, window: config.spectralWindow });
  if (!mapper.ok) return err(asConfigurationError(mapper.error, "embedding"));
  const chromaIndex = ExactIndex.create({ dim: 3, metric: "cosine", initialCapacity: 64 });
  if (!chromaIndex.ok) return chromaIndex;
  const embeddingIndex = EmbeddingIndex.create(config, mapper.value.dim);
  if (!embeddingIndex.ok) return err(asConfigurationError(embeddingIndex.error, "hnsw"));
  const cache = QueryCache.create({ capacity: config.queryCacheCapacity });
  if (!cache.ok) return err(asConfigurationError(cache.error, "queryCacheCapacity"));
  let budget: MemoryBudget | null = null;
  if (config.memoryBudgetBytes !== null) {
    const created = MemoryBudget.create({
      maxBytes: config.memoryBudgetBytes,
      evictionThreshold: config.evictionThreshold,
    });
    if (!created.ok) return err(asConfigurationError(created.error, "memoryBudgetBytes"));
    budget = created.value;
  }
  const bias = BiasProfile.create();
  if (!bias.ok) return bias;
  return ok({
    config,
    clock,
    mapper: mapper.value,
    entries: new Map(),
    order: createEvictionOrder(config.evictionPolicy),
    chromaIndex: chromaIndex.value,
    zeroChroma: new Set(),
    embeddingIndex: embeddingIndex.value,
    cache: cache.value,
    budget,
    scoreBounds: new ScoreTermBounds(),
    bias: bias.value,
    cacheFingerprint: cacheFingerprintOf(mapper.value, bias.value),
    usedBytes: 0,
    nextId: 1,
    nextSeq: 0,
    counters: zeroCounters(),
    filtering: false,
  });
}
