import { resolve } from "node:path";
import { DreamPool, type DreamResult } from "dreampool";

/** Loads a snapshot file relative to the working directory (missing or corrupt files are errors). */
export function loadSnapshot(path: string, cwd: string): Promise<DreamResult<DreamPool>> {
  return DreamPool.load(resolve(cwd, path));
}
