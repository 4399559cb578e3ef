import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BoundQueue } from "./bound-queue.js";

/** MMR order: larger key first, then lower id. */
const mmrOrder = (a: [number, number], b: [number, number]) => b[1] - a[1] || a[0] - b[0];

function queueOf(entries: readonly [number, number][], idLimit = entries.length): BoundQueue {
  const queue = new BoundQueue(entries.length, idLimit);
  for (const [id, key] of entries) queue.append(id, key);
  queue.build();
  return queue;
}

describe("BoundQueue", () => {
  it("pops in MMR order: larger key first, ties to the lower id", () => {
    const queue = queueOf([
      [4, 0.5],
      [1, 0.25],
      [3, 0.5],
      [0, -1],
      [5, 0.75],
      [2, 0.25],
    ]);
    expect(queue.size).toBe(6);
    expect(queue.topId()).toBe(5);
    expect(queue.topKey()).toBe(0.75);
    const popped: number[] = [];
    while (queue.size > 0) popped.push(queue.pop());
    expect(popped).toEqual([5, 3, 4, 1, 2, 0]);
    expect(queue.pop()).toBe(-1);
    expect(queue.topId()).toBe(-1);
    expect(queue.topKey()).toBe(Number.NEGATIVE_INFINITY);
  });

  it("names the runner-up slot: none when alone, else the earlier of the top's children", () => {
    const alone = queueOf([[7, 1]], 8);
    expect(alone.rivalSlot()).toBe(-1);
    const pair = queueOf([
      [1, 0.5],
      [0, 0.9],
    ]);
    expect(pair.topId()).toBe(0);
    expect(pair.idAt(pair.rivalSlot())).toBe(1);
    const three = queueOf(
      [
        [9, 2],
        [4, 1],
        [2, 1],
      ],
      10,
    );
    const rival = three.rivalSlot();
    expect(three.idAt(rival)).toBe(2); // equal keys: the lower id is the runner-up
    expect(three.keyAt(rival)).toBe(1);
  });

  it("knows the runner-up even when it still waits in a lower bucket", () => {
    // Keys spread over many buckets: the top's key falls below several parked keys at once.
    const queue = queueOf(Array.from({ length: 50 }, (_, id): [number, number] => [id, 100 - 2 * id]));
    expect(queue.topId()).toBe(0);
    expect(queue.idAt(queue.rivalSlot())).toBe(1);
    queue.updateTop(93); // now between ids 3 (94) and 4 (92)
    expect(queue.topId()).toBe(1);
    expect(queue.idAt(queue.rivalSlot())).toBe(2);
    const order: number[] = [];
    for (let i = 0; i < 5; i++) order.push(queue.pop());
    expect(order).toEqual([1, 2, 3, 0, 4]);
  });

  it("keeps the order when the top's key falls (the lazy refresh), on random data", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 80 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 120 }),
        fc.boolean(),
        (keys, drops, allEqual) => {
          const model: [number, number][] = keys.map((key, id) => [id, allEqual ? 0.5 : key / 4]);
          const queue = queueOf(model);
          for (const drop of drops) {
            if (queue.size === 0) break;
            model.sort(mmrOrder);
            expect(queue.size).toBe(model.length);
            expect(queue.topId()).toBe(model[0]![0]);
            expect(queue.topKey()).toBe(model[0]![1]);
            const rival = queue.rivalSlot();
            if (model.length < 2) expect(rival).toBe(-1);
            else expect([queue.idAt(rival), queue.keyAt(rival)]).toEqual(model[1]);
            if (drop === 0) {
              expect(queue.pop()).toBe(model.shift()![0]);
            } else {
              // Falls by up to 7.5, often below the lowest initial key (the last bucket).
              model[0]![1] -= drop / 8;
              queue.updateTop(model[0]![1]);
            }
          }
          model.sort(mmrOrder);
          const rest: number[] = [];
          while (queue.size > 0) rest.push(queue.pop());
          expect(rest).toEqual(model.map(([id]) => id));
        },
      ),
      { numRuns: 400 },
    );
  });
});
