import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DreamPool } from "dreampool";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./cli.js";
import type { DemoReport } from "./demo.js";
import { abChartBox } from "./html/ab-chart.js";
import { plotX, plotY } from "./html/svg.js";
import { captureIo, expectedFills, svgFills } from "./test-support.js";

describe("demo --report", () => {
  let html: string;
  let report: DemoReport;
  let pool: DreamPool;
  beforeAll(async () => {
    const io = captureIo();
    const code = await runCli(
      [
        "demo",
        "--size",
        "60",
        "--ab-targets",
        "6",
        "-k",
        "4",
        "--snapshot",
        "r.dpool",
        "--report",
        "out/report.html",
        "--json",
      ],
      io,
    );
    expect(code).toBe(0);
    report = JSON.parse(io.out()) as DemoReport;
    html = await readFile(join(io.cwd, "out", "report.html"), "utf8");
    const loaded = await DreamPool.load(join(io.cwd, "r.dpool"));
    if (!loaded.ok) throw loaded.error;
    pool = loaded.value;
  });

  it("is self-contained: no scripts, no external resources", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|src=|href=|url\(/i);
  });

  it("draws every retrieved dream with the layer-mean colours of the stored tensor", () => {
    const rows = [
      ...html.matchAll(
        /<div class="row" data-mode="(\w+)" data-query="(q\d+)">(.*?)<\/div><\/div>(?=<div class="row"|<\/section>)/g,
      ),
    ];
    expect(rows).toHaveLength(4 * 10);
    for (const [, mode, queryId, body] of rows) {
      const outcome = report.retrieval
        .find((m) => m.mode === mode)
        ?.queries.find((q) => q.queryId === queryId);
      const ids = [...(body ?? "").matchAll(/<svg class="tensor" data-id="([^"]+)"/g)].map((m) => m[1]);
      expect(ids).toEqual([queryId, ...(outcome?.results.map((r) => r.id) ?? [])]);
    }
    const drawn = [...html.matchAll(/<svg class="tensor" data-id="(d\d+)"[^>]*>(.*?)<\/svg>/g)];
    expect(drawn.length).toBeGreaterThan(0);
    for (const [, id, svg] of drawn) {
      const entry = pool.get(id ?? "");
      expect(entry).toBeDefined();
      if (!entry) continue;
      const t = entry.tensor;
      expect(svgFills(svg ?? "")).toEqual(expectedFills(t.colors, t.rows, t.cols, t.layers));
    }
  });

  it("draws the A/B chart from the run's per-step medians and threshold", () => {
    const ab = report.seeding;
    const box = abChartBox(ab);
    for (const arm of ["noise", "seeded"] as const) {
      const points = html.match(new RegExp(`data-series="${arm}" points="([^"]+)"`))?.[1]?.split(" ") ?? [];
      expect(points).toHaveLength(ab.maxSteps + 1);
      points.forEach((p, step) => {
        const [x, y] = p.split(",").map(Number);
        expect(x).toBeCloseTo(plotX(box, step), 1);
        expect(y).toBeCloseTo(plotY(box, ab[arm].curve[step]?.median ?? Number.NaN), 1);
      });
    }
    const y1 = Number(html.match(/data-series="threshold"[^>]* y1="([\d.]+)"/)?.[1]);
    expect(y1).toBeCloseTo(plotY(box, ab.threshold), 1);
  });

  it("shows the stats and the snapshot verdict", () => {
    expect(html).toContain(`${report.stats.count} entries`);
    expect(html).toContain("snapshot verified");
    expect(html).toContain(`precision@4 ${report.retrieval[0]?.precisionAtK.toFixed(2)}`);
  });
});
