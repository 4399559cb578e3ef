/** mulberry32: a tiny, fast, seeded 32-bit PRNG; every benchmark derives its data from one. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples by Box-Muller. */
export function gaussian(rng: () => number): number {
  let u = rng();
  while (u <= Number.EPSILON) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function normaliseRows(data: Float32Array, n: number, d: number, row: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += row[i * d + j]! ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < d; j++) data[i * d + j] = row[i * d + j]! * inv;
  }
}

/**
 * n unit rows of dimension d around `clusters` Gaussian centres (noise `spread` per coordinate),
 * the "clustered" data set of ../shared/docs/anchors.md.
 */
export function clusteredVectors(
  n: number,
  d: number,
  seed: number,
  { clusters = 1000, spread = 0.5 }: { clusters?: number; spread?: number } = {},
): Float32Array {
  const rng = mulberry32(seed);
  const centres = new Float64Array(clusters * d);
  for (let i = 0; i < centres.length; i++) centres[i] = gaussian(rng);
  const raw = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rng() * clusters);
    for (let j = 0; j < d; j++) raw[i * d + j] = centres[c * d + j]! + spread * gaussian(rng);
  }
  const out = new Float32Array(n * d);
  normaliseRows(out, n, d, raw);
  return out;
}

/** n unit rows of dimension d with coordinates uniform in [-1, 1) before normalisation. */
export function uniformVectors(n: number, d: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const raw = new Float64Array(n * d);
  for (let i = 0; i < raw.length; i++) raw[i] = rng() * 2 - 1;
  const out = new Float32Array(n * d);
  normaliseRows(out, n, d, raw);
  return out;
}

/** Row i of a flat row-major matrix, as a view (no copy). */
export const row = (data: Float32Array, d: number, i: number): Float32Array =>
  data.subarray(i * d, (i + 1) * d);

/** A Zipf(s) sampler over [0, n). */
export function zipfSampler(n: number, s: number, rng: () => number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / (i + 1) ** s;
    cdf[i] = total;
  }
  return () => {
    const u = rng() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
