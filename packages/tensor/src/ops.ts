import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import { ChromaticTensor } from "./chromatic-tensor.js";
import { validateSameShape, validateTensor } from "./tensor-check.js";

// Pure element-wise operations: each validates its input, returns a new tensor and never touches
// its arguments. No logging, no files (the reference appended a JSON line per call).

function averageCertainty(a: ChromaticTensor, b: ChromaticTensor): Float32Array {
  const out = new Float32Array(a.certainty.length);
  for (let i = 0; i < out.length; i++) out[i] = (a.certainty[i]! + b.certainty[i]!) / 2;
  return out;
}

/** Index of the first non-finite value, or -1 (float32 sums of huge values can overflow). */
function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return i;
  return -1;
}

function finished(
  op: string,
  t: ChromaticTensor,
  colors: Float32Array,
  certainty: Float32Array,
): DreamResult<ChromaticTensor> {
  const bad = firstNonFinite(colors);
  if (bad >= 0) {
    return err(invalidParameter(`${op} result colors[${bad}]`, colors[bad], "must stay finite in float32"));
  }
  return ok(ChromaticTensor.unsafeCreate(t, colors, certainty));
}

/** Largest colour value after mapping non-finite values to 0; divides everything by it when > 1. */
function normalizeInPlace(colors: Float32Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < colors.length; i++) {
    const v = colors[i]!;
    if (!Number.isFinite(v)) colors[i] = 0;
    else if (v > max) max = v;
  }
  if (max > 1) for (let i = 0; i < colors.length; i++) colors[i] = colors[i]! / max;
}

/**
 * Non-finite colour values become 0; if the largest value exceeds 1, every value is divided by it.
 * Negative values are kept (use `clamp` to cut them). Certainty is copied.
 */
export function normalize(t: ChromaticTensor): DreamResult<ChromaticTensor> {
  const e = validateTensor("t", t);
  if (e) return err(e);
  const colors = Float32Array.from(t.colors);
  normalizeInPlace(colors);
  return ok(ChromaticTensor.unsafeCreate(t, colors, Float32Array.from(t.certainty)));
}

/** Every colour value clamped to [min, max]. Certainty is copied. */
export function clamp(t: ChromaticTensor, min: number, max: number): DreamResult<ChromaticTensor> {
  const e = validateTensor("t", t);
  if (e) return err(e);
  if (typeof min !== "number" || !Number.isFinite(min))
    return err(invalidParameter("min", min, "must be a finite number"));
  if (typeof max !== "number" || !Number.isFinite(max) || max < min)
    return err(invalidParameter("max", max, `must be a finite number >= min (${min})`));
  const colors = new Float32Array(t.colors.length);
  for (let i = 0; i < colors.length; i++) {
    const v = t.colors[i]!;
    colors[i] = v < min ? min : v > max ? max : v;
  }
  // Bounds beyond float32's range (e.g. 1e300) become ±Infinity when stored.
  return finished("clamp", t, colors, Float32Array.from(t.certainty));
}

/**
 * The complementary colour of every cell: its hue turned by 180° at the same HSV saturation and
 * value, i.e. each channel x becomes max + min − x. (The reference called its operation a 180° hue
 * rotation but only inverted green and blue, which is not one.) Applying it twice gives the
 * original colours back. Certainty is copied.
 */
export function complement(t: ChromaticTensor): DreamResult<ChromaticTensor> {
  const e = validateTensor("t", t);
  if (e) return err(e);
  const src = t.colors;
  const colors = new Float32Array(src.length);
  for (let i = 0; i < src.length; i += 3) {
    const r = src[i]!;
    const g = src[i + 1]!;
    const b = src[i + 2]!;
    const sum = Math.max(r, g, b) + Math.min(r, g, b);
    colors[i] = sum - r;
    colors[i + 1] = sum - g;
    colors[i + 2] = sum - b;
  }
  return ok(ChromaticTensor.unsafeCreate(t, colors, Float32Array.from(t.certainty)));
}

/** Every colour value x becomes 1 − x (RGB inversion). Certainty is copied. */
export function invert(t: ChromaticTensor): DreamResult<ChromaticTensor> {
  const e = validateTensor("t", t);
  if (e) return err(e);
  const colors = new Float32Array(t.colors.length);
  for (let i = 0; i < colors.length; i++) colors[i] = 1 - t.colors[i]!;
  return ok(ChromaticTensor.unsafeCreate(t, colors, Float32Array.from(t.certainty)));
}

