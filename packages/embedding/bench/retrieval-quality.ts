import { unwrap } from "@dreampool/errors";
import { ChromaticTensor, seededRandom } from "@dreampool/tensor";

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

/**
 * Two textures with the same mean colour (mid-grey), alternating: broad stripes (1 cycle per 8
 * pixels, low band) and fine stripes (3 cycles, high band), each with a random phase and
 * orientation and ±0.02 noise. Colour cannot tell them apart; the spectrum can.
 */
export function stripeTextures(
  count: number,
  seed: number,
): { tensors: ChromaticTensor[]; labels: string[] } {
  const random = seededRandom(seed);
  const tensors: ChromaticTensor[] = [];
  const labels: string[] = [];
  for (let i = 0; i < count; i++) {
    const cycles = i % 2 === 0 ? 1 : 3;
    const phase = random() * 2 * Math.PI;
    const vertical = random() < 0.5;
    const colors = new Float32Array(8 * 8 * 4 * 3);
    for (let r = 0; r < 8; r++) {
      for (let c = 0; c < 8; c++) {
        const wave = 0.25 * Math.cos((2 * Math.PI * cycles * (vertical ? r : c)) / 8 + phase);
        for (let k = 0; k < 12; k++) colors[(r * 8 + c) * 12 + k] = 0.5 + wave + (random() - 0.5) * 0.04;
      }
    }
    tensors.push(unwrap(ChromaticTensor.fromArrays({ rows: 8, cols: 8, layers: 4 }, colors)));
    labels.push(cycles === 1 ? "broad" : "fine");
  }
  return { tensors, labels };
}
