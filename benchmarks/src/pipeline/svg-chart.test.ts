import type { Series } from "@dreampool/bench-kit";
import { describe, expect, it } from "vitest";
import { niceTicks, renderLineChart } from "./svg-chart.js";

const line = (label: string, points: Series["points"], extra: Partial<Series> = {}): Series => ({
  chart: "test",
  label,
  xLabel: "recall@10",
  yLabel: "queries/s",
  points,
  ...extra,
});

const count = (svg: string, re: RegExp): number => (svg.match(re) ?? []).length;

describe("renderLineChart", () => {
  const svg = renderLineChart("HNSW <recall> & QPS", [
    line("HnswIndex", [
      { x: 0.93, y: 12000, note: "ef 10" },
      { x: 0.99, y: 8000, note: "ef 32" },
      { x: 1, y: 2500, note: "ef 256" },
    ]),
    line("usearch HNSW", [
      { x: 0.94, y: 9000 },
      { x: 1, y: 1500 },
    ]),
  ]);

  it("is a standalone SVG document with an escaped title", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("HNSW &lt;recall&gt; &amp; QPS");
  });

  it("labels both axes (the y label rotated) and draws tick labels", () => {
    expect(svg).toMatch(/<text x="[\d.]+" y="[\d.]+" text-anchor="middle">recall@10<\/text>/);
    expect(svg).toMatch(/rotate\(-90\)" text-anchor="middle">queries\/s<\/text>/);
    expect(svg).toContain(">10k</text>");
    expect(svg).toContain(">0.96</text>");
  });

  it("draws one polyline and one point per data point for each series, and a legend entry each", () => {
    expect(count(svg, /<polyline /g)).toBe(2);
    expect(count(svg, /<circle [^>]*><title>/g)).toBe(5);
    expect(svg).toContain(">HnswIndex</text>");
    expect(svg).toContain(">usearch HNSW</text>");
    expect(svg).toContain("<title>HnswIndex: x=0.99, y=8000 (ef 32)</title>");
  });

  it("writes the first series' point notes beside its points", () => {
    expect(svg).toContain(">ef 10</text>");
    expect(svg).toContain(">ef 256</text>");
  });

  it("places larger y higher on a linear axis", () => {
    const cy = (title: string): number => {
      const m = new RegExp(`cy="([\\d.]+)" r="3.5" fill="[^"]+"><title>${title}`).exec(svg);
      return Number(m?.[1]);
    };
    expect(cy("HnswIndex: x=0.93, y=12000")).toBeLessThan(cy("HnswIndex: x=1, y=2500"));
  });

  it("marks log axes in their labels, draws vertical marks, and skips non-positive points on them", () => {
    const log = renderLineChart("size", [
      line(
        "ExactIndex",
        [
          { x: 250, y: 0.01 },
          { x: 4000, y: 0.2 },
          { x: 0, y: 0.5 },
        ],
        {
          logX: true,
          logY: true,
          xLabel: "entries",
          yLabel: "ms/query",
          marks: [{ x: 1000, label: "crossover: n = 1000" }],
        },
      ),
    ]);
    expect(log).toContain("entries (log scale)");
    expect(log).toContain("ms/query (log scale)");
    expect(log).toContain(">crossover: n = 1000</text>");
    expect(log).toContain('stroke-dasharray="6 4"');
    expect(count(log, /<circle [^>]*><title>/g)).toBe(2);
  });

  it("grows the document with the legend", () => {
    const height = (s: string) => Number(/height="(\d+)"/.exec(s)?.[1]);
    const one = renderLineChart("t", [line("a", [{ x: 1, y: 1 }])]);
    const three = renderLineChart("t", [
      line("a", [{ x: 1, y: 1 }]),
      line("b", [{ x: 2, y: 2 }]),
      line("c", [{ x: 3, y: 3 }]),
    ]);
    expect(height(three) - height(one)).toBe(40);
  });

  it("renders nothing for no series", () => {
    expect(renderLineChart("empty", [])).toBe("");
  });
});

describe("niceTicks", () => {
  it("gives round steps covering a linear range", () => {
    expect(niceTicks(0, 10, false)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0.93, 1, false)).toEqual([0.94, 0.96, 0.98, 1]);
  });

  it("gives powers of ten on a log range", () => {
    expect(niceTicks(100, 100000, true)).toEqual([100, 1000, 10000, 100000]);
  });
});
