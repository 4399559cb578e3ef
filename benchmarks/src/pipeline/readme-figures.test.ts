import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  allReadmes,
  findHandTypedFigures,
  findMarkers,
  NOT_MEASURED,
  unresolved,
  withoutMarkers,
} from "./readme-figures.js";
import { readRun } from "./results.js";
import { figure, suite } from "./test-fixtures.js";

const figuresOf = (md: string): string[] => findHandTypedFigures(md).map((h) => h.figure);

describe("findHandTypedFigures", () => {
  it("flags timings, throughputs, speed-up ratios, measured percentages and quality figures", () => {
    expect(figuresOf("A search takes 0.09 ms at 100k.")).toEqual(["0.09 ms"]);
    expect(figuresOf("n = 12: 1.5 µs vs 2.3 µs")).toEqual(["1.5 µs", "2.3 µs"]);
    expect(figuresOf("Fills at 17,178 entries/s; 350 MB/s to bytes.")).toEqual([
      "17,178 entries/s",
      "350 MB/s",
    ]);
    expect(figuresOf("about 50,000 entries per second")).toEqual(["50,000 entries per second"]);
    expect(figuresOf("HNSW is 16.9x faster; fast MMR 3× the speed")).toEqual(["16.9x faster", "3× the"]);
    expect(figuresOf("~8% of a search, about 10%, 15% faster")).toEqual(["~8%", "about 10%", "15% faster"]);
    expect(figuresOf("9–22× faster, keeps 17–24 % of the picks")).toEqual(["9–22× faster", "17–24 %"]);
    expect(figuresOf("the rest is ~2,800 lazy comparisons; from ~10k entries on")).toEqual(["~2,800", "~10"]);
    expect(figuresOf("up to ~5 % slower")).toEqual(["~5 %"]);
    expect(figuresOf("it takes about 6 minutes")).toEqual(["6 minutes"]);
    expect(figuresOf("recall@10 of 0.998 at ef = 64; 0.95 recall")).toEqual(["0.998", "0.95"]);
    expect(figuresOf("precision@10 goes from 0.10 (chance) to 1.00")).toEqual(["0.10", "1.00"]);
  });

  it("reports the line and its text", () => {
    expect(findHandTypedFigures("# t\n\nprose\nit is 2.5x faster\n")).toEqual([
      { line: 4, figure: "2.5x faster", text: "it is 2.5x faster" },
    ]);
  });

  it("lets targets, bounds, settings, shapes and identifiers pass", () => {
    for (const fine of [
      "target >= 0.85x raw QPS; recall@10 >= 0.95 required",
      "at least 8× faster than MemoryVectorStore and at most 2× an evaluation",
      "`pnpm bench:quick` (< 1 minute), `pnpm bench` under 10 minutes",
      "against the 50,000 entries/s target; the 1.25× target is not met",
      "tensors of 8x8x4 and 32 × 32 × 4; 6 × 10 images",
      "hybrid with exact MMR, λ = 0.5, class precision@k; a fallback below (default 0.05) recall",
      "M = 16, efConstruction = 200, d = 64, k = 10, 1,000,000 operations, p95",
      "the seed claimed 15%; <!-- a comment --> (≥ 0.95 recall)",
      "evicts above 90 %) of the budget; the median final J + 5%; blended 50/50; mean ≈ 1.414",
    ])
      expect(figuresOf(fine), fine).toEqual([]);
  });

  it("ignores what sits between bench markers, inline or block", () => {
    const md = [
      'HNSW is <!-- bench:pool ratio "pool, hnsw index" in "n=100000" -->23.72x faster<!-- /bench --> than exact.',
      "<!-- bench:pool -->",
      "| soft retrieve | pool | 0.0747 ms/query [0.07..0.08] | 23.7x faster vs exact |  |",
      "<!-- /bench -->",
    ].join("\n");
    expect(findHandTypedFigures(md)).toEqual([]);
    expect(withoutMarkers(md).split("\n")).toHaveLength(4);
  });

  it("skips a line carrying a not-measured comment, with or without a reason", () => {
    expect(figuresOf("the machine varies by 2x <!-- not-measured -->")).toEqual([]);
    expect(figuresOf("soak takes about 6 minutes <!-- not-measured: a budget -->")).toEqual([]);
    expect(NOT_MEASURED.test("<!-- not-measured:no space -->")).toBe(true);
    expect(figuresOf("<!-- not measured --> 2.5x faster")).toEqual(["2.5x faster"]);
  });

  it("a not-measured comment on its own line before a fence exempts that block only", () => {
    const md = [
      "<!-- not-measured: a transcript of the seeded demo -->",
      "```text",
      "hard · precision@5 0.82",
      "took 5 s",
      "```",
      "and after the block 3 s counts again",
    ].join("\n");
    expect(findHandTypedFigures(md)).toEqual([
      { line: 6, figure: "3 s", text: "and after the block 3 s counts again" },
    ]);
  });
});

