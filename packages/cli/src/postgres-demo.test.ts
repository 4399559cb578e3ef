import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import { PgDreamPool } from "dreampool/postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_MODES } from "./args.js";
import { type DemoReport, runDemo } from "./demo.js";
import { captureIo } from "./test-support.js";

// The demo is written against DreamPoolLike, so the Postgres pool runs the same code. PGlite (an
// in-process Postgres with pgvector) stands in for a server; `--store postgres://…` takes the same path.
describe("the demo on the Postgres pool", () => {
  let db: PGlite;
  let report: DemoReport;
  beforeAll(async () => {
    db = await PGlite.create({ extensions: { vector } });
    const result = await runDemo({
      store: db,
      table: "cli_demo",
      size: 40,
      abTargets: 4,
      k: 3,
      snapshotPath: `${captureIo().cwd}/unused.dpool`,
    });
    if (!result.ok) throw result.error;
    report = result.value;
  });
  afterAll(async () => {
    await db.close();
  });

  it("stores the gated dreams, answers k results per mode and finds them again after reconnecting", () => {
    expect(report.settings.store).toMatch(/^postgres pglite/);
    expect(report.stats.count).toBe(report.dreams.added);
    expect(report.stats.count).toBeGreaterThan(0);
    for (const mode of report.retrieval) for (const q of mode.queries) expect(q.results).toHaveLength(3);
    expect(report.retrieval.map((m) => m.mode)).toEqual([...CLI_MODES]);
    expect(report.snapshot.bytes).toBeNull();
    expect(report.snapshot.location).toContain("cli_demo");
    expect(report.snapshot.mismatches).toEqual([]);
    expect(report.snapshot.verified).toBe(true);
  });

  it("leaves the dreams and their feedback in the table", async () => {
    const pool = await PgDreamPool.connect({ connection: db, table: "cli_demo" });
    if (!pool.ok) throw pool.error;
    const entries = await pool.value.entries();
    await pool.value.close();
    if (!entries.ok) throw entries.error;
    expect(entries.value).toHaveLength(report.stats.count);
    const withFeedback = entries.value.filter((e) => e.utility.count > 0);
    expect(withFeedback.length).toBeGreaterThan(0);
    expect(withFeedback.reduce((s, e) => s + e.utility.count, 0)).toBe(report.seeding.feedback.entries);
  });
});
