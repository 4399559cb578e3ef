import { capacityExceeded, type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import { JsRowSlab } from "./row-slab.js";
import { SimdRowSlab } from "./simd-slab.js";
import { simdAvailable } from "./wasm-kernel.js";

/** The two slabs ExactIndex can scan. */
export type ScanSlab = JsRowSlab | SimdRowSlab;

// `simd`: undefined = SIMD where it validates, else JS; true = SIMD or an error; false = JS.

/** An empty slab of `capacity` rows on the chosen path. */
export function emptySlab(dim: number, capacity: number, simd: boolean | undefined): DreamResult<ScanSlab> {
  const noSimd = unavailable(simd);
  if (noSimd) return noSimd;
  const slab =
    (simd !== false ? SimdRowSlab.create(dim, capacity) : null) ??
    (simd !== true ? JsRowSlab.create(dim, capacity) : null);
  return slab === null ? err(capacityExceeded(capacity, 0)) : ok(slab);
}

/**
 * A slab holding packed rows (count x dim). The JS slab adopts them as they are (capacity =
 * count, the next add doubles); the SIMD slab copies them into WebAssembly memory.
 */
export function packedSlab(
  dim: number,
  packed: Float32Array,
  emptyCapacity: number,
  simd: boolean | undefined,
): DreamResult<ScanSlab> {
  if (packed.length === 0) return emptySlab(dim, emptyCapacity, simd);
  const noSimd = unavailable(simd);
  if (noSimd) return noSimd;
  const slab = simd !== false ? SimdRowSlab.fromPacked(dim, packed) : null;
  if (slab !== null) return ok(slab);
  return simd === true ? err(capacityExceeded(packed.length / dim, 0)) : ok(JsRowSlab.adopt(dim, packed));
}

function unavailable(simd: boolean | undefined): DreamResult<never> | null {
  return simd === true && !simdAvailable()
    ? err(invalidParameter("simd", simd, "needs WebAssembly SIMD, which this runtime does not validate"))
    : null;
}