const claimsRunShape = {
  date: "2026-11-25T20:00:00.000Z",
  node: "v20.20.2",
  machine: { cpu: "test cpu", cores: 2, memoryGiB: 8, platform: "linux x64" },
  quick: false,
};

describe("findMarkers and unresolved", () => {
  const md = [
    "<!-- bench:pool -->",
    "old",
    "<!-- /bench -->",
    'x <!-- bench:pool ratio "pool, hnsw index" in "n=100000" -->old<!-- /bench --> y',
    '<!-- bench:pool value "pool, exact index" in "n=100000" -->old<!-- /bench -->',
    '<!-- bench:pool ratio "pool, exact index" in "n=100000" -->old<!-- /bench -->',
    '<!-- bench:pool value "pool, hnsw index" in "n=7" -->old<!-- /bench -->',
    "<!-- bench:no-such-suite -->",
    "<!-- /bench -->",
    '<!-- bench:pool value "pool, exact index" in "d=64" -->old<!-- /bench -->',
  ].join("\n");

  it("finds block and inline markers with their lines", () => {
    expect(findMarkers(md)).toEqual([
      { suite: "pool", line: 1 },
      { suite: "pool", kind: "ratio", subject: "pool, hnsw index", scenarioPart: "n=100000", line: 4 },
      { suite: "pool", kind: "value", subject: "pool, exact index", scenarioPart: "n=100000", line: 5 },
      { suite: "pool", kind: "ratio", subject: "pool, exact index", scenarioPart: "n=100000", line: 6 },
      { suite: "pool", kind: "value", subject: "pool, hnsw index", scenarioPart: "n=7", line: 7 },
      { suite: "no-such-suite", line: 8 },
      { suite: "pool", kind: "value", subject: "pool, exact index", scenarioPart: "d=64", line: 10 },
    ]);
  });

  it("skips markers inside fenced code blocks (syntax examples)", () => {
    const fenced = [
      "```md",
      "<!-- bench:pool -->",
      "<!-- /bench -->",
      "```",
      "<!-- bench:mmr --><!-- /bench -->",
    ];
    expect(findMarkers(fenced.join("\n"))).toEqual([{ suite: "mmr", line: 5 }]);
  });

  it("says why a marker names nothing the run recorded", () => {
    const run = {
      ...claimsRunShape,
      suites: [
        suite("pool", [
          figure("soft retrieve k=10, n=10000, d=64", "pool, exact index", 0.14),
          figure("soft retrieve k=10, n=100000, d=64", "pool, exact index", 1.77),
          figure("soft retrieve k=10, n=100000, d=64", "pool, hnsw index", 0.075, {
            baseline: "pool, exact index",
            meaning: "x faster",
            ratio: 23.7,
          }),
        ]),
      ],
    };
    expect(findMarkers(md).map((m) => unresolved(run, m))).toEqual([
      undefined,
      undefined,
      undefined,
      'the figure "pool, exact index" in a scenario containing "n=100000" of suite "pool" has no ratio',
      'suite "pool" has no figure with subject "pool, hnsw index" in a scenario containing "n=7"',
      'no suite "no-such-suite" in the run',
      '2 figures of suite "pool" have subject "pool, exact index" in a scenario containing "d=64": add or narrow the scenario part',
    ]);
  });
});

// The rule itself, on the repository: every README (root, packages/*, internal/*, benchmarks/).
describe("the repository's READMEs", () => {
  const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
  const readmes = allReadmes(repoRoot).map((file) => [relative(repoRoot, file), file] as const);
  const latest = readRun(fileURLToPath(new URL("../../results/latest.json", import.meta.url)));

  it("are all found", () => {
    const names = readmes.map(([name]) => name);
    expect(names).toContain("README.md");
    expect(names).toContain("packages/pool/README.md");
    expect(names).toContain("internal/bench-kit/README.md");
    expect(names).toContain("benchmarks/README.md");
  });

  it.each(readmes)("%s: no measured figure outside bench markers", (_name, file) => {
    const found = findHandTypedFigures(readFileSync(file, "utf8")).map(
      (h) => `line ${h.line}: "${h.figure}" in: ${h.text}`,
    );
    expect(found, "put it in a bench marker, or mark a non-measurement <!-- not-measured -->").toEqual([]);
  });

  it.each(readmes)("%s: every bench marker names a figure of results/latest.json", (_name, file) => {
    expect(latest, "benchmarks/results/latest.json is committed").not.toBeNull();
    if (!latest) return;
    const problems = findMarkers(readFileSync(file, "utf8")).flatMap((m) => {
      const why = unresolved(latest, m);
      return why === undefined ? [] : [`line ${m.line}: ${why}`];
    });
    expect(problems).toEqual([]);
  });
});
