/**
 * Where ExactIndex keeps its rows: row i occupies floats [i * stride, i * stride + dim) of
 * `rows`, followed by stride - dim zeros. Growth doubles; a failed allocation changes nothing.
 */
export interface RowSlab {
  readonly dim: number;
  /** Floats from one row to the next (>= dim). */
  readonly stride: number;
  /** Rows that fit without growing. */
  readonly capacity: number;
  /** The most rows this slab can ever hold. */
  readonly maxRows: number;
  /** Every row slot (capacity x stride). Replaced on growth: do not hold it across reserve(). */
  readonly rows: Float32Array;
  /** Makes room for `rows` rows (at least doubling); false when the memory cannot be had. */
  reserve(rows: number): boolean;
  /** Writes `dim` components into a row. */
  write(row: number, values: ArrayLike<number>): void;
  /** Copies row `from` over row `to`. */
  move(from: number, to: number): void;
  /** A copy of a row's `dim` components. */
  read(row: number): Float32Array;
  /** The first `count` rows packed as count x dim (no padding). */
  packed(count: number): Float32Array;
  /** Drops every row and, when the slab has grown past `capacity` rows, gives the memory back. */
  release(capacity: number): void;
}

// Typed arrays in Node 20 hold at most 2^32 - 1 elements; stay well inside it.
export const MAX_JS_SLAB_ELEMENTS = 2 ** 31;

/** Rows in one plain Float32Array (stride = dim), scored by the JS kernels. */
export class JsRowSlab implements RowSlab {
  readonly kind = "js";
  readonly stride: number;
  readonly maxRows: number;
  rows: Float32Array;

  private constructor(
    readonly dim: number,
    rows: Float32Array,
  ) {
    this.stride = dim;
    this.maxRows = Math.floor(MAX_JS_SLAB_ELEMENTS / dim);
    this.rows = rows;
  }

  /** An empty slab of `capacity` rows, or null when the memory cannot be allocated. */
  static create(dim: number, capacity: number): JsRowSlab | null {
    try {
      return new JsRowSlab(dim, new Float32Array(capacity * dim));
    } catch {
      return null;
    }
  }

  /** Adopts packed rows (count x dim) as they are: capacity = count, the next add doubles. */
  static adopt(dim: number, packed: Float32Array): JsRowSlab {
    return new JsRowSlab(dim, packed);
  }

  get capacity(): number {
    return this.rows.length / this.dim;
  }

  reserve(rows: number): boolean {
    if (rows <= this.capacity) return true;
    if (rows > this.maxRows) return false;
    const target = Math.min(this.maxRows, Math.max(rows, this.capacity * 2));
    try {
      const next = new Float32Array(target * this.dim);
      next.set(this.rows);
      this.rows = next;
      return true;
    } catch {
      return false;
    }
  }

  write(row: number, values: ArrayLike<number>): void {
    const rows = this.rows;
    const base = row * this.dim;
    for (let j = 0; j < this.dim; j++) rows[base + j] = values[j] as number;
  }

  move(from: number, to: number): void {
    this.rows.copyWithin(to * this.dim, from * this.dim, from * this.dim + this.dim);
  }

  read(row: number): Float32Array {
    return this.rows.slice(row * this.dim, row * this.dim + this.dim);
  }

  packed(count: number): Float32Array {
    return this.rows.subarray(0, count * this.dim);
  }

  release(capacity: number): void {
    if (this.rows.length <= capacity * this.dim) return;
    const smaller = JsRowSlab.create(this.dim, capacity);
    if (smaller !== null) this.rows = smaller.rows;
  }
}
