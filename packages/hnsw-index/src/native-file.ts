import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { criticalState, type DreamResult, err, ok } from "@dreampool/errors";
import { HierarchicalNSW, type NativeIndex, type NativeSpace, translateNativeError } from "./native.js";

/** Size of hnswlib's fixed header (hnswalg.h saveIndex): 6 size_t, int, uint, 3 size_t, double, size_t. */
export const NATIVE_HEADER_BYTES = 8 * 6 + 4 + 4 + 8 * 3 + 8 + 8;

/** The fields of hnswlib's binary header we cross-check against the sidecar. */
export interface NativeHeader {
  readonly maxElements: number;
  readonly elementCount: number;
  /** Bytes of one stored row: 4 * dim for float32 rows. */
  readonly rowBytes: number;
  readonly m: number;
  readonly efConstruction: number;
}

export function readNativeHeader(bytes: Uint8Array): NativeHeader | null {
  if (bytes.length < NATIVE_HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sizeAt = (offset: number) => Number(view.getBigUint64(offset, true));
  const labelOffset = sizeAt(32);
  const dataOffset = sizeAt(40);
  return {
    maxElements: sizeAt(8),
    elementCount: sizeAt(16),
    rowBytes: labelOffset - dataOffset,
    m: sizeAt(8 * 6 + 8 + 16),
    efConstruction: sizeAt(8 * 6 + 8 + 24 + 8),
  };
}

/** Runs `use` with a fresh private directory under os.tmpdir(), removed afterwards whatever happens. */
function withTempDir<T>(use: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "dreampool-hnsw-"));
  try {
    return use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * hnswlib's binary of `native`. hnswlib only writes to paths, and reports success even when nothing
 * was written (peers.md §2.4 item 3), so we stat the file before trusting it.
 */
export function nativeToBytes(native: NativeIndex): DreamResult<Uint8Array> {
  return withTempDir((dir) => {
    const file = join(dir, "index.hnsw");
    try {
      native.writeIndexSync(file);
    } catch (e) {
      return err(translateNativeError(e, "HnswIndex.toBytes"));
    }
    let size = -1;
    try {
      size = statSync(file).size;
    } catch {
      // size stays -1: reported below
    }
    if (size < NATIVE_HEADER_BYTES) {
      return err(
        criticalState("HnswIndex.toBytes", `hnswlib reported a successful write but left ${size} bytes`),
      );
    }
    return ok(new Uint8Array(readFileSync(file)));
  });
}

/**
 * A fresh native index read from `bytes`. Always a new object: hnswlib's readIndexSync frees the old
 * index before reading and leaves it dangling on failure, so a failed load must not touch a live index.
 */
export function nativeFromBytes(
  space: NativeSpace,
  dim: number,
  bytes: Uint8Array,
): DreamResult<NativeIndex> {
  return withTempDir((dir) => {
    const file = join(dir, "index.hnsw");
    writeFileSync(file, bytes);
    try {
      const native = new HierarchicalNSW(space, dim);
      native.readIndexSync(file, true);
      return ok(native);
    } catch (e) {
      return err(translateNativeError(e, "HnswIndex.fromBytes"));
    }
  });
}
