import { type DreamResult, err, invalidParameter, ok, requireInRange } from "@dreampool/errors";
import {
  type ChromaticTensor,
  type ColorClass,
  isColorClass,
  type Rgb,
  validateRgb,
} from "@dreampool/tensor";
import {
  extractSpectralFeatures,
  type SpectralFeatures,
  validateSpectralFeatures,
} from "./spectral-features.js";
import { validateTensor } from "./spectrum.js";
import type { WindowFunction } from "./window.js";

/**
 * What a retrieval asks for, as plain data. Only `chroma` is required; a missing group (null)
 * neither helps nor hurts any entry (see the README, "Queries with missing groups").
 */
export interface QuerySignature {
  readonly chroma: Rgb;
  readonly classHint: ColorClass | null;
  readonly spectral: SpectralFeatures | null;
  /** In [−1, 1]: > 0 prefers entries that helped before (high utility), < 0 the opposite. */
  readonly utilityPrior: number | null;
}

export interface QueryFromTensorOptions {
  classHint?: ColorClass | null;
  utilityPrior?: number | null;
  /** Window for the spectral features; use the same as for the entries. Default "hann". */
  window?: WindowFunction;
}

const checkClass = (parameter: string, cls: unknown): DreamResult<ColorClass | null> =>
  cls === null || cls === undefined
    ? ok(null)
    : isColorClass(cls)
      ? ok(cls)
      : err(invalidParameter(parameter, cls, "must be a colour class (Red … Black) or null"));

const checkUtility = (parameter: string, value: unknown): DreamResult<number | null> => {
  if (value === null || value === undefined) return ok(null);
  const e = requireInRange(parameter, value, -1, 1);
  return e ? err(e) : ok(value as number);
};

/** Checks every field of a query signature built by hand; returns a normalised copy. */
function create(fields: {
  chroma: Rgb;
  classHint?: ColorClass | null;
  spectral?: SpectralFeatures | null;
  utilityPrior?: number | null;
}): DreamResult<QuerySignature> {
  if (fields === null || typeof fields !== "object")
    return err(invalidParameter("query", fields, "must be an object with at least { chroma }"));
  const rgbError = validateRgb("query.chroma", fields.chroma);
  if (rgbError) return err(rgbError);
  const classHint = checkClass("query.classHint", fields.classHint);
  if (!classHint.ok) return classHint;
  let spectral: SpectralFeatures | null = null;
  if (fields.spectral !== null && fields.spectral !== undefined) {
    const checked = validateSpectralFeatures("query.spectral", fields.spectral);
    if (!checked.ok) return checked;
    spectral = checked.value;
  }
  const utilityPrior = checkUtility("query.utilityPrior", fields.utilityPrior);
  if (!utilityPrior.ok) return utilityPrior;
  const [r, g, b] = fields.chroma;
  return ok({ chroma: [r, g, b], classHint: classHint.value, spectral, utilityPrior: utilityPrior.value });
}

/** A query by colour only. */
function fromChroma(rgb: Rgb): DreamResult<QuerySignature> {
  const e = validateRgb("rgb", rgb);
  if (e) return err(e);
  return ok({ chroma: [rgb[0], rgb[1], rgb[2]], classHint: null, spectral: null, utilityPrior: null });
}

/** A query by colour and class. */
function withClass(rgb: Rgb, cls: ColorClass): DreamResult<QuerySignature> {
  const e = validateRgb("rgb", rgb);
  if (e) return err(e);
  if (!isColorClass(cls)) return err(invalidParameter("cls", cls, "must be a colour class (Red … Black)"));
  return ok({ chroma: [rgb[0], rgb[1], rgb[2]], classHint: cls, spectral: null, utilityPrior: null });
}

/** A query from a tensor: its mean colour and spectral features (one FFT pass). */
function fromTensor(t: ChromaticTensor, options: QueryFromTensorOptions = {}): DreamResult<QuerySignature> {
  if (options === null || typeof options !== "object")
    return err(invalidParameter("options", options, "must be an object"));
  const valid = validateTensor("tensor", t);
  if (!valid.ok) return valid;
  const classHint = checkClass("options.classHint", options.classHint);
  if (!classHint.ok) return classHint;
  const utilityPrior = checkUtility("options.utilityPrior", options.utilityPrior);
  if (!utilityPrior.ok) return utilityPrior;
  const spectral = extractSpectralFeatures(t, options.window === undefined ? {} : { window: options.window });
  if (!spectral.ok) return spectral;
  return ok({
    chroma: t.meanRgb(),
    classHint: classHint.value,
    spectral: spectral.value,
    utilityPrior: utilityPrior.value,
  });
}

/** Helpers that build (and validate) query signatures. */
export const QuerySignature = { create, fromChroma, withClass, fromTensor } as const;

/** Validates a query signature received from a caller (used by the mapper). */
export const validateQuery = (q: unknown): DreamResult<QuerySignature> =>
  create(q as Parameters<typeof create>[0]);
