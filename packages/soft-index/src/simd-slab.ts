import type { RowSlab } from "./row-slab.js";
import {
  instantiateKernel,
  type ScanKernel,
  WASM_MAX_BYTES,
  WASM_PAGE_BYTES,
  type WasmMemory,
} from "./wasm-kernel.js";

/** Rows scored per kernel call: the block's scores (8 KiB) stay in L1 while top-k reads them. */
export const SIMD_BLOCK_ROWS = 2048;

// Float32 sums overflow near 3.4e38; below this bound on dim * (max |query| + max |row|)^2 no
// product, difference or partial sum of the kernel can (a 10x margin).
const FLOAT32_SAFE_SUM = 3.4e37;

/**
 * Rows kept in WebAssembly memory and scored there by the SIMD kernel (scripts/simd-kernel.wat).
 * Layout: [query: stride f32, padded to 64 bytes][scores: SIMD_BLOCK_ROWS f32][rows: capacity x
 * stride f32]. stride is dim rounded up to a multiple of 4 and the padding floats stay zero, so
 * they add nothing to a dot product or a distance. Growth calls memory.grow (the rows keep their
 * offsets; the typed-array views are rebuilt); release() swaps in a new, smaller memory, the only
 * way to give WebAssembly memory back.
 */
export class SimdRowSlab implements RowSlab {
  readonly kind = "simd";
  readonly stride: number;
  readonly maxRows: number;
  /** Bumped by every kernel call: a scan learns that a nested search overwrote its scores. */
  generation = 0;
  rows = new Float32Array(0);
  /** The current block's scores, written by {@link scoreBlock}. */
  scores = new Float32Array(0);
  private query = new Float32Array(0);
  private readonly scoresOffset: number;
  private readonly rowsOffset: number;
  private readonly rowBytes: number;
  private memory: WasmMemory;
  private kernel: ScanKernel;
  // Rows the slab offers (doubling, as the JS slab); the memory may have room for a few more
  // because it comes in 64 KiB pages.
  private capacityRows: number;
  // The largest |component| written since the last release: decides whether float32 is safe.
  private largestComponent = 0;

  private constructor(
    readonly dim: number,
    capacity: number,
    memory: WasmMemory,
    kernel: ScanKernel,
  ) {
    this.stride = Math.ceil(dim / 4) * 4;
    this.rowBytes = this.stride * 4;
    this.scoresOffset = Math.ceil(this.rowBytes / 64) * 64;
    this.rowsOffset = this.scoresOffset + SIMD_BLOCK_ROWS * 4;
    this.maxRows = Math.floor((WASM_MAX_BYTES - this.rowsOffset) / this.rowBytes);
    this.memory = memory;
    this.kernel = kernel;
    this.capacityRows = capacity;
    this.refreshViews();
  }

  /** An empty slab with room for `capacity` rows, or null without SIMD or memory. */
  static create(dim: number, capacity: number): SimdRowSlab | null {
    const pages = SimdRowSlab.pagesFor(dim, capacity);
    if (pages === null) return null;
    const instance = instantiateKernel(pages);
    return instance === null ? null : new SimdRowSlab(dim, capacity, instance.memory, instance.kernel);
  }

  /** A slab holding packed rows (count x dim), or null without SIMD or memory. */
  static fromPacked(dim: number, packed: Float32Array): SimdRowSlab | null {
    const count = packed.length / dim;
    const slab = SimdRowSlab.create(dim, Math.max(1, count));
    if (slab === null) return null;
    for (let row = 0; row < count; row++) slab.write(row, packed.subarray(row * dim, row * dim + dim));
    return slab;
  }

  // Pages for `capacity` rows, or null past the 4 GiB of wasm32.
  private static pagesFor(dim: number, capacity: number): number | null {
    const rowBytes = Math.ceil(dim / 4) * 16;
    const bytes = Math.ceil(rowBytes / 64) * 64 + SIMD_BLOCK_ROWS * 4 + capacity * rowBytes;
    return bytes > WASM_MAX_BYTES ? null : Math.ceil(bytes / WASM_PAGE_BYTES);
  }

