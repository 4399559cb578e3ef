import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DreamPool } from "dreampool";
import { beforeAll, describe, expect, it } from "vitest";
import { CLI_MODES } from "./args.js";
import { runCli } from "./cli.js";
import type { DemoReport } from "./demo.js";
import { captureIo, expectedFills, svgFills } from "./test-support.js";

const MAIN = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const run = promisify(execFile);

/** Runs dist/main.js; resolves with its code, stdout and stderr whatever the exit code. */
async function child(args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function checkReport(report: DemoReport, k: number) {
  expect(report.stats.count).toBeGreaterThan(0);
  expect(report.retrieval.map((m) => m.mode)).toEqual([...CLI_MODES]);
  for (const mode of report.retrieval) {
    expect(mode.queries).toHaveLength(10);
    for (const q of mode.queries) expect(q.results).toHaveLength(k);
  }
  expect(report.snapshot.verified).toBe(true);
  expect(report.snapshot.mismatches).toEqual([]);
  expect(report.snapshot.compared).toBe(40);
}

describe("dreampool demo --json", () => {
  let io: ReturnType<typeof captureIo>;
  let report: DemoReport;
  beforeAll(async () => {
    io = captureIo();
    const code = await runCli(
      ["demo", "--size", "80", "--ab-targets", "10", "-k", "3", "--snapshot", "s.dpool", "--json"],
      io,
    );
    expect(code).toBe(0);
    report = JSON.parse(io.out()) as DemoReport;
  });

  it("fills the pool, answers k results in every mode and reloads the snapshot identically", () => {
    checkReport(report, 3);
    expect(report.dreams.generated).toBe(80);
    // The gate turns the achromatic dreams away (see DEMO_COHERENCE_THRESHOLD) and keeps the rest.
    expect(report.dreams.added).toBe(report.stats.count);
    expect(report.dreams.gatedOut).toBe(80 - report.dreams.added);
    for (const c of report.dreams.byClass) {
      const chromatic = c.classLabel !== "White" && c.classLabel !== "Black";
      expect(c.added === c.dreams).toBe(chromatic);
    }
  });

  it("prints only JSON on stdout and nothing on stderr", () => {
    expect(io.err()).toBe("");
    expect(io.out().trimStart().startsWith("{")).toBe(true);
  });

  it("reports both A/B arms over every target and records feedback on the retrieved dreams", () => {
    const ab = report.seeding;
    expect(ab.noise.finalObjective).toHaveLength(10);
    expect(ab.seeded.finalObjective).toHaveLength(10);
    expect(ab.noise.curve).toHaveLength(ab.maxSteps + 1);
    expect(ab.feedback.entries).toBe(10);
    // The threshold is the noise arm's median final J plus 5%, so at least half of that arm reaches it.
    expect(ab.noise.reached).toBeGreaterThanOrEqual(5);
  });

  it("gives the same report for the same seed", async () => {
    const again = captureIo();
    await runCli(
      ["demo", "--size", "80", "--ab-targets", "10", "-k", "3", "--snapshot", "s.dpool", "--json"],
      again,
    );
    const second = JSON.parse(again.out()) as DemoReport;
    expect(second.seeding).toEqual(report.seeding);
    expect(second.retrieval).toEqual(report.retrieval);
  });
});

describe("dist/main.js as a child process", () => {
  it("runs the demo and prints its JSON", async () => {
    const cwd = captureIo().cwd;
    const { code, stdout } = await child(
      ["demo", "--size", "40", "--ab-targets", "5", "--snapshot", "d.dpool", "--json"],
      cwd,
    );
    expect(code).toBe(0);
    checkReport(JSON.parse(stdout) as DemoReport, 5);
  });

  it("exits with code 2 and one line on stderr for a bad argument", async () => {
    const { code, stderr, stdout } = await child(["demo", "-k", "0"], captureIo().cwd);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe('dreampool: InvalidParameter: -k = "0" violates: must be an integer in [1, 100]\n');
  });
});

describe("bad arguments: one clear line on stderr, exit code 2", () => {
  let snapshot: string;
  let cwd: string;
  beforeAll(async () => {
    const io = captureIo();
    cwd = io.cwd;
    snapshot = join(cwd, "ok.dpool");
    expect(
      await runCli(["demo", "--size", "30", "--ab-targets", "3", "--snapshot", snapshot, "--json"], io),
    ).toBe(0);
    const bytes = await readFile(snapshot);
    writeFileSync(join(cwd, "corrupt.dpool"), bytes.subarray(0, bytes.length >> 1));
  });

  const cases: [string, () => string[], RegExp][] = [
    [
      "unknown mode",
      () => ["query", snapshot, "--rgb", "1,0,0", "--mode", "sideways"],
      /--mode = "sideways" violates: must be one of hard, soft, hybrid, diverse/,
    ],
    ["k = 0 (demo)", () => ["demo", "-k", "0"], /-k = "0" violates: must be an integer in \[1, 100\]/],
    ["k = 0 (query)", () => ["query", snapshot, "--rgb", "1,0,0", "-k", "0"], /-k = "0" violates/],
    [
      "missing snapshot",
      () => ["inspect", join(cwd, "absent.dpool")],
      /FeatureUnavailable: snapshot read: .*absent\.dpool: ENOENT/,
    ],
    [
      "corrupted snapshot",
      () => ["query", join(cwd, "corrupt.dpool"), "--rgb", "1,0,0"],
      /IndexCorrupted: .*snapshot/,
    ],
    [
      "unreachable Postgres",
      () => ["demo", "--store", "postgres://127.0.0.1:1/x", "--size", "10"],
      /FeatureUnavailable: postgres: cannot reach 127\.0\.0\.1:1\/x/,
    ],
    [
      "not a Postgres URL",
      () => ["demo", "--store", "mysql://u:secret@h/db"],
      /--store = "\(the given value\)" violates/,
    ],
    ["unknown index", () => ["demo", "--index", "btree"], /argument 'btree' is invalid/],
    ["bad rgb", () => ["query", snapshot, "--rgb", "1,0"], /--rgb = "1,0" violates/],
    [
      "unknown class",
      () => ["query", snapshot, "--rgb", "1,0,0", "--class", "Teal"],
      /--class = "Teal" violates/,
    ],
    ["bad budget", () => ["demo", "--budget", "lots"], /--budget = "lots" violates/],
    ["missing --rgb", () => ["query", snapshot], /required option '--rgb <r,g,b>' not specified/],
    ["unknown option", () => ["demo", "--colour"], /unknown option '--colour'/],
  ];
  it.each(cases)("%s", async (_name, args, message) => {
    const io = captureIo();
    expect(await runCli(args(), io)).toBe(2);
    const lines = io
      .err()
      .split("\n")
      .filter((l) => l !== "");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dreampool: /);
    expect(lines[0]).toMatch(message);
    expect(io.err()).not.toMatch(/\n\s+at /);
    expect(io.err()).not.toContain("secret");
  });
});

