import { type DreamResult, err, invalidConfiguration, ok } from "@dreampool/errors";
import { hash53 } from "./fingerprint.js";
import { isWindowFunction, type WindowFunction } from "./window.js";

/** Bump when the feature maps change: every fingerprint changes with it. */
export const ENCODER_VERSION = 1;

export interface GroupWeights {
  chroma: number;
  spectral: number;
  class: number;
  utility: number;
}

export interface GroupFlags {
  spectral: boolean;
  class: boolean;
  utility: boolean;
}

export interface EmbeddingMapperOptions {
  /** Output dimension, an integer >= 1. Default 64. */
  dim?: number;
  /** Seed of the projection, an integer in [0, 2^32). Default 1. */
  seed?: number;
  /** Group weights, finite and >= 0 (chroma > 0). A group's squared weight is its share of the similarity. */
  weights?: Partial<GroupWeights>;
  /** Which optional groups take part. Default: all. */
  include?: Partial<GroupFlags>;
  /**
   * The window the spectral features of entries and queries are computed with. The mapper does not
   * compute spectra, but features from another window live in another space, so the window is part
   * of the fingerprint. Default "hann".
   */
  window?: WindowFunction;
}

export interface ResolvedMapperOptions {
  readonly dim: number;
  readonly seed: number;
  readonly weights: Readonly<GroupWeights>;
  readonly include: Readonly<GroupFlags>;
  readonly window: WindowFunction;
}

/**
 * Default group weights. Chosen, not fitted: the labelled colour dataset is separable by colour, and
 * precision@10 there stays at 1.00 for any spectral weight from 0 to 2. Chroma and class are 1, so a
 * class hint counts as much as colour; spectral 0.5, so texture refines colour without overriding it;
 * utility 0.3, a nudge.
 */
export const DEFAULT_WEIGHTS: Readonly<GroupWeights> = Object.freeze({
  chroma: 1,
  spectral: 0.5,
  class: 1,
  utility: 0.3,
});

const DEFAULT_INCLUDE: Readonly<GroupFlags> = Object.freeze({ spectral: true, class: true, utility: true });

const MAX_DIM = 65536;

/** Validates options, fills defaults and computes the fingerprint. */
export function resolveMapperOptions(
  options: EmbeddingMapperOptions,
): DreamResult<{ options: ResolvedMapperOptions; fingerprint: string }> {
  if (options === null || typeof options !== "object")
    return err(invalidConfiguration("options", options, "must be an object"));
  const { dim = 64, seed = 1, window = "hann" } = options;
  if (typeof dim !== "number" || !Number.isInteger(dim) || dim < 1 || dim > MAX_DIM)
    return err(invalidConfiguration("dim", dim, `must be an integer in [1, ${MAX_DIM}]`));
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    return err(invalidConfiguration("seed", seed, "must be an integer in [0, 4294967295]"));
  if (!isWindowFunction(window))
    return err(invalidConfiguration("window", window, 'must be "none", "hann" or "hamming"'));
  const given = options.weights ?? {};
  if (typeof given !== "object" || given === null)
    return err(invalidConfiguration("weights", given, "must be an object"));
  const weights = { ...DEFAULT_WEIGHTS };
  for (const key of Object.keys(DEFAULT_WEIGHTS) as (keyof GroupWeights)[]) {
    const w = given[key] ?? DEFAULT_WEIGHTS[key];
    if (typeof w !== "number" || !Number.isFinite(w) || w < 0)
      return err(invalidConfiguration(`weights.${key}`, w, "must be a finite number >= 0"));
    weights[key] = w;
  }
  if (weights.chroma === 0)
    return err(invalidConfiguration("weights.chroma", 0, "must be > 0 (every query has a colour)"));
  const flags = options.include ?? {};
  if (typeof flags !== "object" || flags === null)
    return err(invalidConfiguration("include", flags, "must be an object"));
  const include = { ...DEFAULT_INCLUDE };
  for (const key of Object.keys(DEFAULT_INCLUDE) as (keyof GroupFlags)[]) {
    const f = flags[key] ?? DEFAULT_INCLUDE[key];
    if (typeof f !== "boolean") return err(invalidConfiguration(`include.${key}`, f, "must be a boolean"));
    include[key] = f;
  }
  const resolved: ResolvedMapperOptions = Object.freeze({
    dim,
    seed,
    weights: Object.freeze(weights),
    include: Object.freeze(include),
    window,
  });
  return ok({ options: resolved, fingerprint: fingerprintOf(resolved) });
}

/**
 * A short string that changes whenever the output can change: encoder version, dim, seed, the
 * weights of the groups that take part, which groups take part, and the spectral window.
 * Indices, caches and snapshots key on it.
 */
export function fingerprintOf(o: ResolvedMapperOptions): string {
  const groups = (["spectral", "class", "utility"] as const)
    .filter((g) => o.include[g])
    .map((g) => `${g}=${o.weights[g]}`);
  const canonical = [
    `v${ENCODER_VERSION}`,
    `dim=${o.dim}`,
    `seed=${o.seed}`,
    `chroma=${o.weights.chroma}`,
    ...groups,
    `window=${o.window}`,
  ].join(";");
  return `emb${ENCODER_VERSION}-${o.dim}-${hash53(canonical).toString(36).padStart(11, "0")}`;
}
