/**
 * pgvector's text form, `[1,2.5,-3]`. Used in both directions on both engines: node-postgres and
 * PGlite then need no per-connection type registration, and a pooled connection opened later by
 * the driver cannot miss it.
 */

/** Float32 values print exactly (shortest round-trip form), so the text form loses nothing. */
export function vectorToText(values: ArrayLike<number>): string {
  let out = "[";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ",";
    out += String(values[i]);
  }
  return `${out}]`;
}

/** Parses `[a,b,c]` (or an array a driver already decoded); null when the text is not a vector. */
export function vectorFromText(value: unknown): Float32Array | null {
  if (Array.isArray(value)) return Float32Array.from(value as number[]);
  if (typeof value !== "string" || value.length < 2 || value[0] !== "[" || value[value.length - 1] !== "]") {
    return null;
  }
  const body = value.slice(1, -1);
  if (body.length === 0) return new Float32Array(0);
  const parts = body.split(",");
  const out = new Float32Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const x = Number(parts[i]);
    if (!Number.isFinite(x)) return null;
    out[i] = x;
  }
  return out;
}
