import { readResult } from "./harness/tally.js";

// Prints the reliability figures of the last complete test run (and of the last `pnpm soak`) as
// plain lines, for CI logs: `pnpm --filter @dreampool/reliability --silent summary`.

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === "object" && v !== null ? (v as Json) : {});
const num = (v: unknown): number => (typeof v === "number" ? v : 0);
const fmt = (n: number) => n.toLocaleString("en-US");

const run = obj(readResult("last-run.json"));
const soak = obj(readResult("soak.json"));
const short = obj(run["soak-short"]);
const crash = obj(run.crash);
const files = obj(run["props-hostile-files"]);
const pgDrop = obj(run["concurrency-postgres"]);
const lost = num(short.entriesLost) + num(crash.entriesLost) + num(soak.entriesLost);
console.log(`reliability (test run ${String(run.finishedAt ?? "none")}):`);
console.log(`  ${fmt(num(obj(run.badInputs).total))} bad-input cases tried`);
console.log(
  `  short soak: ${fmt(num(short.operations))} operations, ${fmt(num(short.invariantChecks))} invariant checks, ${(short.violations as unknown[] | undefined)?.length ?? 0} violations`,
);
console.log(
  `  crash: ${fmt(num(crash.kills))} SIGKILLs (${fmt(num(crash.killedMidWrite))} during a write), ${fmt(num(files.truncations) + num(files.byteFlips) + num(files.resealedFlips))} damaged snapshots refused or loaded whole`,
);
console.log(
  `  postgres: ${fmt(num(pgDrop.pgliteFaultsInjected))} injected transaction faults, ${pgDrop.server ? `${fmt(num(pgDrop.serverBackendsTerminated))} server backends terminated` : "no server (DREAMPOOL_PG_URL unset)"}`,
);
console.log(
  `  full soak (pnpm soak, ${String(soak.startedAt ?? "not run")}): ${fmt(num(soak.operations))} operations in ${(num(soak.durationMs) / 1000).toFixed(0)} s, heap ratio ${typeof soak.heapRatio === "number" ? soak.heapRatio.toFixed(4) : "n/a"}`,
);
console.log(`  entries lost: ${lost}`);
