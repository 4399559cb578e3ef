import { seededRandom } from "@dreampool/tensor";

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
