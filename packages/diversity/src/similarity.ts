import { invalidParameter } from "@dreampool/errors";

/** How two vectors are compared: cosine, plain dot product (for unit vectors), or your own function. */
export type Similarity = "cosine" | "dot" | ((a: Float32Array, b: Float32Array) => number);

/**
 * Dot product of two rows of flat matrices, four lanes at a time. Every similarity in this package goes
 * through here, so the exact, fast and naive selections compare bit-identical numbers.
 */
export function dotRows(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  dim: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    s0 += a[aOffset + j]! * b[bOffset + j]!;
    s1 += a[aOffset + j + 1]! * b[bOffset + j + 1]!;
    s2 += a[aOffset + j + 2]! * b[bOffset + j + 2]!;
    s3 += a[aOffset + j + 3]! * b[bOffset + j + 3]!;
  }
  for (; j < dim; j++) s0 += a[aOffset + j]! * b[bOffset + j]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * Two dot products in one pass over a shared row: `a` (from aOffset) with the rows of `b` at b1Offset
 * and b2Offset, written to `out[0]` and `out[1]`. Each is summed exactly as `dotRows` sums it (same
 * lanes, same order; products commute), so the values are bit-identical to two `dotRows` calls in
 * either argument order, at about three loads per two products instead of four.
 */
export function dotRowsPair(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  b1Offset: number,
  b2Offset: number,
  dim: number,
  out: Float64Array,
): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    const a0 = a[aOffset + j]!;
    const a1 = a[aOffset + j + 1]!;
    const a2 = a[aOffset + j + 2]!;
    const a3 = a[aOffset + j + 3]!;
    s0 += a0 * b[b1Offset + j]!;
    s1 += a1 * b[b1Offset + j + 1]!;
    s2 += a2 * b[b1Offset + j + 2]!;
    s3 += a3 * b[b1Offset + j + 3]!;
    t0 += a0 * b[b2Offset + j]!;
    t1 += a1 * b[b2Offset + j + 1]!;
    t2 += a2 * b[b2Offset + j + 2]!;
    t3 += a3 * b[b2Offset + j + 3]!;
  }
  for (; j < dim; j++) {
    const x = a[aOffset + j]!;
    s0 += x * b[b1Offset + j]!;
    t0 += x * b[b2Offset + j]!;
  }
  out[0] = s0 + s1 + (s2 + s3);
  out[1] = t0 + t1 + (t2 + t3);
}

/**
 * The candidates as one flat row-major matrix plus what the chosen similarity needs (inverse norms for
 * cosine, row views for a custom function). `between(i, j)` is symmetric bit for bit.
 */
export class SimilarityKernel {
  /** Inverse Euclidean norm per row (0 for a zero row, whose cosine is then 0); empty unless cosine. */
  readonly inverseNorms: Float64Array;
  private readonly rows: Float32Array[];
  /** True when building the kernel already proved every component finite (cosine norms do). */
  readonly knownFinite: boolean = false;
  private readonly fusedQuery: Float32Array | null = null;
  private readonly fusedRelevance: Float64Array | null = null;
  /** Scratch for `dotRowsPair`. */
  private readonly pair = new Float64Array(2);

  /**
   * With `query` (cosine only), the query similarities are computed in the same pass as the norms and
   * `toQuery(query)` returns them without a second pass over the rows.
   */
  constructor(
    readonly data: Float32Array,
    readonly count: number,
    readonly dim: number,
    readonly similarity: Similarity,
    query?: Float32Array,
  ) {
    this.inverseNorms = new Float64Array(similarity === "cosine" ? count : 0);
    if (similarity === "cosine") {
      const fused = query ? new Float64Array(count) : null;
      // A NaN or infinite component makes its row's squared norm, and so the sum, non-finite.
      this.knownFinite = Number.isFinite(
        inverseNormsAndDots(data, count, dim, this.inverseNorms, query, fused),
      );
      if (query && fused) {
        this.fusedQuery = query;
        this.fusedRelevance = fused;
      }
    }
    this.rows = [];
    if (typeof similarity === "function") {
      for (let i = 0; i < count; i++) this.rows.push(data.subarray(i * dim, (i + 1) * dim));
    }
  }

  /** Similarity of rows i and j. */
  between(i: number, j: number): number {
    const { similarity, dim, data } = this;
    if (similarity === "cosine") {
      return dotRows(data, i * dim, data, j * dim, dim) * (this.inverseNorms[i]! * this.inverseNorms[j]!);
    }
    if (similarity === "dot") return dotRows(data, i * dim, data, j * dim, dim);
    return checked(similarity(this.rows[i]!, this.rows[j]!));
  }

