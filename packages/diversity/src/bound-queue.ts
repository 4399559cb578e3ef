/**
 * The lazy MMR's priority queue: candidates keyed by an upper bound on their score, larger key first,
 * then lower id (MMR's tie rule, so the lazy selection picks exactly what the exact one picks). Only
 * the first candidate's key ever changes, and it only falls; so the first key never rises.
 *
 * A refreshed bound usually falls far, and in one binary heap of all n candidates that cost a sift
 * through most of its ~log2(n) levels, with a hard-to-predict branch on each: in profiles it was the
 * largest cost of the lazy selection beside the similarity evaluations themselves. So keys are first
 * sorted into value buckets spanning the initial keys (bucket 0 holds the largest), and only the
 * buckets the top has reached sit in a binary heap. A candidate whose bound falls into a bucket the top
 * has not reached yet is parked in that bucket's list in O(1), and the heap stays a few entries deep.
 * Every heap entry's key is strictly larger than every parked key (buckets are ordered by value and
 * the heap holds only earlier ones), so the heap's first entry is the queue's first, and its best
 * child the true runner-up. A degenerate key range (all keys equal) is one bucket: a plain heap.
 * Typed arrays throughout; nothing is allocated after construction.
 */
export class BoundQueue {
  /** The binary heap over the buckets reached so far: keys beside ids. */
  private readonly keys: Float64Array;
  private readonly ids: Int32Array;
  private heapLength = 0;
  /** Per id: its key while parked; and the next id in the same bucket (-1 ends a list). */
  private readonly parkedKey: Float64Array;
  private readonly nextInBucket: Int32Array;
  /** First parked id per bucket (-1 for none). */
  private readonly heads: Int32Array;
  private parkedCount = 0;
  /** Buckets below this one have been moved into the heap. */
  private cursor = 0;
  private bucketCount = 1;
  private maxKey = 0;
  private inverseWidth = 0;

  /** `capacity` candidates with ids in [0, idLimit). */
  constructor(capacity: number, idLimit: number) {
    this.keys = new Float64Array(capacity);
    this.ids = new Int32Array(capacity);
    this.parkedKey = new Float64Array(idLimit);
    this.nextInBucket = new Int32Array(idLimit);
    this.heads = new Int32Array(Math.max(1, capacity)).fill(-1);
  }

  get size(): number {
    return this.heapLength + this.parkedCount;
  }

  /** Adds a candidate before `build`; keys must be finite. */
  append(id: number, key: number): void {
    this.keys[this.heapLength] = key;
    this.ids[this.heapLength] = id;
    this.heapLength++;
  }

  /** Sorts the appended candidates into buckets (one per candidate, spanning their keys) in O(n). */
  build(): void {
    const count = this.heapLength;
    let max = Number.NEGATIVE_INFINITY;
    let min = Number.POSITIVE_INFINITY;
    for (let at = 0; at < count; at++) {
      const key = this.keys[at]!;
      if (key > max) max = key;
      if (key < min) min = key;
    }
    const inverseWidth = count / (max - min);
    // All keys equal (or a span that overflows): one bucket, i.e. a plain heap.
    const usable = Number.isFinite(inverseWidth) && inverseWidth > 0;
    this.bucketCount = usable ? count : 1;
    this.inverseWidth = usable ? inverseWidth : 0;
    this.maxKey = max;
    this.heapLength = 0;
    for (let at = 0; at < count; at++) this.park(this.ids[at]!, this.keys[at]!);
    this.fill();
  }

  /** The first candidate (-1 when empty) and its key. */
  topId(): number {
    return this.heapLength > 0 ? this.ids[0]! : -1;
  }

  topKey(): number {
    return this.heapLength > 0 ? this.keys[0]! : Number.NEGATIVE_INFINITY;
  }

  /** Heap slot of the candidate that would be first without the top (-1 when the top is alone). */
  rivalSlot(): number {
    if (this.heapLength < 2) return -1;
    if (this.heapLength === 2) return 1;
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
    const id = this.ids[0]!;
    if (this.bucketOf(key) < this.cursor) {
      this.siftDown(0, key, id);
      return;
    }
    this.removeTop();
    this.park(id, key);
    this.fill();
  }

  /** Removes the first candidate and returns it (-1 when empty). */
  pop(): number {
    if (this.heapLength === 0) return -1;
    const top = this.ids[0]!;
    this.removeTop();
    this.fill();
    return top;
  }

  /** Bucket of a key: 0 for the largest initial key, higher for lower keys, monotone in the key. */
  private bucketOf(key: number): number {
    const offset = (this.maxKey - key) * this.inverseWidth;
    if (!(offset > 0)) return 0; // also NaN
    // Truncation is floor here (0 < offset < bucketCount <= 2^31), without a call to Math.floor.
    return offset < this.bucketCount ? offset | 0 : this.bucketCount - 1;
  }

  private park(id: number, key: number): void {
    const bucket = this.bucketOf(key);
    this.parkedKey[id] = key;
    this.nextInBucket[id] = this.heads[bucket]!;
    this.heads[bucket] = id;
    this.parkedCount++;
  }

  /**
   * Moves buckets into the heap until it holds two entries (so the runner-up is known) or nothing is
   * parked. Each bucket is moved once, so this costs O(buckets + n) over the queue's life.
   */
  private fill(): void {
    while (this.heapLength < 2 && this.parkedCount > 0) {
      let id = this.heads[this.cursor]!;
      this.heads[this.cursor] = -1;
      this.cursor++;
      while (id >= 0) {
        this.siftUp(this.heapLength++, this.parkedKey[id]!, id);
        this.parkedCount--;
        id = this.nextInBucket[id]!;
      }
    }
  }

  private removeTop(): void {
    this.heapLength--;
    const last = this.heapLength;
    if (last > 0) this.siftDown(0, this.keys[last]!, this.ids[last]!);
  }

  /** True when the entry in slot a comes before the entry in slot b. */
  private precedes(a: number, b: number): boolean {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    return ka > kb || (ka === kb && this.ids[a]! < this.ids[b]!);
  }

  /** Places (key, id) at `slot` or above, moving later-ordered parents down. */
  private siftUp(slot: number, key: number, id: number): void {
    const { keys, ids } = this;
    let at = slot;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const parentKey = keys[parent]!;
      if (parentKey > key || (parentKey === key && ids[parent]! < id)) break;
      keys[at] = parentKey;
      ids[at] = ids[parent]!;
      at = parent;
    }
    keys[at] = key;
    ids[at] = id;
  }

  /** Places (key, id) at `slot` or below, moving earlier-ordered children up. */
  private siftDown(slot: number, key: number, id: number): void {
    const { keys, ids } = this;
    const length = this.heapLength;
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