describe("query and inspect", () => {
  let snapshot: string;
  beforeAll(async () => {
    const io = captureIo();
    snapshot = join(io.cwd, "pool.dpool");
    expect(
      await runCli(["demo", "--size", "60", "--ab-targets", "3", "--snapshot", snapshot, "--json"], io),
    ).toBe(0);
  });

  it("query returns k dreams of the requested class, nearest colour first", async () => {
    const io = captureIo();
    expect(
      await runCli(
        ["query", snapshot, "--rgb", "1,0.5,0", "--class", "orange", "--mode", "hard", "-k", "4", "--json"],
        io,
      ),
    ).toBe(0);
    const out = JSON.parse(io.out()) as { results: { classLabel: string; similarity: number }[] };
    expect(out.results).toHaveLength(4);
    for (const r of out.results) expect(r.classLabel).toBe("Orange");
    const sims = out.results.map((r) => r.similarity);
    expect([...sims].sort((a, b) => b - a)).toEqual(sims);
  });

  it("query prints a table with one row per result", async () => {
    const io = captureIo();
    expect(await runCli(["query", snapshot, "--rgb", "0,0,1", "-k", "3"], io)).toBe(0);
    const lines = io.out().trim().split("\n");
    expect(lines[1]).toMatch(/^\s*rank\s+id\s+class/);
    expect(lines.slice(2)).toHaveLength(3);
    expect(lines[2]).toMatch(/^\s*1\s+d\d+\s+Blue/);
  });

  it("inspect reports the pool's size, classes and a sample", async () => {
    const io = captureIo();
    expect(await runCli(["inspect", snapshot, "--sample", "4", "--json"], io)).toBe(0);
    const out = JSON.parse(io.out()) as {
      stats: { count: number };
      classes: Record<string, number>;
      sample: unknown[];
    };
    const total = Object.values(out.classes).reduce((s, c) => s + c, 0);
    expect(total).toBe(out.stats.count);
    expect(out.classes.Red).toBe(6);
    expect(out.sample).toHaveLength(4);
  });

  it("inspect --report draws the sampled entries with their stored colours", async () => {
    const io = captureIo();
    expect(
      await runCli(["inspect", snapshot, "--sample", "3", "--report", "inspect.html", "--json"], io),
    ).toBe(0);
    const out = JSON.parse(io.out()) as { sample: { id: string }[] };
    const html = await readFile(join(io.cwd, "inspect.html"), "utf8");
    const drawn = [...html.matchAll(/<svg class="tensor" data-id="(d\d+)"[^>]*>(.*?)<\/svg>/g)];
    expect(drawn.map((m) => m[1])).toEqual(out.sample.map((s) => s.id));
    const pool = await DreamPool.load(snapshot);
    if (!pool.ok) throw pool.error;
    for (const [, id, svg] of drawn) {
      const t = pool.value.get(id ?? "")?.tensor;
      expect(t).toBeDefined();
      if (t) expect(svgFills(svg ?? "")).toEqual(expectedFills(t.colors, t.rows, t.cols, t.layers));
    }
  });

  it("--help describes every command", async () => {
    const io = captureIo();
    expect(await runCli(["--help"], io)).toBe(0);
    for (const c of ["demo", "inspect", "query", "bench"]) expect(io.out()).toContain(c);
  });
});
