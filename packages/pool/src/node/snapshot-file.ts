import { randomBytes } from "node:crypto";
import { open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { type DreamResult, err, featureUnavailable, invalidParameter, ok } from "@dreampool/errors";

// Node-only file I/O for pool snapshots, kept out of the core so the pool itself imports no node:*.
// The core reaches it through a lazy import in DreamPool.save / DreamPool.load.

/** Snapshot files above this are refused before reading (a pool of 2^31 entries does not fit anyway). */
export const MAX_SNAPSHOT_FILE_BYTES = 2 ** 31 - 1;

/** Temp files of a save older than this are leftovers of a crashed writer (a live save takes far less). */
export const STALE_TEMP_MS = 10 * 60 * 1000;

const tempPattern = (target: string): RegExp =>
  new RegExp(`^\\.${target.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.[0-9a-f]{12}\\.tmp$`);

/**
 * Removes temp files that a writer killed mid-save left beside `path` (they are never read, but
 * would pile up). Only files older than STALE_TEMP_MS go, so a save running in another process is
 * left alone. Best effort: failures are ignored.
 */
export async function removeStaleTempFiles(path: string, now = Date.now()): Promise<number> {
  const dir = dirname(path);
  const pattern = tempPattern(basename(path));
  let removed = 0;
  try {
    for (const name of await readdir(dir)) {
      if (!pattern.test(name)) continue;
      const file = join(dir, name);
      const info = await stat(file).catch(() => null);
      if (
        info &&
        now - info.mtimeMs > STALE_TEMP_MS &&
        (await unlink(file).then(
          () => true,
          () => false,
        ))
      )
        removed++;
    }
  } catch {
    // An unreadable directory only means nothing is cleaned up.
  }
  return removed;
}

const ioError = (operation: string, path: string, thrown: unknown) =>
  featureUnavailable(
    `snapshot ${operation}`,
    `${path}: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
  );

/**
 * Writes `bytes` to `path` atomically: a temp file in the same directory, fsync, rename over the
 * target, then fsync of the directory so the rename itself survives a crash. A reader sees the old
 * file or the new one, never a mix.
 */
export async function writeSnapshotFile(path: string, bytes: Uint8Array): Promise<DreamResult<void>> {
  if (typeof path !== "string" || path.length === 0)
    return err(invalidParameter("path", path, "must be a non-empty path"));
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (thrown) {
    await unlink(temp).catch(() => undefined);
    return err(ioError("write", path, thrown));
  }
  try {
    const dir = await open(dirname(path), "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename already happened.
  }
  await removeStaleTempFiles(path);
  return ok(undefined);
}

/** Reads a snapshot file (checked for size first); decoding and verification happen in fromBytes. */
export async function readSnapshotFile(path: string): Promise<DreamResult<Uint8Array>> {
  if (typeof path !== "string" || path.length === 0)
    return err(invalidParameter("path", path, "must be a non-empty path"));
  try {
    const info = await stat(path);
    if (info.size > MAX_SNAPSHOT_FILE_BYTES) {
      return err(
        invalidParameter(
          "path",
          path,
          `must name a snapshot of at most ${MAX_SNAPSHOT_FILE_BYTES} bytes (it has ${info.size})`,
        ),
      );
    }
    return ok(new Uint8Array(await readFile(path)));
  } catch (thrown) {
    return err(ioError("read", path, thrown));
  }
}
