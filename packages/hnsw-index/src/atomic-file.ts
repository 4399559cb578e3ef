import { open, readFile, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import {
  criticalState,
  type DreamError,
  type DreamResult,
  err,
  invalidParameter,
  ok,
} from "@dreampool/errors";

let tempCounter = 0;

function ioError(thrown: unknown, path: string, context: string): DreamError {
  const code = (thrown as { code?: unknown }).code;
  if (code === "ENOENT" || code === "ENOTDIR") {
    return invalidParameter("path", path, "must name a file in an existing directory", { cause: thrown });
  }
  if (code === "EACCES" || code === "EPERM" || code === "EISDIR" || code === "EROFS") {
    return invalidParameter("path", path, `must be writable/readable (${String(code)})`, { cause: thrown });
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return criticalState(context, `I/O failed on ${path}: ${message}`, { cause: thrown });
}

/**
 * Writes `bytes` to `path` so that readers see the old file or the whole new one, never a torn
 * one: temp file in the same directory, write, fsync, stat-check the size, rename over `path`.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<DreamResult<void>> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${++tempCounter}.tmp`);
  try {
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const written = (await stat(temp)).size;
    if (written !== bytes.length) {
      await unlink(temp).catch(() => undefined);
      return err(criticalState("HnswIndex.save", `wrote ${written} of ${bytes.length} bytes to ${temp}`));
    }
    await rename(temp, path);
    await syncDirectory(dirname(path));
    return ok(undefined);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    return err(ioError(e, path, "HnswIndex.save"));
  }
}

/** Makes the rename itself durable; some platforms cannot fsync a directory, which is not an error. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort (e.g. Windows, some network file systems)
  }
}

export async function readFileResult(path: string): Promise<DreamResult<Uint8Array>> {
  try {
    return ok(new Uint8Array(await readFile(path)));
  } catch (e) {
    return err(ioError(e, path, "HnswIndex.load"));
  }
}
