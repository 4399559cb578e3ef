import {
  type DreamResult,
  err,
  invalidConfiguration,
  ok,
  requireInRange,
  requireInteger,
} from "@dreampool/errors";
import { METRICS, type Metric } from "@dreampool/soft-index";

/** Options of `HnswIndex.create`; everything but `dim` has a default. */
export interface HnswIndexOptions {
  readonly dim: number;
  readonly metric?: Metric;
  /** Graph degree (hnswlib M). Default 16. */
  readonly m?: number;
  /** Beam width while inserting. Default 200. */
  readonly efConstruction?: number;
  /** Beam width while searching; each search uses max(ef, k + 1). Default `DEFAULT_EF`. */
  readonly ef?: number;
  /** Slots reserved up front; the index doubles them when full. Default 1024. */
  readonly initialCapacity?: number;
  /** Rebuild when tombstones / slots exceeds this, in (0, 1]. Default 0.25. */
  readonly compactionThreshold?: number;
  /** hnswlib's level-generator seed (same seed + same inserts = same graph). Default 100. */
  readonly seed?: number;
  /**
   * A filtered search whose filter is estimated to allow fewer than this fraction of the live
   * entries scans the allowed set exactly instead of walking the graph. In [0, 1]. Default 0.05.
   */
  readonly exactFallbackRatio?: number;
}

export type ResolvedHnswOptions = Required<HnswIndexOptions>;

/**
 * Measured with M = 16, efConstruction = 200, d = 64, k = 10, queries drawn like the data
 * (benchmarks/src/hnsw-index.bench.ts prints it): on clustered rows recall@10 is 0.97 at ef 32 and
 * 0.994 at ef 64 for n = 2k, 0.998 at ef 64 for 10k, and 0.99 from ef 20 at 100k (anchors.md §2);
 * hnswlib's own default, 10, gives 0.93 there. Rows with no structure (64 independent uniform
 * dimensions) need far more — 0.85 at ef 64 and 0.95 at ef 128 for 10k, ef ~640 at 100k — which no
 * default can cover without halving every search's speed; `setEf` is there for such data.
 */
export const DEFAULT_EF = 64;
export const DEFAULT_EXACT_FALLBACK_RATIO = 0.05;
/** Largest slot count: labels are uint32 and hnswlib keeps its element count in a uint32 table. */
export const MAX_CAPACITY = 2 ** 31;

const DEFAULTS: Omit<ResolvedHnswOptions, "dim"> = {
  metric: "cosine",
  m: 16,
  efConstruction: 200,
  ef: DEFAULT_EF,
  initialCapacity: 1024,
  compactionThreshold: 0.25,
  seed: 100,
  exactFallbackRatio: DEFAULT_EXACT_FALLBACK_RATIO,
};

/** Validates every field, naming it in InvalidConfiguration. */
export function resolveOptions(options: HnswIndexOptions): DreamResult<ResolvedHnswOptions> {
  if (typeof options !== "object" || options === null) {
    return err(invalidConfiguration("options", options, "must be an object with at least { dim }"));
  }
  const o: ResolvedHnswOptions = { ...DEFAULTS, ...stripUndefined(options) } as ResolvedHnswOptions;
  if (!METRICS.includes(o.metric)) {
    return err(invalidConfiguration("metric", o.metric, `must be one of ${METRICS.join(", ")}`));
  }
  const checks: [keyof ResolvedHnswOptions, ReturnType<typeof requireInteger>][] = [
    ["dim", requireInteger("dim", o.dim, 1, 65_536)],
    ["m", requireInteger("m", o.m, 2, 1024)],
    ["efConstruction", requireInteger("efConstruction", o.efConstruction, 1, 1_000_000)],
    ["ef", requireInteger("ef", o.ef, 1, 1_000_000)],
    ["initialCapacity", requireInteger("initialCapacity", o.initialCapacity, 1, MAX_CAPACITY)],
    ["seed", requireInteger("seed", o.seed, 0, 2 ** 32 - 1)],
    ["exactFallbackRatio", requireInRange("exactFallbackRatio", o.exactFallbackRatio, 0, 1)],
  ];
  for (const [field, problem] of checks) {
    if (problem) return err(invalidConfiguration(field, o[field], reasonOf(problem.message)));
  }
  const t = o.compactionThreshold;
  if (typeof t !== "number" || !(t > 0 && t <= 1)) {
    return err(invalidConfiguration("compactionThreshold", t, "must be a number in (0, 1]"));
  }
  return ok(o);
}

function stripUndefined(options: HnswIndexOptions): Partial<HnswIndexOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/** "InvalidParameter: x = 3 violates: must be ..." -> "must be ...". */
function reasonOf(message: string): string {
  const at = message.indexOf("violates: ");
  return at >= 0 ? message.slice(at + "violates: ".length) : message;
}
