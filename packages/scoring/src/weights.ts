import { type DreamResult, err, invalidParameter, ok, requireInRange } from "@dreampool/errors";

/**
 * How the hybrid re-ranker weighs an entry. alpha, beta and gamma weigh similarity, utility and class
 * match in the base score; delta is the duplicate penalty and lambda the MMR relevance weight
 * (final = lambda · base − delta · max similarity to the higher-ranked results). Each lies in [0, 1].
 */
export interface RetrievalWeights {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly delta: number;
  readonly lambda: number;
}

/** 0.65 / 0.20 / 0.10 / 0.05 / 0.7, the reference's defaults. */
export const DEFAULT_RETRIEVAL_WEIGHTS: RetrievalWeights = Object.freeze({
  alpha: 0.65,
  beta: 0.2,
  gamma: 0.1,
  delta: 0.05,
  lambda: 0.7,
});

const NAMES = ["alpha", "beta", "gamma", "delta", "lambda"] as const;

/** Checks that every weight is a finite number in [0, 1]; returns a frozen copy. */
export function validateWeights(weights: RetrievalWeights): DreamResult<RetrievalWeights> {
  if (typeof weights !== "object" || weights === null) {
    return err(
      invalidParameter("weights", weights, "must be an object { alpha, beta, gamma, delta, lambda }"),
    );
  }
  for (const name of NAMES) {
    const w: unknown = weights[name];
    // The parameter name is built only for an error: this runs on every re-rank.
    if (typeof w === "number" && w >= 0 && w <= 1) continue;
    const problem = requireInRange(`weights.${name}`, w, 0, 1);
    if (problem) return err(problem);
  }
  const { alpha, beta, gamma, delta, lambda } = weights;
  return ok(Object.freeze({ alpha, beta, gamma, delta, lambda }));
}

/**
 * Rescales alpha, beta, gamma and delta to sum to 1 (lambda, a trade-off rather than a share, is kept).
 * All four zero: returned unchanged, since there is no direction to keep.
 */
export function normalizeWeights(weights: RetrievalWeights): DreamResult<RetrievalWeights> {
  const valid = validateWeights(weights);
  if (!valid.ok) return valid;
  const { alpha, beta, gamma, delta, lambda } = valid.value;
  const sum = alpha + beta + gamma + delta;
  if (sum === 0) return valid;
  return ok(
    Object.freeze({ alpha: alpha / sum, beta: beta / sum, gamma: gamma / sum, delta: delta / sum, lambda }),
  );
}
