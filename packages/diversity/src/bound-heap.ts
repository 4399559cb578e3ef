/**
 * A binary max-heap of candidates keyed by an upper bound on their MMR score, in two parallel typed
 * arrays (keys beside ids, so a sift reads contiguous memory and allocates nothing). Order: larger key
 * first, then lower id, which is MMR's tie rule, so the lazy selection picks exactly what the exact
 * one picks. Only the top's key ever changes (it can only fall), so the heap needs no decrease-key.
 */
export class BoundHeap {
  private readonly keys: Float64Array;
  private readonly ids: Int32Array;
  private length = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
  }

  get size(): number {
    return this.length;
  }

  /** Appends a candidate without ordering; call `heapify` once all are in. */
  append(id: number, key: number): void {
    this.keys[this.length] = key;
    this.ids[this.length] = id;
    this.length++;
  }

  /** Orders the appended candidates in O(n). */
  heapify(): void {
    for (let at = (this.length >> 1) - 1; at >= 0; at--) this.siftDown(at, this.keys[at]!, this.ids[at]!);
  }

  /** The first candidate (-1 when empty) and its key. */
  topId(): number {
    return this.length > 0 ? this.ids[0]! : -1;
  }

  topKey(): number {
    return this.length > 0 ? this.keys[0]! : Number.NEGATIVE_INFINITY;
  }

  /** Heap position of the candidate that would be first without the top (-1 when the top is alone). */
  rivalSlot(): number {
    if (this.length < 2) return -1;
    if (this.length === 2) return 1;
    return this.precedes(2, 1) ? 2 : 1;
  }

  keyAt(slot: number): number {
    return this.keys[slot]!;
  }

  idAt(slot: number): number {
    return this.ids[slot]!;
  }

  /** Lowers the top's key (it may never rise) and restores the order. */
  updateTop(key: number): void {
    this.siftDown(0, key, this.ids[0]!);
  }

  /** Removes the first candidate and returns it (-1 when empty). */
  pop(): number {
    if (this.length === 0) return -1;
    const top = this.ids[0]!;
    this.length--;
    if (this.length > 0) this.siftDown(0, this.keys[this.length]!, this.ids[this.length]!);
    return top;
  }

  /** True when the entry in slot a comes before the entry in slot b. */
  private precedes(a: number, b: number): boolean {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    return ka > kb || (ka === kb && this.ids[a]! < this.ids[b]!);
  }

  /** Places (key, id) at `slot` or below, moving earlier-ordered children up. */
  private siftDown(slot: number, key: number, id: number): void {
    const { keys, ids, length } = this;
    let at = slot;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= length) break;
      const right = child + 1;
      if (
        right < length &&
        (keys[right]! > keys[child]! || (keys[right] === keys[child] && ids[right]! < ids[child]!))
      ) {
        child = right;
      }
      const childKey = keys[child]!;
      if (key > childKey || (key === childKey && id < ids[child]!)) break;
      keys[at] = childKey;
      ids[at] = ids[child]!;
      at = child;
    }
    keys[at] = key;
    ids[at] = id;
  }
}