  /** Similarity of every row to row `j`, written to `out` (the exact MMR's inner loop, kept tight). */
  similaritiesTo(j: number, out: Float64Array): void {
    const { similarity, dim, data, count } = this;
    if (typeof similarity === "function") {
      for (let i = 0; i < count; i++) out[i] = checked(similarity(this.rows[i]!, this.rows[j]!));
      return;
    }
    // Two rows per pass over row j (its loads are shared); products commute, so each value is
    // bit-identical to dotRows(row i, row j).
    const offset = j * dim;
    const pair = this.pair;
    const paired = count - (count % 2);
    if (similarity === "dot") {
      for (let i = 0; i < paired; i += 2) {
        dotRowsPair(data, offset, data, i * dim, (i + 1) * dim, dim, pair);
        out[i] = pair[0]!;
        out[i + 1] = pair[1]!;
      }
      if (paired < count) out[paired] = dotRows(data, paired * dim, data, offset, dim);
      return;
    }
    const norms = this.inverseNorms;
    const scale = norms[j]!;
    for (let i = 0; i < paired; i += 2) {
      dotRowsPair(data, offset, data, i * dim, (i + 1) * dim, dim, pair);
      out[i] = pair[0]! * (norms[i]! * scale);
      out[i + 1] = pair[1]! * (norms[i + 1]! * scale);
    }
    if (paired < count)
      out[paired] = dotRows(data, paired * dim, data, offset, dim) * (norms[paired]! * scale);
  }

  /** Similarity of each row to `query` (the MMR relevance when none is given). */
  toQuery(query: Float32Array): Float64Array {
    if (query === this.fusedQuery && this.fusedRelevance) return this.fusedRelevance;
    const { similarity, dim, data, count } = this;
    const out = new Float64Array(count);
    if (typeof similarity === "function") {
      for (let i = 0; i < count; i++) out[i] = checked(similarity(query, this.rows[i]!));
      return out;
    }
    if (similarity === "dot") {
      const pair = this.pair;
      const paired = count - (count % 2);
      for (let i = 0; i < paired; i += 2) {
        dotRowsPair(query, 0, data, i * dim, (i + 1) * dim, dim, pair);
        out[i] = pair[0]!;
        out[i + 1] = pair[1]!;
      }
      if (paired < count) out[paired] = dotRows(data, paired * dim, query, 0, dim);
      return out;
    }
    const queryScale = inverseNorm(query, 0, dim);
    const norms = this.inverseNorms;
    for (let i = 0; i < count; i++) out[i] = dotRows(data, i * dim, query, 0, dim) * (norms[i]! * queryScale);
    return out;
  }
}

/** A custom similarity must return finite numbers; anything else aborts the selection (caught by `attempt`). */
function checked(value: number): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  throw invalidParameter("similarity", value, "a custom similarity function must return finite numbers");
}

function inverseNorm(data: Float32Array, offset: number, dim: number): number {
  const squared = dotRows(data, offset, data, offset, dim);
  return squared > 0 ? 1 / Math.sqrt(squared) : 0;
}

/**
 * One streaming pass over the rows: writes each row's inverse norm and, given a query, its cosine with
 * the query (cosine needs both, and reading each row once is what this pass costs). Returns the sum of
 * squared norms, which is finite exactly when every component is.
 */
function inverseNormsAndDots(
  data: Float32Array,
  count: number,
  dim: number,
  inverseNorms: Float64Array,
  query: Float32Array | undefined,
  cosines: Float64Array | null,
): number {
  let squaredSum = 0;
  if (!query || !cosines) {
    for (let i = 0; i < count; i++) {
      const squared = dotRows(data, i * dim, data, i * dim, dim);
      squaredSum += squared;
      inverseNorms[i] = squared > 0 ? 1 / Math.sqrt(squared) : 0;
    }
    return squaredSum;
  }
  const queryScale = inverseNorm(query, 0, dim);
  // Two rows per pass over the query (its loads are shared), two lanes each for the norm and the dot.
  const paired = count - (count % 2);
  for (let i = 0; i < paired; i += 2) {
    const offset = i * dim;
    const next = offset + dim;
    let s0 = 0;
    let s1 = 0;
    let q0 = 0;
    let q1 = 0;
    let t0 = 0;
    let t1 = 0;
    let r0 = 0;
    let r1 = 0;
    let j = 0;
    for (; j + 1 < dim; j += 2) {
      const x0 = query[j]!;
      const x1 = query[j + 1]!;
      const a0 = data[offset + j]!;
      const a1 = data[offset + j + 1]!;
      const b0 = data[next + j]!;
      const b1 = data[next + j + 1]!;
      s0 += a0 * a0;
      s1 += a1 * a1;
      q0 += a0 * x0;
      q1 += a1 * x1;
      t0 += b0 * b0;
      t1 += b1 * b1;
      r0 += b0 * x0;
      r1 += b1 * x1;
    }
    if (j < dim) {
      const x = query[j]!;
      const a = data[offset + j]!;
      const b = data[next + j]!;
      s0 += a * a;
      q0 += a * x;
      t0 += b * b;
      r0 += b * x;
    }
    const squaredA = s0 + s1;
    const squaredB = t0 + t1;
    squaredSum += squaredA + squaredB;
    const scaleA = squaredA > 0 ? 1 / Math.sqrt(squaredA) : 0;
    const scaleB = squaredB > 0 ? 1 / Math.sqrt(squaredB) : 0;
    inverseNorms[i] = scaleA;
    inverseNorms[i + 1] = scaleB;
    cosines[i] = (q0 + q1) * (scaleA * queryScale);
    cosines[i + 1] = (r0 + r1) * (scaleB * queryScale);
  }
  if (paired < count) {
    const offset = paired * dim;
    const squared = dotRows(data, offset, data, offset, dim);
    squaredSum += squared;
    const scale = squared > 0 ? 1 / Math.sqrt(squared) : 0;
    inverseNorms[paired] = scale;
    cosines[paired] = dotRows(data, offset, query, 0, dim) * (scale * queryScale);
  }
  return squaredSum;
}
