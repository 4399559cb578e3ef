import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findRepoRoot } from "./commands/bench-command.js";
import { captureIo } from "./test-support.js";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));

describe("Ctrl-C", () => {
  it("stops the demo with exit code 130 and leaves no file behind, whole or partial", async () => {
    const cwd = captureIo().cwd;
    const child = spawn(
      process.execPath,
      [MAIN, "demo", "--size", "3000", "--snapshot", "s.dpool", "--report", "r.html"],
      { cwd },
    );
    let stderr = "";
    const exit = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    // Interrupt once the first progress line shows the dream phase is under way.
    await new Promise<void>((started) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes("dreaming:")) started();
      });
    });
    child.kill("SIGINT");
    expect(await exit).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe("bench", () => {
  it("finds the repository root from the package, and nothing above the filesystem root", () => {
    const root = findRepoRoot(fileURLToPath(new URL(".", import.meta.url)));
    expect(root).not.toBeNull();
    expect(fileURLToPath(new URL("../../../", import.meta.url))).toBe(`${root}/`);
    expect(findRepoRoot("/")).toBeNull();
  });
});
