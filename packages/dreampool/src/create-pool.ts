import type { DreamResult } from "@dreampool/errors";
import { DreamPool, type DreamPoolOptions } from "@dreampool/pool";

/**
 * A new in-memory dream pool: `DreamPool.create(options)` under the name most people look for.
 * Bad options give an InvalidConfiguration error naming the field.
 */
export function createPool(options: DreamPoolOptions = {}): DreamResult<DreamPool> {
  return DreamPool.create(options);
}
