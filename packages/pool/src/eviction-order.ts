import type { EntryRecord } from "./entry-record.js";
import type { EvictionPolicy } from "./types.js";

/**
 * The order in which entries leave the pool. `victims()` walks candidates best-to-evict first
 * without changing anything, so the add path can choose its victims before it commits.
 */
export interface EvictionOrder {
  readonly policy: EvictionPolicy;
  readonly size: number;
  insert(record: EntryRecord): void;
  remove(record: EntryRecord): void;
  /** The entry was returned by a retrieval (lastUsedAt changed). */
  touched(record: EntryRecord): void;
  /** The entry's mean utility changed. */
  utilityChanged(record: EntryRecord): void;
  victims(): IterableIterator<EntryRecord>;
  clear(): void;
}

export function createEvictionOrder(policy: EvictionPolicy): EvictionOrder {
  return policy === "lowest-utility" ? new UtilityHeapOrder() : new QueueOrder(policy);
}

/**
 * fifo and lru: an insertion-ordered Map. fifo never reorders; lru moves an entry to the back on
 * every use (delete + set, O(1)), so the front is always the least recently used.
 */
class QueueOrder implements EvictionOrder {
  private readonly queue = new Map<string, EntryRecord>();
  constructor(readonly policy: "fifo" | "lru") {}

  get size(): number {
    return this.queue.size;
  }
  insert(record: EntryRecord): void {
    this.queue.set(record.id, record);
  }
  remove(record: EntryRecord): void {
    this.queue.delete(record.id);
  }
  touched(record: EntryRecord): void {
    if (this.policy === "lru" && this.queue.delete(record.id)) this.queue.set(record.id, record);
  }
  utilityChanged(): void {}
  victims(): IterableIterator<EntryRecord> {
    return this.queue.values();
  }
  clear(): void {
    this.queue.clear();
  }
}

/** Lower utility first; among equals, the older entry (smaller insertion sequence) first. */
const before = (a: EntryRecord, b: EntryRecord): boolean =>
  a.utilityKey < b.utilityKey || (a.utilityKey === b.utilityKey && a.seq < b.seq);

/**
 * lowest-utility: an indexed binary min-heap keyed by (mean utility, age), so insert, remove and a
 * utility update are O(log n) and the victim is at the root.
 */
class UtilityHeapOrder implements EvictionOrder {
  readonly policy = "lowest-utility" as const;
  private readonly heap: EntryRecord[] = [];
  private readonly slotOf = new Map<string, number>();

  get size(): number {
    return this.heap.length;
  }

  insert(record: EntryRecord): void {
    this.heap.push(record);
    this.slotOf.set(record.id, this.heap.length - 1);
    this.siftUp(this.heap.length - 1);
  }

  remove(record: EntryRecord): void {
    const slot = this.slotOf.get(record.id);
    if (slot === undefined) return;
    this.slotOf.delete(record.id);
    const last = this.heap.pop() as EntryRecord;
    if (slot === this.heap.length) return;
    this.heap[slot] = last;
    this.slotOf.set(last.id, slot);
    this.restore(slot);
  }

  touched(): void {}

  utilityChanged(record: EntryRecord): void {
    const slot = this.slotOf.get(record.id);
    if (slot !== undefined) this.restore(slot);
  }

  /** The k smallest of a heap in order, lazily: a frontier of heap slots ordered by their records. */
  *victims(): IterableIterator<EntryRecord> {
    if (this.heap.length === 0) return;
    const frontier: number[] = [0];
    const less = (i: number, j: number) => before(this.heap[i] as EntryRecord, this.heap[j] as EntryRecord);
    while (frontier.length > 0) {
      const slot = popMin(frontier, less);
      yield this.heap[slot] as EntryRecord;
      for (const child of [2 * slot + 1, 2 * slot + 2]) {
        if (child < this.heap.length) pushHeap(frontier, child, less);
      }
    }
  }

  clear(): void {
    this.heap.length = 0;
    this.slotOf.clear();
  }

  private restore(slot: number): void {
    this.siftDown(this.siftUp(slot));
  }

  private siftUp(start: number): number {
    let i = start;
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i] as EntryRecord, h[parent] as EntryRecord)) break;
      this.swap(i, parent);
      i = parent;
    }
    return i;
  }

  private siftDown(start: number): void {
    let i = start;
    const h = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < h.length && before(h[left] as EntryRecord, h[best] as EntryRecord)) best = left;
      if (right < h.length && before(h[right] as EntryRecord, h[best] as EntryRecord)) best = right;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }

  private swap(i: number, j: number): void {
    const h = this.heap;
    const a = h[i] as EntryRecord;
    const b = h[j] as EntryRecord;
    h[i] = b;
    h[j] = a;
    this.slotOf.set(b.id, i);
    this.slotOf.set(a.id, j);
  }
}

// A tiny binary heap of numbers under a custom order, for the lazy in-order walk above.
function pushHeap(h: number[], value: number, less: (a: number, b: number) => boolean): void {
  h.push(value);
  let i = h.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!less(h[i] as number, h[parent] as number)) break;
    [h[i], h[parent]] = [h[parent] as number, h[i] as number];
    i = parent;
  }
}

function popMin(h: number[], less: (a: number, b: number) => boolean): number {
  const top = h[0] as number;
  const last = h.pop() as number;
  if (h.length === 0) return top;
  h[0] = last;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let best = i;
    if (left < h.length && less(h[left] as number, h[best] as number)) best = left;
    if (right < h.length && less(h[right] as number, h[best] as number)) best = right;
    if (best === i) return top;
    [h[i], h[best]] = [h[best] as number, h[i] as number];
    i = best;
  }
}
