import { DreamError, type DreamResult, err, invalidConfiguration, ok } from "@dreampool/errors";
import { parseByteLimit } from "@dreampool/memory";
import { DEFAULT_RETRIEVAL_WEIGHTS, validateWeights } from "@dreampool/scoring";
import type { DreamPoolOptions, PoolHnswOptions, ResolvedPoolConfig } from "./types.js";

/**
 * Default switch point of `index: "auto"`, from the pool benchmark's crossover sweep (suite `pool`,
 * scenario "auto index: exact vs HNSW pool"): a soft retrieve (k = 10, overFetch 4, d = 64) from
 * the HNSW pool becomes as fast as from the exact pool (SIMD scan) a little above 1,000 entries; the
 * suite records the measured value ("measured crossover") next to this default (target: within 2x
 * either way; see the pool README). The default sits a little above the crossover, as a round number:
 * at the crossover the two searches cost the same, while an HNSW insert costs more than an exact one
 * (suite `pool`, add throughput) and the switch builds the graph from every entry once (suite
 * `pool`, "the add that switches"). (It was 2,048, chosen from the hnsw-index sweep before the
 * exact index got its WebAssembly SIMD scan.)
 */
export const DEFAULT_AUTO_HNSW_THRESHOLD = 1500;
export const DEFAULT_OVER_FETCH = 4;
export const MAX_POOL_SIZE = 2 ** 31 - 1;

const DEFAULT_HNSW: Required<PoolHnswOptions> = {
  m: 16,
  // efConstruction 64 (FAISS uses 40, hnswlib's examples 200): on the pool's embeddings it keeps
  // recall@10 at 1.00 against the exact index while inserting ~1.3-1.5x faster than at 100; the
  // "pool" benchmark prints both the recall and the add throughput it reaches.
  efConstruction: 64,
  ef: 64,
  compactionThreshold: 0.25,
  seed: 100,
};

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  "maxSize",
  "coherenceThreshold",
  "retrievalLimit",
  "memoryBudgetBytes",
  "evictionThreshold",
  "evictionPolicy",
  "index",
  "autoHnswThreshold",
  "hnsw",
  "embedding",
  "queryCacheCapacity",
  "weights",
  "recencyHalfLifeMs",
  "spectralWindow",
  "clock",
  "idPrefix",
]);

const ID_PREFIX = /^[A-Za-z_][A-Za-z0-9_-]{0,31}$/;

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
const inRange = (v: unknown, min: number, max: number): v is number =>
  typeof v === "number" && Number.isFinite(v) && v >= min && v <= max;

function bad(parameter: string, value: unknown, reason: string): DreamResult<never> {
  return err(invalidConfiguration(parameter, value, reason));
}

