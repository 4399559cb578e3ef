import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIo } from "./io.js";

/** An in-memory CliIo for tests, with its own temp directory as cwd. */
export function captureIo(): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  const cwd = mkdtempSync(join(tmpdir(), "dreampool-cli-"));
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    tty: null,
    cwd,
    out: () => out,
    err: () => err,
  };
}
