import type { Hit, Metric, SearchOptions } from "../contract.js";

/**
 * The obvious implementation of a vector index, used as the oracle in the contract suite:
 * a Map of float32 copies, every score recomputed in float64 from the raw (unnormalised)
 * vectors, a full sort. Slow and plainly correct.
 */
export class NaiveVectorModel {
  readonly vectors = new Map<string, Float32Array>();
  constructor(readonly metric: Metric) {}

  has(id: string): boolean {
    return this.vectors.has(id);
  }

  set(id: string, vector: ArrayLike<number>): void {
    this.vectors.set(id, Float32Array.from(vector));
  }

  delete(id: string): boolean {
    return this.vectors.delete(id);
  }

  score(query: ArrayLike<number>, vector: ArrayLike<number>): number {
    let dotProduct = 0;
    let qq = 0;
    let vv = 0;
    let squared = 0;
    for (let i = 0; i < query.length; i++) {
      const q = query[i] as number;
      const v = vector[i] as number;
      dotProduct += q * v;
      qq += q * q;
      vv += v * v;
      squared += (q - v) * (q - v);
    }
    if (this.metric === "cosine") return dotProduct / Math.sqrt(qq * vv);
    if (this.metric === "euclidean") return -Math.sqrt(squared);
    return dotProduct;
  }

  /** Every live entry that passes the filter, scored, best first (ties by id). */
  ranked(query: ArrayLike<number>, filter?: (id: string) => boolean): Hit[] {
    const hits: Hit[] = [];
    for (const [id, vector] of this.vectors) {
      if (filter && !filter(id)) continue;
      const score = this.score(query, vector);
      hits.push({ id, score, distance: this.metric === "euclidean" ? -score : 1 - score });
    }
    return hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  search(query: ArrayLike<number>, k: number, options: SearchOptions = {}): Hit[] {
    const minScore = options.minScore ?? Number.NEGATIVE_INFINITY;
    return this.ranked(query, options.filter)
      .filter((h) => h.score >= minScore)
      .slice(0, k);
  }
}
