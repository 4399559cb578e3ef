import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DreamResult, ok } from "dreampool";
import type { CliIo } from "../io.js";

export interface BenchCommandOptions {
  readonly quick?: boolean;
}

/** The dreampool repository root above `start` (it has pnpm-workspace.yaml and benchmarks/), or null. */
export function findRepoRoot(start: string): string | null {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml")) && existsSync(join(dir, "benchmarks"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Runs `pnpm bench` (or `bench:quick`) at the repository root; outside the repository, says how. */
export async function benchCommand(o: BenchCommandOptions, io: CliIo): Promise<DreamResult<number>> {
  const script = o.quick ? "bench:quick" : "bench";
  const root = findRepoRoot(dirname(fileURLToPath(import.meta.url))) ?? findRepoRoot(io.cwd);
  if (root === null) {
    io.stdout(
      `The benchmark pipeline lives in the dreampool repository: clone it, then run\n  pnpm install && pnpm ${script}\n`,
    );
    return ok(0);
  }
  io.stderr(`running pnpm ${script} in ${root}\n`);
  const code = await new Promise<number>((done) => {
    const child = spawn("pnpm", [script], { cwd: root, stdio: "inherit" });
    child.on("error", () => done(127));
    child.on("exit", (status) => done(status ?? 1));
  });
  return ok(code);
}