  get capacity(): number {
    return this.capacityRows;
  }

  /** Bytes of WebAssembly memory held. */
  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }

  reserve(rows: number): boolean {
    if (rows <= this.capacity) return true;
    if (rows > this.maxRows) return false;
    const target = Math.min(this.maxRows, Math.max(rows, this.capacity * 2));
    const pages = SimdRowSlab.pagesFor(this.dim, target);
    if (pages === null) return false;
    const missing = pages - this.memory.buffer.byteLength / WASM_PAGE_BYTES;
    try {
      if (missing > 0) this.memory.grow(missing);
    } catch {
      return false; // RangeError: the engine would not grow the memory; nothing changed.
    }
    this.capacityRows = target;
    this.refreshViews();
    return true;
  }

  write(row: number, values: ArrayLike<number>): void {
    const rows = this.rows;
    const base = row * this.stride;
    let largest = this.largestComponent;
    for (let j = 0; j < this.dim; j++) {
      const x = values[j] as number;
      rows[base + j] = x;
      if (x > largest) largest = x;
      else if (-x > largest) largest = -x;
    }
    this.largestComponent = largest;
  }

  move(from: number, to: number): void {
    this.rows.copyWithin(to * this.stride, from * this.stride, (from + 1) * this.stride);
  }

  read(row: number): Float32Array {
    return this.rows.slice(row * this.stride, row * this.stride + this.dim);
  }

  packed(count: number): Float32Array {
    if (this.stride === this.dim) return this.rows.subarray(0, count * this.dim);
    const out = new Float32Array(count * this.dim);
    for (let row = 0; row < count; row++) {
      out.set(this.rows.subarray(row * this.stride, row * this.stride + this.dim), row * this.dim);
    }
    return out;
  }

  release(capacity: number): void {
    this.largestComponent = 0;
    if (this.capacity <= capacity) return;
    const pages = SimdRowSlab.pagesFor(this.dim, capacity);
    const fresh = pages === null ? null : instantiateKernel(pages);
    // Without a fresh memory the old one is kept: correct (rows are dropped by the caller), just larger.
    if (fresh === null) return;
    this.memory = fresh.memory;
    this.kernel = fresh.kernel;
    this.capacityRows = capacity;
    this.refreshViews();
  }

  /**
   * Whether float32 scores of this query against the stored rows cannot overflow; otherwise the
   * caller scores with the float64 JS kernels (inner-product and euclidean accept components up
   * to float32's maximum, whose products float32 cannot hold).
   */
  float32Safe(query: ArrayLike<number>): boolean {
    let largest = 0;
    for (let j = 0; j < this.dim; j++) {
      const x = Math.abs(query[j] as number);
      if (x > largest) largest = x;
    }
    const sum = largest + this.largestComponent;
    return this.dim * sum * sum < FLOAT32_SAFE_SUM;
  }

  /** Copies a prepared query (dim components) into the kernel's query slot; padding stays zero. */
  loadQuery(query: ArrayLike<number>): void {
    const slot = this.query;
    for (let j = 0; j < this.dim; j++) slot[j] = query[j] as number;
  }

  /**
   * Scores rows [from, from + n) (n <= SIMD_BLOCK_ROWS) against the loaded query into `scores`:
   * dot products, or squared distances when `euclidean`.
   */
  scoreBlock(from: number, n: number, euclidean: boolean): void {
    const rows = this.rowsOffset + from * this.rowBytes;
    if (euclidean) this.kernel.scoresL2(0, rows, n, this.stride, this.scoresOffset);
    else this.kernel.scoresDot(0, rows, n, this.stride, this.scoresOffset);
    this.generation++;
  }

  private refreshViews(): void {
    const buffer = this.memory.buffer;
    this.query = new Float32Array(buffer, 0, this.stride);
    this.scores = new Float32Array(buffer, this.scoresOffset, SIMD_BLOCK_ROWS);
    this.rows = new Float32Array(buffer, this.rowsOffset, this.capacityRows * this.stride);
  }
}
