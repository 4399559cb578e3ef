// Shared by the query-cache tests (excluded from the build).
import { type DreamResult, ok } from "@dreampool/errors";
import { type CacheableQuery, QueryCache, type QueryCacheOptions } from "../index.js";

export function cache(options: QueryCacheOptions = {}): QueryCache {
  const created = QueryCache.create(options);
  if (!created.ok) throw created.error;
  return created.value;
}

/** A signature query with the given chroma; the other fields null unless given. */
export const query = (chroma: readonly number[], extra: Partial<CacheableQuery> = {}): CacheableQuery => ({
  chroma,
  classHint: null,
  spectral: null,
  utilityPrior: null,
  ...extra,
});

/** Spectral features shaped like @dreampool/embedding's, with distinct values. */
export const spectral = {
  entropy: 0.62,
  dominantFrequency: [0.125, 0.25, 0.375],
  lowEnergy: 0.41,
  midEnergy: 0.33,
  highEnergy: 0.26,
  meanPsd: 0.071,
};

/** A compute that returns a vector naming its call number, so a served vector tells where it came from. */
export function callCountingEncoder() {
  let calls = 0;
  const compute = (): DreamResult<Float32Array> => {
    calls++;
    return ok(Float32Array.of(calls, 0.5, -0.25));
  };
  return { compute, calls: () => calls };
}

/**
 * Two candidates whose keys land in the same 31-bit LRU slot: a birthday search over
 * `candidate(0..limit)` (about 2^16 tries expected); throws when none share one.
 */
export function slotCollision<T>(
  candidate: (i: number) => T,
  slotOf: (t: T) => number,
  limit = 1_000_000,
): [T, T] {
  const bySlot = new Map<number, T>();
  for (let i = 0; i < limit; i++) {
    const t = candidate(i);
    const slot = slotOf(t);
    const other = bySlot.get(slot);
    if (other !== undefined) return [other, t];
    bySlot.set(slot, t);
  }
  throw new Error(`no slot collision among ${limit} candidates`);
}