/**
 * Scales each cell's distance from its grey: with m = (r + g + b) / 3, each channel x becomes
 * m + (x − m)·alpha, clamped to [0, 1]. alpha > 1 saturates, alpha < 1 desaturates, 0 gives grey.
 * Certainty is copied.
 */
export function saturate(t: ChromaticTensor, alpha: number): DreamResult<ChromaticTensor> {
  const e = validateTensor("t", t);
  if (e) return err(e);
  if (typeof alpha !== "number" || !Number.isFinite(alpha) || alpha < 0)
    return err(invalidParameter("alpha", alpha, "must be a finite number >= 0"));
  const src = t.colors;
  const colors = new Float32Array(src.length);
  for (let i = 0; i < src.length; i += 3) {
    const m = (src[i]! + src[i + 1]! + src[i + 2]!) / 3;
    for (let ch = 0; ch < 3; ch++) {
      const v = m + (src[i + ch]! - m) * alpha;
      colors[i + ch] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return ok(ChromaticTensor.unsafeCreate(t, colors, Float32Array.from(t.certainty)));
}

/** Additive mix: colours a + b, then `normalize` (divide by the maximum if it exceeds 1); certainty averaged. */
export function mix(a: ChromaticTensor, b: ChromaticTensor): DreamResult<ChromaticTensor> {
  const e = validateSameShape(a, b, "mix");
  if (e) return err(e);
  const colors = new Float32Array(a.colors.length);
  for (let i = 0; i < colors.length; i++) colors[i] = a.colors[i]! + b.colors[i]!;
  const bad = firstNonFinite(colors);
  if (bad >= 0) return err(invalidParameter(`mix a + b colors[${bad}]`, colors[bad], "must stay finite"));
  normalizeInPlace(colors);
  return ok(ChromaticTensor.unsafeCreate(a, colors, averageCertainty(a, b)));
}

/** Subtractive filter: colours clamp(a − b, 0, 1); certainty averaged. */
export function filter(a: ChromaticTensor, b: ChromaticTensor): DreamResult<ChromaticTensor> {
  const e = validateSameShape(a, b, "filter");
  if (e) return err(e);
  const colors = new Float32Array(a.colors.length);
  for (let i = 0; i < colors.length; i++) {
    const v = a.colors[i]! - b.colors[i]!;
    colors[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return ok(ChromaticTensor.unsafeCreate(a, colors, averageCertainty(a, b)));
}

/** Colours a + b (not clamped); certainty averaged. */
export function add(a: ChromaticTensor, b: ChromaticTensor): DreamResult<ChromaticTensor> {
  const e = validateSameShape(a, b, "add");
  if (e) return err(e);
  const colors = new Float32Array(a.colors.length);
  for (let i = 0; i < colors.length; i++) colors[i] = a.colors[i]! + b.colors[i]!;
  return finished("add", a, colors, averageCertainty(a, b));
}

/** Colours a − b (not clamped); certainty averaged. */
export function sub(a: ChromaticTensor, b: ChromaticTensor): DreamResult<ChromaticTensor> {
  const e = validateSameShape(a, b, "sub");
  if (e) return err(e);
  const colors = new Float32Array(a.colors.length);
  for (let i = 0; i < colors.length; i++) colors[i] = a.colors[i]! - b.colors[i]!;
  return finished("sub", a, colors, averageCertainty(a, b));
}

/**
 * Linear interpolation (1 − weight)·a + weight·b of colours and certainty, weight in [0, 1]:
 * weight 0 gives a, weight 1 gives b. Used to seed a solve from a retrieved dream.
 */
export function blend(a: ChromaticTensor, b: ChromaticTensor, weight: number): DreamResult<ChromaticTensor> {
  const e = validateSameShape(a, b, "blend");
  if (e) return err(e);
  if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0 || weight > 1)
    return err(invalidParameter("weight", weight, "must be a finite number in [0, 1]"));
  const keep = 1 - weight;
  const colors = new Float32Array(a.colors.length);
  for (let i = 0; i < colors.length; i++) colors[i] = keep * a.colors[i]! + weight * b.colors[i]!;
  const certainty = new Float32Array(a.certainty.length);
  for (let i = 0; i < certainty.length; i++) certainty[i] = keep * a.certainty[i]! + weight * b.certainty[i]!;
  return finished("blend", a, colors, certainty);
}
