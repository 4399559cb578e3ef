import { seededRandom } from "@dreampool/tensor";

/** A fixed linear map from `features` to `dim` dimensions. */
export interface Projection {
  readonly kind: "hadamard" | "dense";
  /** Writes P·x into out[at … at+dim) and returns its squared length. */
  apply(x: Float64Array, out: Float32Array, at: number): number;
}

const isPowerOfTwo = (n: number): boolean => n >= 1 && (n & (n - 1)) === 0;

/**
 * The seeded projection for a mapper. When `dim` is a power of two and at least `features` (the
 * default: 25 features into 64), a randomised Hadamard transform: the features go to seeded
 * distinct coordinates with seeded signs, then through the orthonormal Walsh–Hadamard matrix
 * H/√dim. That is an exact isometry (cosines are kept), every output mixes every feature, and it
 * costs dim·log2(dim) additions instead of dim·features multiply-adds. Otherwise a dense
 * orthonormalised random-sign matrix (see `orthonormalProjection`).
 */
export function createProjection(dim: number, features: number, seed: number): Projection {
  return isPowerOfTwo(dim) && dim >= features
    ? new HadamardProjection(dim, features, seed)
    : new DenseProjection(dim, features, seed);
}

class HadamardProjection implements Projection {
  readonly kind = "hadamard";
  private readonly positions: Int32Array;
  private readonly signs: Float64Array;
  private readonly scratch: Float64Array;
  private readonly scale: number;

  constructor(
    private readonly dim: number,
    features: number,
    seed: number,
  ) {
    const random = seededRandom(seed);
    const order = Array.from({ length: dim }, (_, i) => i);
    // Fisher–Yates on the seeded stream: the first `features` slots are distinct random coordinates.
    for (let i = dim - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    this.positions = Int32Array.from(order.slice(0, features));
    this.signs = Float64Array.from({ length: features }, () => (random() < 0.5 ? -1 : 1));
    this.scratch = new Float64Array(dim);
    this.scale = 1 / Math.sqrt(dim);
  }

  apply(x: Float64Array, out: Float32Array, at: number): number {
    const { dim, positions, signs, scratch, scale } = this;
    scratch.fill(0);
    for (let j = 0; j < positions.length; j++) scratch[positions[j]!] = signs[j]! * x[j]!;
    // In-place fast Walsh–Hadamard transform.
    for (let h = 1; h < dim; h *= 2) {
      for (let i = 0; i < dim; i += 2 * h) {
        for (let k = i; k < i + h; k++) {
          const a = scratch[k]!;
          const b = scratch[k + h]!;
          scratch[k] = a + b;
          scratch[k + h] = a - b;
        }
      }
    }
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const y = scratch[d]! * scale;
      out[at + d] = y;
      norm += y * y;
    }
    return norm;
  }
}

class DenseProjection implements Projection {
  readonly kind = "dense";
  private readonly matrix: Float64Array;
  constructor(
    private readonly dim: number,
    private readonly features: number,
    seed: number,
  ) {
    this.matrix = orthonormalProjection(dim, features, seed);
  }

  apply(x: Float64Array, out: Float32Array, at: number): number {
    const { dim, features, matrix } = this;
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const row = d * features;
      let sum = 0;
      for (let j = 0; j < features; j++) sum += matrix[row + j]! * x[j]!;
      out[at + d] = sum;
      norm += sum * sum;
    }
    return norm;
  }
}

/**
 * A seeded random projection from `features` to `dim` dimensions, row-major dim × features.
 *
 * Entries start as random signs (±1, Achlioptas) and are orthonormalised by modified Gram–Schmidt
 * (two passes). With features <= dim the columns are orthonormal, so the map is an isometry: dot
 * products, norms and therefore cosine similarities of feature vectors are kept exactly (up to
 * rounding), and every output dimension mixes every feature. With features > dim the rows are
 * orthonormal and scaled by √(features/dim): a Johnson–Lindenstrauss projection that keeps norms
 * in expectation. Only +, −, ×, ÷ and √ are used, so the matrix is bit-identical on every platform.
 */
export function orthonormalProjection(dim: number, features: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const matrix = new Float64Array(dim * features);
  const byColumns = features <= dim;
  const count = byColumns ? features : dim; // vectors to orthonormalise
  const length = byColumns ? dim : features; // their length
  const vectors: Float64Array[] = [];
  while (vectors.length < count) {
    const v = new Float64Array(length);
    for (let i = 0; i < length; i++) v[i] = random() < 0.5 ? -1 : 1;
    for (let pass = 0; pass < 2; pass++) {
      for (const q of vectors) {
        let dot = 0;
        for (let i = 0; i < length; i++) dot += v[i]! * q[i]!;
        for (let i = 0; i < length; i++) v[i]! -= dot * q[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < length; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    // A draw (almost) inside the span of the previous ones is redrawn; deterministic, and rare.
    if (norm < 1e-6) continue;
    for (let i = 0; i < length; i++) v[i]! /= norm;
    vectors.push(v);
  }
  const rowScale = byColumns ? 1 : Math.sqrt(features / dim);
  for (let k = 0; k < count; k++) {
    const v = vectors[k]!;
    for (let i = 0; i < length; i++) {
      if (byColumns) matrix[i * features + k] = v[i]!;
      else matrix[k * features + i] = v[i]! * rowScale;
    }
  }
  return matrix;
}
