import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import {
  type ResolvedRetrieveOptions,
  type RetrieveOptions,
  resolveRetrieveOptions as resolvePoolRetrieveOptions,
} from "@dreampool/pool";
import type { RetrievalWeights } from "@dreampool/scoring";

/** RetrieveOptions plus the one switch only a database pool has. */
export interface PgRetrieveOptions extends RetrieveOptions {
  /**
   * true: bypass the HNSW index for this query (exact k-NN, a sequential scan); false: use it.
   * Default: the pool's `index` option ("exact" scans; "hnsw" uses the index; "auto" scans below
   * autoHnswThreshold entries).
   */
  readonly exact?: boolean;
}

export interface ResolvedRetrieve extends Omit<ResolvedRetrieveOptions, "now"> {
  readonly now: number;
  readonly exact: boolean | null;
}

// k · overFetch goes into a SQL LIMIT; keep it to sizes a client can re-rank.
const MAX_K = 10_000;

/** The in-memory pool's option rules (one resolver for every backend), plus `exact` and a k cap. */
export function resolveRetrieveOptions(
  options: PgRetrieveOptions | undefined,
  defaults: { k: number; weights: RetrievalWeights; now: number },
): DreamResult<ResolvedRetrieve> {
  const base = resolvePoolRetrieveOptions(
    options,
    { retrievalLimit: defaults.k, weights: defaults.weights },
    ["exact"],
  );
  if (!base.ok) return base;
  if (base.value.k > MAX_K)
    return err(invalidParameter("options.k", base.value.k, `must be an integer in [1, ${MAX_K}]`));
  const exact = options?.exact ?? null;
  if (exact !== null && typeof exact !== "boolean") {
    return err(invalidParameter("options.exact", exact, "must be a boolean"));
  }
  return ok({ ...base.value, now: base.value.now ?? defaults.now, exact });
}
