import type { Hit, SearchOptions } from "./contract.js";
import type { FilterGuard } from "./exact-scan.js";
import { SIMD_BLOCK_ROWS, type SimdRowSlab } from "./simd-slab.js";
import type { TopK } from "./top-k.js";

/** What a SIMD scan reads: the first `count` rows of the slab and their ids. */
export interface SimdScanSource {
  readonly slab: SimdRowSlab;
  readonly count: number;
  readonly ids: readonly string[];
  readonly euclidean: boolean;
}

/**
 * Exact top-k of one prepared query (cosine: normalised) over every row, scored by the SIMD
 * kernel one block at a time. Scores are the kernel's float32 sums (euclidean: -sqrt of the
 * squared distance), so they can differ from the float64 JS kernels in the last bits; the order
 * among equal scores is still by id, so answers are deterministic.
 */
export function simdScanTopK(
  source: SimdScanSource,
  query: Float64Array,
  k: number,
  options: SearchOptions | undefined,
  top: TopK,
  guard: FilterGuard,
): Hit[] {
  const { count, euclidean } = source;
  top.reset(Math.min(k, count));
  const block: Block = {
    source,
    query,
    top,
    filter: options?.filter,
    minScore: options?.minScore ?? Number.NEGATIVE_INFINITY,
    guard,
    from: 0,
    n: 0,
    generation: 0,
  };
  for (let from = 0; from < count; from += SIMD_BLOCK_ROWS) {
    block.from = from;
    block.n = Math.min(SIMD_BLOCK_ROWS, count - from);
    score(block);
    if (euclidean) selectL2(block);
    else selectDot(block);
  }
  return top.drain().map(({ id, score }) => ({ id, score, distance: euclidean ? -score : 1 - score }));
}

interface Block {
  readonly source: SimdScanSource;
  readonly query: Float64Array;
  readonly top: TopK;
  readonly filter: ((id: string) => boolean) | undefined;
  readonly minScore: number;
  readonly guard: FilterGuard;
  from: number;
  n: number;
  generation: number;
}

function score(block: Block): void {
  const { slab, euclidean } = block.source;
  slab.loadQuery(block.query);
  slab.scoreBlock(block.from, block.n, euclidean);
  block.generation = slab.generation;
}

// Runs the filter. A filter that searched this index again overwrote the shared query and score
// slots in WebAssembly memory: the block is scored again (same inputs, same float32 results).
function passes(block: Block, id: string): boolean {
  const filter = block.filter;
  if (filter === undefined) return true;
  const pass = block.guard(filter, id);
  if (block.source.slab.generation !== block.generation) score(block);
  return pass;
}

/** Offers the block's rows to the top-k; scores are dot products. */
function selectDot(block: Block): void {
  const { top, minScore, from, n } = block;
  const { ids, slab } = block.source;
  const scores = slab.scores;
  // One comparison per row in the common case: rows below the floor cannot enter.
  let floor = Math.max(minScore, top.threshold);
  for (let i = 0; i < n; i++) {
    const score = scores[i] as number;
    if (score < floor) continue;
    const id = ids[from + i] as string;
    if (!top.accepts(score, id) || !passes(block, id)) continue;
    top.push(score, from + i, id);
    floor = Math.max(minScore, top.threshold);
  }
}

/** Offers the block's rows to the top-k; the kernel wrote squared distances, scores are -sqrt. */
function selectL2(block: Block): void {
  const { top, minScore, from, n } = block;
  const { ids, slab } = block.source;
  const squared = slab.scores;
  let floor = Math.max(minScore, top.threshold);
  let ceiling = squaredCeiling(floor);
  for (let i = 0; i < n; i++) {
    const d2 = squared[i] as number;
    // In squared units first (no sqrt for rows that cannot enter), then exactly.
    if (d2 > ceiling) continue;
    const score = -Math.sqrt(d2);
    if (score < floor) continue;
    const id = ids[from + i] as string;
    if (!top.accepts(score, id) || !passes(block, id)) continue;
    top.push(score, from + i, id);
    floor = Math.max(minScore, top.threshold);
    ceiling = squaredCeiling(floor);
  }
}

// The largest squared distance whose score -sqrt(d2) can reach `floor`, with slack for the
// rounding of floor * floor (the exact check follows), +Infinity when there is no floor.
function squaredCeiling(floor: number): number {
  if (floor > 0) return Number.NEGATIVE_INFINITY; // scores are <= 0: nothing enters
  return floor * floor * (1 + 2 ** -40);
}
