// Leave-one-out retrieval quality on the labelled colour dataset, shared by the acceptance test and
// the benchmark (which also runs it on the reference's embedding scheme).

/** Per query i, the share of its k nearest other entries (by dot product) that share its label. */
export function leaveOneOutPrecision(
  entries: Float32Array,
  queries: Float32Array,
  labels: readonly string[],
  dim: number,
  k: number,
): number {
  const n = labels.length;
  let total = 0;
  const scores = new Float64Array(n);
  const order = new Int32Array(n);
  for (let q = 0; q < n; q++) {
    for (let e = 0; e < n; e++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += queries[q * dim + d]! * entries[e * dim + d]!;
      scores[e] = e === q ? Number.NEGATIVE_INFINITY : dot;
      order[e] = e;
    }
    // Ties broken by index so the figure is deterministic.
    const ranked = Array.from(order).sort((a, b) => scores[b]! - scores[a]! || a - b);
    let same = 0;
    for (let i = 0; i < k; i++) if (labels[ranked[i]!] === labels[q]) same++;
    total += same / k;
  }
  return total / n;
}
