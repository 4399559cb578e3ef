// Test helpers only (not exported from index.ts): seeded data and an exact reference.
import { clusteredVectors, row } from "@dreampool/bench-kit";
import { unwrap } from "@dreampool/errors";
import { ExactIndex, type Metric } from "@dreampool/soft-index";
import { HnswIndex } from "./hnsw-index.js";
import { readNativeHeader } from "./native-file.js";
import type { HnswIndexOptions } from "./options.js";
import { decodeSnapshot } from "./snapshot.js";

/** `n` rows of `dim` around `clusters` centres, as separate Float32Arrays. */
export function clusteredRows(n: number, dim: number, seed: number, clusters = 50): Float32Array[] {
  const flat = clusteredVectors(n, dim, seed, { clusters });
  return Array.from({ length: n }, (_, i) => row(flat, dim, i).slice());
}

export function hnsw(options: HnswIndexOptions): HnswIndex {
  return unwrap(HnswIndex.create(options));
}

export function exact(dim: number, metric: Metric = "cosine"): ExactIndex {
  return unwrap(ExactIndex.create({ dim, metric }));
}

/** |A ∩ B| / |B|. */
export function overlap(found: readonly string[], truth: readonly string[]): number {
  if (truth.length === 0) return 1;
  const set = new Set(found);
  return truth.filter((id) => set.has(id)).length / truth.length;
}

/** The score a metric gives a stored row, computed independently of the index. */
export function scoreAgainst(metric: Metric, query: Float32Array, stored: Float32Array): number {
  let dot = 0;
  let sq = 0;
  let qq = 0;
  for (let i = 0; i < query.length; i++) {
    const q = query[i] as number;
    const v = stored[i] as number;
    dot += q * v;
    sq += (q - v) ** 2;
    qq += q * q;
  }
  if (metric === "euclidean") return -Math.sqrt(sq);
  return metric === "cosine" ? dot / Math.sqrt(qq) : dot;
}

/** hnswlib's own element count (live + deleted), read from the binary header inside a snapshot. */
export function nativeElementCount(index: HnswIndex): number {
  const { native } = unwrap(decodeSnapshot(unwrap(index.toBytes())));
  const header = readNativeHeader(native);
  if (header === null) throw new Error("snapshot without an hnswlib header");
  return header.elementCount;
}
