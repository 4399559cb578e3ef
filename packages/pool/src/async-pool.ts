import { type DreamResult, ok } from "@dreampool/errors";
import type { DreamPool } from "./dream-pool.js";
import type { DreamPoolLike } from "./types.js";

const resolved = <T>(value: T): Promise<DreamResult<T>> => Promise.resolve(ok(value));

/**
 * The in-memory pool behind the Promise-returning interface. Each call runs synchronously on the
 * pool and resolves with its result, so ordering is exactly the order of the calls.
 */
export function asyncView(pool: DreamPool): DreamPoolLike {
  return {
    add: (tensor, result, options) => Promise.resolve(pool.add(tensor, result, options)),
    addIfCoherent: (tensor, result, options) => Promise.resolve(pool.addIfCoherent(tensor, result, options)),
    addWithClass: (tensor, result, classLabel) =>
      Promise.resolve(pool.addWithClass(tensor, result, classLabel)),
    addBatch: (items, options) => Promise.resolve(pool.addBatch(items, options)),
    get: (id) => resolved(pool.get(id)),
    has: (id) => resolved(pool.has(id)),
    remove: (id) => resolved(pool.remove(id)),
    entries: () => resolved(pool.entries()),
    size: () => resolved(pool.size),
    clear: () => resolved(pool.clear()),
    feedback: (id, input) => Promise.resolve(pool.feedback(id, input)),
    retrieve: (query, options) => Promise.resolve(pool.retrieve(query, options)),
    retrieveSimilar: (rgb, k) => Promise.resolve(pool.retrieveSimilar(rgb, k)),
    retrieveSimilarClass: (rgb, cls, k) => Promise.resolve(pool.retrieveSimilarClass(rgb, cls, k)),
    retrieveBalanced: (rgb, classes, kPerClass) =>
      Promise.resolve(pool.retrieveBalanced(rgb, classes, kPerClass)),
    retrieveByUtility: (rgb, k, minUtility) => Promise.resolve(pool.retrieveByUtility(rgb, k, minUtility)),
    retrieveDiverse: (rgb, k, lambda, minDispersion) =>
      Promise.resolve(pool.retrieveDiverse(rgb, k, lambda, minDispersion)),
    retrieveSoft: (query, k, weights) => Promise.resolve(pool.retrieveSoft(query, k, weights)),
    stats: () => resolved(pool.stats()),
    close: () => resolved(undefined),
  };
}