/** Validates every field of the options (naming it on failure) and fills the defaults. */
export function resolveConfig(options: DreamPoolOptions | undefined): DreamResult<ResolvedPoolConfig> {
  const o = options ?? {};
  if (typeof o !== "object" || o === null || Array.isArray(o)) {
    return bad("options", o, "must be an object (or undefined for the defaults)");
  }
  for (const key of Object.keys(o)) {
    if (!KNOWN_KEYS.has(key))
      return bad(key, (o as Record<string, unknown>)[key], "is not a DreamPool option");
  }
  const maxSize = o.maxSize ?? 1000;
  if (!isInt(maxSize, 1, MAX_POOL_SIZE))
    return bad("maxSize", maxSize, `must be an integer in [1, ${MAX_POOL_SIZE}]`);
  const coherenceThreshold = o.coherenceThreshold ?? 0.75;
  if (!inRange(coherenceThreshold, 0, 1)) {
    return bad("coherenceThreshold", coherenceThreshold, "must be a finite number in [0, 1]");
  }
  const retrievalLimit = o.retrievalLimit ?? 10;
  if (!isInt(retrievalLimit, 1, MAX_POOL_SIZE)) {
    return bad("retrievalLimit", retrievalLimit, "must be an integer >= 1");
  }
  let memoryBudgetBytes: number | null = null;
  if (o.memoryBudgetBytes !== undefined) {
    const parsed = parseByteLimit("memoryBudgetBytes", o.memoryBudgetBytes);
    if (!parsed.ok) return parsed;
    memoryBudgetBytes = parsed.value;
  }
  const evictionThreshold = o.evictionThreshold ?? 0.9;
  if (!(inRange(evictionThreshold, 0, 1) && evictionThreshold > 0)) {
    return bad("evictionThreshold", evictionThreshold, "must be a number in (0, 1]");
  }
  const evictionPolicy = o.evictionPolicy ?? "fifo";
  if (!["fifo", "lru", "lowest-utility"].includes(evictionPolicy)) {
    return bad("evictionPolicy", evictionPolicy, 'must be "fifo", "lru" or "lowest-utility"');
  }
  const index = o.index ?? "auto";
  if (!["exact", "hnsw", "auto"].includes(index))
    return bad("index", index, 'must be "exact", "hnsw" or "auto"');
  const autoHnswThreshold = o.autoHnswThreshold ?? DEFAULT_AUTO_HNSW_THRESHOLD;
  if (!isInt(autoHnswThreshold, 2, MAX_POOL_SIZE)) {
    return bad("autoHnswThreshold", autoHnswThreshold, "must be an integer >= 2");
  }
  const hnsw = resolveHnsw(o.hnsw);
  if (!hnsw.ok) return hnsw;
  const embedding = o.embedding ?? {};
  if (typeof embedding !== "object" || embedding === null || Array.isArray(embedding)) {
    return bad("embedding", embedding, "must be an EmbeddingMapperOptions object");
  }
  const queryCacheCapacity = o.queryCacheCapacity ?? 128;
  if (!isInt(queryCacheCapacity, 1, 1 << 24)) {
    return bad("queryCacheCapacity", queryCacheCapacity, `must be an integer in [1, ${1 << 24}]`);
  }
  const weights = validateWeights(o.weights ?? DEFAULT_RETRIEVAL_WEIGHTS);
  if (!weights.ok) return err(asConfigurationError(weights.error, "weights"));
  let recencyHalfLifeMs: number | null = null;
  if (o.recencyHalfLifeMs !== undefined) {
    if (!(inRange(o.recencyHalfLifeMs, 0, Number.MAX_VALUE) && o.recencyHalfLifeMs > 0)) {
      return bad("recencyHalfLifeMs", o.recencyHalfLifeMs, "must be a finite number > 0");
    }
    recencyHalfLifeMs = o.recencyHalfLifeMs;
  }
  const spectralWindow = o.spectralWindow ?? "hann";
  if (!["none", "hann", "hamming"].includes(spectralWindow)) {
    return bad("spectralWindow", spectralWindow, 'must be "none", "hann" or "hamming"');
  }
  if (o.clock !== undefined && typeof o.clock !== "function") {
    return bad("clock", o.clock, "must be a function returning milliseconds since the epoch");
  }
  const idPrefix = o.idPrefix ?? "d";
  if (typeof idPrefix !== "string" || !ID_PREFIX.test(idPrefix)) {
    return bad("idPrefix", idPrefix, "must match /^[A-Za-z_][A-Za-z0-9_-]{0,31}$/");
  }
  return ok({
    maxSize,
    coherenceThreshold,
    retrievalLimit,
    memoryBudgetBytes,
    evictionThreshold,
    evictionPolicy,
    index,
    autoHnswThreshold,
    hnsw: hnsw.value,
    embedding: { ...embedding },
    queryCacheCapacity,
    weights: { ...weights.value },
    recencyHalfLifeMs,
    spectralWindow,
    idPrefix,
  });
}

function resolveHnsw(input: PoolHnswOptions | undefined): DreamResult<Required<PoolHnswOptions>> {
  const h = input ?? {};
  if (typeof h !== "object" || h === null || Array.isArray(h)) return bad("hnsw", h, "must be an object");
  for (const key of Object.keys(h)) {
    if (!(key in DEFAULT_HNSW))
      return bad(`hnsw.${key}`, (h as Record<string, unknown>)[key], "is not an HNSW option");
  }
  const r = { ...DEFAULT_HNSW, ...stripUndefined(h) };
  if (!isInt(r.m, 2, 1024)) return bad("hnsw.m", r.m, "must be an integer in [2, 1024]");
  if (!isInt(r.efConstruction, 1, 100_000)) {
    return bad("hnsw.efConstruction", r.efConstruction, "must be an integer in [1, 100000]");
  }
  if (!isInt(r.ef, 1, 100_000)) return bad("hnsw.ef", r.ef, "must be an integer in [1, 100000]");
  if (!(inRange(r.compactionThreshold, 0, 1) && r.compactionThreshold > 0)) {
    return bad("hnsw.compactionThreshold", r.compactionThreshold, "must be a number in (0, 1]");
  }
  if (!isInt(r.seed, 0, 2 ** 32 - 1)) return bad("hnsw.seed", r.seed, "must be an integer in [0, 2^32 - 1]");
  return ok(r);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Re-labels a nested package's validation error as InvalidConfiguration under `prefix`
 * (e.g. scoring's "alpha" becomes "weights.alpha").
 */
export function asConfigurationError(e: DreamError, prefix: string): DreamError {
  const d = e.detail;
  // The nested value is already formatted: build the detail directly so it is not quoted twice.
  const relabel = (parameter: string, value: string, reason: string) =>
    new DreamError<"InvalidConfiguration">(
      {
        kind: "InvalidConfiguration",
        parameter: parameter.startsWith(`${prefix}.`) ? parameter : `${prefix}.${parameter}`,
        value,
        reason,
      },
      { cause: e },
    );
  if (d.kind === "InvalidParameter") return relabel(d.parameter, d.value, d.constraint);
  if (d.kind === "InvalidConfiguration") return relabel(d.parameter, d.value, d.reason);
  return invalidConfiguration(prefix, "(see cause)", e.message, { cause: e });
}
