// Per-colour helpers shared by the solver and the operations. Plain numbers in, plain numbers out,
// so the same code runs on Float32Array cells and on float64 copies (the gradient check does that).

/** Below this, a maximum or a channel spread counts as zero (the reference's epsilon). */
export const COLOR_EPSILON = 1e-6;

/** Euclidean distance between two RGB triples. */
export function colorDistance(
  ar: number,
  ag: number,
  ab: number,
  br: number,
  bg: number,
  bb: number,
): number {
  const dr = ar - br;
  const dg = ag - bg;
  const db = ab - bb;
  return Math.sqrt(dr * dr + dg * dg + db * db);
}

/** HSV saturation (max − min) / max; 0 when max < 1e-6 (black has no saturation). */
export function hsvSaturation(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b);
  if (max < COLOR_EPSILON) return 0;
  return (max - Math.min(r, g, b)) / max;
}

/**
 * HSV hue in degrees, [0, 360). Achromatic colours (max − min < 1e-6) have no hue; this returns 0
 * for them, as HSV conventionally does — callers that average hues should skip them.
 */
export function hueDegrees(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b);
  const delta = max - Math.min(r, g, b);
  if (delta < COLOR_EPSILON) return 0;
  let h: number;
  if (Math.abs(r - max) < COLOR_EPSILON) h = 60 * (((g - b) / delta) % 6);
  else if (Math.abs(g - max) < COLOR_EPSILON) h = 60 * ((b - r) / delta + 2);
  else h = 60 * ((r - g) / delta + 4);
  if (h < 0) h += 360;
  // A tiny negative hue plus 360 can round to 360 itself.
  return h >= 360 ? 0 : h;
}

/** The smaller angle between two hues in degrees, in [0, 180]. */
export function angularDifference(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
}
