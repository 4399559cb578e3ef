import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DreamPool } from "dreampool/pool";
import { seededRandom } from "dreampool/tensor";
import { afterAll, describe, expect, it } from "vitest";
import { dreamResult, dreamTensor } from "../harness/fixtures.js";
import { writePart } from "../harness/tally.js";

// Long fault-injection runs: on a loaded CI machine (every package testing at once) they can take
// several times their quiet-machine time; a timeout is not what they check.
const LONG_TEST_MS = 300_000;

// Crash safety of DreamPool.save: a child process saves snapshots in a loop and is killed with
// SIGKILL at random moments. After every kill the file must hold exactly one complete snapshot —
// the last one the child finished, or the one it was writing if the rename already happened —
// and it must load.

const WRITER = join(dirname(fileURLToPath(import.meta.url)), "snapshot-writer.mjs");
const KILLS = Number(process.env.RELIABILITY_KILLS ?? 50);
const dir = mkdtempSync(join(tmpdir(), "dreampool-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Round {
  readonly begun: Map<number, { digest: string; size: number }>;
  readonly done: Set<number>;
}

/** Starts the writer, kills it `delayMs` after it is ready, and reports what it announced. */
function killedWriter(path: string, first: number, seed: number, delayMs: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, path, String(first), String(seed)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const round: Round = { begun: new Map(), done: new Set() };
    let buffered = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on("data", (d: Buffer) => {
      buffered += d.toString();
      let nl = buffered.indexOf("\n");
      while (nl >= 0) {
        const [word, g, digest, size] = buffered.slice(0, nl).split(" ");
        buffered = buffered.slice(nl + 1);
        if (word === "ready" && timer === undefined) timer = setTimeout(() => child.kill("SIGKILL"), delayMs);
        if (word === "begin") round.begun.set(Number(g), { digest: String(digest), size: Number(size) });
        if (word === "done") round.done.add(Number(g));
        nl = buffered.indexOf("\n");
      }
    });
    child.on("error", reject);
    child.on("exit", (_code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== "SIGKILL")
        reject(new Error(`writer exited without being killed (signal ${signal}): ${stderr}`));
      else resolve(round);
    });
  });
}

interface LaneFigures {
  kills: number;
  killedMidWrite: number;
  landedOnNew: number;
  loads: number;
  generations: number;
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** One file, `kills` writers killed one after another; every check runs after every kill. */
async function killLane(lane: number, kills: number): Promise<LaneFigures> {
  const path = join(dir, `pool-${lane}.snapshot`);
  // Generation 0: written by this process, so a "previous snapshot" exists before the first kill.
  const initial = DreamPool.create({ maxSize: 50, clock: () => 1 });
  if (!initial.ok) throw initial.error;
  for (let i = 0; i < 5; i++) initial.value.add(dreamTensor(i), dreamResult(i));
  expect((await initial.value.save(path)).ok).toBe(true);
  let committed = { generation: 0, digest: sha256(readFileSync(path)), size: 5 };
  const rng = seededRandom(4242 + lane);
  const figures: LaneFigures = { kills: 0, killedMidWrite: 0, landedOnNew: 0, loads: 0, generations: 0 };
  let next = 1;
  for (let k = 0; k < kills; k++) {
    const round = await killedWriter(path, next, 1000 * lane + k, Math.floor(rng() * 120));
    figures.kills++;
    const digest = sha256(new Uint8Array(readFileSync(path)));
    // Allowed: what was there before this round, or any generation this round announced
    // (the newest one may have been renamed into place just before the kill).
    const allowed = new Map<string, { generation: number; size: number }>([[committed.digest, committed]]);
    for (const [g, b] of round.begun) allowed.set(b.digest, { generation: g, size: b.size });
    const match = allowed.get(digest);
    expect(
      match,
      `lane ${lane}, kill ${k}: the file is not a complete snapshot (sha256 ${digest})`,
    ).toBeDefined();
    if (!match) return figures;
    const newest = Math.max(0, ...round.begun.keys());
    const inFlight = round.begun.size > 0 && !round.done.has(newest);
    if (inFlight) figures.killedMidWrite++;
    if (inFlight && match.generation === newest) figures.landedOnNew++;
    // The file is never older than the last save that finished.
    const lastDone = Math.max(committed.generation, ...round.done);
    expect(
      match.generation,
      `lane ${lane}, kill ${k}: the file went back to an older snapshot`,
    ).toBeGreaterThanOrEqual(lastDone);
    const loaded = await DreamPool.load(path);
    figures.loads++;
    expect(loaded.ok, `lane ${lane}, kill ${k}: the snapshot on disk does not load`).toBe(true);
    if (loaded.ok) expect(loaded.value.size, `lane ${lane}, kill ${k}`).toBe(match.size);
    committed = { generation: match.generation, digest, size: match.size };
    next = Math.max(next, newest + 1);
  }
  figures.generations = next - 1;
  return figures;
}

describe("crash safety: SIGKILL during DreamPool.save", () => {
  it(
    `the snapshot file is always a complete earlier snapshot and loads (${KILLS} kills)`,
    async () => {
      // Two files killed in parallel (one per core): the same checks, half the wall time.
      const lanes = await Promise.all([
        killLane(0, Math.ceil(KILLS / 2)),
        killLane(1, Math.floor(KILLS / 2)),
      ]);
      const sum = (key: keyof LaneFigures) => lanes.reduce((s, l) => s + l[key], 0);
      const leftovers = readdirSync(dir).filter((f) => f.endsWith(".tmp")).length;
      writePart("crash", {
        kills: sum("kills"),
        killedMidWrite: sum("killedMidWrite"),
        killedAfterRenameBeforeAck: sum("landedOnNew"),
        loadsAfterKill: sum("loads"),
        generationsWritten: sum("generations"),
        orphanTempFiles: leftovers,
        entriesLost: 0,
      });
      expect(sum("kills")).toBe(KILLS);
      expect(sum("killedMidWrite"), "kills should land inside writes").toBeGreaterThanOrEqual(5);
    },
    LONG_TEST_MS,
  );
});
