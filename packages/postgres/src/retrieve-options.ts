import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import type { DiversityOptions, RetrievalMode, RetrieveOptions } from "@dreampool/pool";
import { type RetrievalWeights, validateWeights } from "@dreampool/scoring";
import { type ColorClass, isColorClass } from "@dreampool/tensor";

/** RetrieveOptions plus the one switch only a database pool has. */
export interface PgRetrieveOptions extends RetrieveOptions {
  /**
   * true: bypass the HNSW index for this query (exact k-NN, a sequential scan); false: use it.
   * Default: the pool's `index` option ("exact" scans; "hnsw" uses the index; "auto" scans below
   * autoHnswThreshold entries).
   */
  readonly exact?: boolean;
}

export interface ResolvedRetrieve {
  readonly mode: RetrievalMode;
  readonly k: number;
  readonly overFetch: number;
  readonly classFilter: ColorClass | null;
  readonly minUtility: number | null;
  readonly filter: ((entry: Parameters<NonNullable<RetrieveOptions["filter"]>>[0]) => boolean) | null;
  readonly weights: RetrievalWeights;
  readonly diversity: DiversityOptions | false;
  readonly now: number;
  readonly exact: boolean | null;
}

const MAX_K = 10_000;

export function resolveRetrieveOptions(
  options: PgRetrieveOptions | undefined,
  defaults: { k: number; weights: RetrievalWeights; now: number },
): DreamResult<ResolvedRetrieve> {
  const o = options ?? {};
  if (typeof o !== "object") return err(invalidParameter("options", o, "must be an object"));
  const mode = o.mode ?? "soft";
  if (mode !== "hard" && mode !== "soft" && mode !== "hybrid") {
    return err(invalidParameter("options.mode", mode, 'must be "hard", "soft" or "hybrid"'));
  }
  const k = o.k ?? defaults.k;
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1 || k > MAX_K) {
    return err(invalidParameter("options.k", k, `must be an integer in [1, ${MAX_K}]`));
  }
  const overFetch = o.overFetch ?? 4;
  if (typeof overFetch !== "number" || !Number.isInteger(overFetch) || overFetch < 1 || overFetch > 100) {
    return err(invalidParameter("options.overFetch", overFetch, "must be an integer in [1, 100]"));
  }
  const classFilter = o.classFilter ?? null;
  if (classFilter !== null && !(typeof classFilter === "string" && isColorClass(classFilter))) {
    return err(invalidParameter("options.classFilter", classFilter, 'must be a ColorClass such as "Red"'));
  }
  const minUtility = o.minUtility ?? null;
  if (minUtility !== null && !(typeof minUtility === "number" && Number.isFinite(minUtility))) {
    return err(invalidParameter("options.minUtility", minUtility, "must be a finite number"));
  }
  const filter = o.filter ?? null;
  if (filter !== null && typeof filter !== "function") {
    return err(invalidParameter("options.filter", filter, "must be a function (entry) => boolean"));
  }
  let weights = defaults.weights;
  if (o.weights !== undefined) {
    const checked = validateWeights(o.weights);
    if (!checked.ok) return checked;
    weights = checked.value;
  }
  const diversity = o.diversity ?? false;
  if (diversity !== false) {
    if (typeof diversity !== "object" || (diversity.method !== "exact" && diversity.method !== "fast")) {
      return err(
        invalidParameter(
          "options.diversity",
          diversity,
          'must be false or { method: "exact" | "fast", lambda? }',
        ),
      );
    }
    const lambda = diversity.lambda;
    if (lambda !== undefined && !(typeof lambda === "number" && lambda >= 0 && lambda <= 1)) {
      return err(invalidParameter("options.diversity.lambda", lambda, "must be a number in [0, 1]"));
    }
  }
  const now = o.now ?? defaults.now;
  if (typeof now !== "number" || !Number.isFinite(now)) {
    return err(invalidParameter("options.now", now, "must be a finite number (ms since the epoch)"));
  }
  const exact = o.exact ?? null;
  if (exact !== null && typeof exact !== "boolean") {
    return err(invalidParameter("options.exact", exact, "must be a boolean"));
  }
  return ok({ mode, k, overFetch, classFilter, minUtility, filter, weights, diversity, now, exact });
}
