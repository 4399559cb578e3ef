import { type DreamResult, err, invalidParameter, ok, requireInteger } from "@dreampool/errors";
import { type RetrievalWeights, validateWeights } from "@dreampool/scoring";
import { type ColorClass, isColorClass } from "@dreampool/tensor";
import { DEFAULT_OVER_FETCH } from "./config.js";
import type {
  DiversityOptions,
  DreamEntry,
  ResolvedPoolConfig,
  RetrievalMode,
  RetrieveOptions,
} from "./types.js";

/** RetrieveOptions with every default filled in. */
export interface ResolvedRetrieveOptions {
  readonly mode: RetrievalMode;
  readonly k: number;
  readonly overFetch: number;
  readonly classFilter: ColorClass | null;
  readonly minUtility: number | null;
  readonly filter: ((entry: DreamEntry) => boolean) | null;
  readonly weights: RetrievalWeights;
  readonly diversity: DiversityOptions | false;
  readonly now: number | null;
}

const KNOWN = new Set([
  "mode",
  "k",
  "overFetch",
  "classFilter",
  "minUtility",
  "filter",
  "weights",
  "diversity",
  "now",
]);
const MAX_OVER_FETCH = 1000;

/** What the resolver takes from a pool's configuration (any backend). */
export type RetrieveDefaults = Pick<ResolvedPoolConfig, "retrievalLimit" | "weights">;

/**
 * Validates every field, naming it in InvalidParameter, and fills in the defaults. Shared by every
 * pool backend; `extraKeys` are options a backend adds (e.g. the Postgres pool's `exact`), which
 * it validates itself.
 */
export function resolveRetrieveOptions(
  options: RetrieveOptions | undefined,
  config: RetrieveDefaults,
  extraKeys: readonly string[] = [],
): DreamResult<ResolvedRetrieveOptions> {
  const o = options ?? {};
  if (typeof o !== "object" || o === null || Array.isArray(o)) {
    return err(invalidParameter("options", o, "must be a RetrieveOptions object or undefined"));
  }
  // for-in rather than Object.keys: no array allocated per retrieval (own keys only, as before).
  for (const key in o) {
    if (!Object.hasOwn(o, key)) continue;
    if (!KNOWN.has(key) && !extraKeys.includes(key))
      return err(
        invalidParameter(`options.${key}`, (o as Record<string, unknown>)[key], "is not a retrieve option"),
      );
  }
  const mode = o.mode ?? "soft";
  if (mode !== "hard" && mode !== "soft" && mode !== "hybrid") {
    return err(invalidParameter("options.mode", mode, 'must be "hard", "soft" or "hybrid"'));
  }
  const k = o.k ?? config.retrievalLimit;
  const badK = requireInteger("options.k", k, 1);
  if (badK) return err(badK);
  const overFetch = o.overFetch ?? DEFAULT_OVER_FETCH;
  const badOverFetch = requireInteger("options.overFetch", overFetch, 1, MAX_OVER_FETCH);
  if (badOverFetch) return err(badOverFetch);
  if (o.classFilter !== undefined && !isColorClass(o.classFilter)) {
    return err(invalidParameter("options.classFilter", o.classFilter, "must be a ColorClass"));
  }
  const minUtility = o.minUtility ?? null;
  if (minUtility !== null && (typeof minUtility !== "number" || !(minUtility >= -1 && minUtility <= 1))) {
    return err(invalidParameter("options.minUtility", minUtility, "must be a number in [-1, 1]"));
  }
  if (o.filter !== undefined && typeof o.filter !== "function") {
    return err(invalidParameter("options.filter", o.filter, "must be a function (entry) => boolean"));
  }
  let weights = config.weights;
  if (o.weights !== undefined) {
    const checked = validateWeights(o.weights);
    if (!checked.ok) return checked;
    weights = checked.value;
  }
  const diversity = o.diversity ?? false;
  if (diversity !== false) {
    if (typeof diversity !== "object" || diversity === null) {
      return err(invalidParameter("options.diversity", diversity, "must be { method, lambda? } or false"));
    }
    if (diversity.method !== "exact" && diversity.method !== "fast") {
      return err(invalidParameter("options.diversity.method", diversity.method, 'must be "exact" or "fast"'));
    }
    const lambda = diversity.lambda;
    if (lambda !== undefined && (typeof lambda !== "number" || !(lambda >= 0 && lambda <= 1))) {
      return err(invalidParameter("options.diversity.lambda", lambda, "must be a number in [0, 1]"));
    }
  }
  const now = o.now ?? null;
  if (now !== null && (typeof now !== "number" || !Number.isFinite(now))) {
    return err(invalidParameter("options.now", now, "must be a finite number (ms since the epoch)"));
  }
  return ok({
    mode,
    k,
    overFetch,
    classFilter: o.classFilter ?? null,
    minUtility,
    filter: o.filter ?? null,
    weights,
    diversity,
    now,
  });
}
