// The benchmarks package's own `bench`: runs every peer/cross-package suite in src/*.bench.ts, one
// child process each (isolated heaps, gc exposed), with a progress line per suite, then renders the
// report. Package suites run before this through turbo (`bench` depends on `^bench`).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isQuick } from "@dreampool/bench-kit";
import { report } from "./report.js";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const suites = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => !only || only.some((o) => f.startsWith(o)))
  .sort();

let failures = 0;
const started = Date.now();
const timings: string[] = [];
suites.forEach((file, i) => {
  const t0 = Date.now();
  console.log(`\n[${i + 1}/${suites.length}] ${file}${isQuick() ? " (quick)" : ""}`);
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", join(here, file)], {
    stdio: "inherit",
    cwd: resolve(here, ".."),
    env: process.env,
  });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  timings.push(
    `  ${file.replace(/\.bench\.ts$/, "").padEnd(22)} ${secs.padStart(6)} s${r.status === 0 ? "" : "  FAILED"}`,
  );
  if (r.status !== 0) {
    failures++;
    console.log(`[${i + 1}/${suites.length}] ${file} FAILED (exit ${r.status ?? r.signal}) after ${secs} s`);
  } else console.log(`[${i + 1}/${suites.length}] ${file} done in ${secs} s`);
});
console.log(
  `\n${suites.length - failures}/${suites.length} peer suites done in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);
console.log(timings.join("\n"));
report();
if (failures > 0) process.exitCode = 1;
