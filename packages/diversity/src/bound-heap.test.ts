import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BoundHeap } from "./bound-heap.js";

/** MMR order: larger key first, then lower id. */
const mmrOrder = (a: [number, number], b: [number, number]) => b[1] - a[1] || a[0] - b[0];

describe("BoundHeap", () => {
  it("pops in MMR order: larger key first, ties to the lower id", () => {
    const heap = new BoundHeap(6);
    const entries: [number, number][] = [
      [4, 0.5],
      [1, 0.25],
      [3, 0.5],
      [0, -1],
      [5, 0.75],
      [2, 0.25],
    ];
    for (const [id, key] of entries) heap.append(id, key);
    heap.heapify();
    expect(heap.size).toBe(6);
    expect(heap.topId()).toBe(5);
    expect(heap.topKey()).toBe(0.75);
    const popped: number[] = [];
    while (heap.size > 0) popped.push(heap.pop());
    expect(popped).toEqual([5, 3, 4, 1, 2, 0]);
    expect(heap.pop()).toBe(-1);
    expect(heap.topId()).toBe(-1);
    expect(heap.topKey()).toBe(Number.NEGATIVE_INFINITY);
  });

  it("names the runner-up slot: none when alone, the only child, or the earlier of two", () => {
    const heap = new BoundHeap(3);
    heap.append(7, 1);
    heap.heapify();
    expect(heap.rivalSlot()).toBe(-1);
    const pair = new BoundHeap(2);
    pair.append(1, 0.5);
    pair.append(0, 0.9);
    pair.heapify();
    expect(pair.topId()).toBe(0);
    expect(pair.idAt(pair.rivalSlot())).toBe(1);
    const three = new BoundHeap(3);
    three.append(9, 2);
    three.append(4, 1);
    three.append(2, 1);
    three.heapify();
    const rival = three.rivalSlot();
    expect(three.idAt(rival)).toBe(2); // equal keys: the lower id is the runner-up
    expect(three.keyAt(rival)).toBe(1);
  });

  it("keeps the order when the top's key falls (the lazy refresh), on random data", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 80 }),
        fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 60 }),
        (keys, drops) => {
          const heap = new BoundHeap(keys.length);
          const model: [number, number][] = keys.map((key, id) => [id, key / 4]);
          for (const [id, key] of model) heap.append(id, key);
          heap.heapify();
          for (const drop of drops) {
            if (heap.size === 0) break;
            model.sort(mmrOrder);
            expect(heap.topId()).toBe(model[0]![0]);
            expect(heap.topKey()).toBe(model[0]![1]);
            if (drop === 0) {
              expect(heap.pop()).toBe(model.shift()![0]);
            } else {
              model[0]![1] -= drop / 8;
              heap.updateTop(model[0]![1]);
            }
          }
          model.sort(mmrOrder);
          const rest: number[] = [];
          while (heap.size > 0) rest.push(heap.pop());
          expect(rest).toEqual(model.map(([id]) => id));
        },
      ),
      { numRuns: 300 },
    );
  });
});
