// Small vector helpers shared by the exact index and its callers (the pool, diversity, tests).
// Accumulation is in float64 even for Float32Array inputs: a 384-d dot in float32 loses ~4 digits.

/** Dot product of two equally long vectors, 4-way unrolled. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += (a[i] as number) * (b[i] as number);
    s1 += (a[i + 1] as number) * (b[i + 1] as number);
    s2 += (a[i + 2] as number) * (b[i + 2] as number);
    s3 += (a[i + 3] as number) * (b[i + 3] as number);
  }
  for (; i < n; i++) s0 += (a[i] as number) * (b[i] as number);
  return s0 + s1 + (s2 + s3);
}

/** Squared Euclidean distance between two equally long vectors. */
export function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const d0 = (a[i] as number) - (b[i] as number);
    const d1 = (a[i + 1] as number) - (b[i + 1] as number);
    s0 += d0 * d0;
    s1 += d1 * d1;
  }
  for (; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s0 += d * d;
  }
  return s0 + s1;
}

/** Euclidean (L2) norm. */
export function l2Norm(v: ArrayLike<number>): number {
  return Math.sqrt(dot(v, v));
}

/**
 * Scales `v` to unit length in place and returns the norm it had. Dividing by the largest
 * |component| first keeps tiny (or huge) vectors from underflowing (or overflowing) the sum of
 * squares. A zero vector (norm 0) is left as it is, so callers can tell and reject it.
 */
export function normalizeInPlace(v: Float32Array | Float64Array | number[]): number {
  let maxAbs = 0;
  for (let i = 0; i < v.length; i++) maxAbs = Math.max(maxAbs, Math.abs(v[i] as number));
  if (maxAbs === 0 || !Number.isFinite(maxAbs)) return maxAbs;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    const x = (v[i] as number) / maxAbs;
    sum += x * x;
  }
  const scaledNorm = Math.sqrt(sum);
  const inv = 1 / scaledNorm;
  for (let i = 0; i < v.length; i++) v[i] = ((v[i] as number) / maxAbs) * inv;
  return maxAbs * scaledNorm;
}

/** Cosine similarity, or 0 when either vector has zero norm. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const denom = l2Norm(a) * l2Norm(b);
  return denom === 0 ? 0 : dot(a, b) / denom;
}
