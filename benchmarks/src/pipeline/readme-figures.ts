// The rule "READMEs carry no typed-in figures", made checkable: finds measured-looking figures that
// sit outside bench markers, and bench markers that name a figure the last run did not record.
// A line that states a genuine non-measurement (a budget, a configuration, a known fact of a
// dependency) opts out with an HTML comment on the same line: `<!-- not-measured -->`.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { RunResults } from "./results.js";

/**
 * The comment that exempts a line from the hand-typed-figure scan, optionally with a reason:
 * `<!-- not-measured -->` or `<!-- not-measured: the issue's budget -->`. On a line of its own right
 * before a fenced code block, it exempts the whole block (e.g. a transcript of a seeded demo).
 */
export const NOT_MEASURED = /<!-- not-measured(?::[^>]*)? -->/;

/** One bench marker as written in Markdown: a block (suite only) or an inline figure. */
export interface BenchMarker {
  suite: string;
  kind?: "value" | "ratio";
  subject?: string;
  scenarioPart?: string;
  /** 1-based line of the marker's opening comment. */
  line: number;
}

/**
 * A block marker `<!-- bench:<suite> -->…<!-- /bench -->` holds the suite's whole table; an inline one
 * `<!-- bench:<suite> value "<subject>" in "<scenario part>" -->…<!-- /bench -->` (or `ratio`; the
 * `in` part optional) holds one figure. Groups: suite, kind, subject, scenario part, body.
 */
export const MARKER =
  /<!-- bench:([a-z0-9-]+)(?: (value|ratio) "([^"]+)"(?: in "([^"]+)")?)? -->([\s\S]*?)<!-- \/bench -->/g;

const lineOf = (text: string, index: number): number => text.slice(0, index).split("\n").length;

/**
 * Whether a character offset lies inside a fenced code block: markers there are examples of the
 * syntax (as in benchmarks/README.md), not figures, and are neither filled nor checked.
 */
export function inFence(text: string, offset: number): boolean {
  let inside = false;
  for (const line of text.slice(0, offset).split("\n").slice(0, -1))
    if (line.trimStart().startsWith("```")) inside = !inside;
  return inside;
}

/** Every bench marker of a Markdown text outside code fences, in order. */
export function findMarkers(text: string): BenchMarker[] {
  const out: BenchMarker[] = [];
  for (const m of text.matchAll(MARKER)) {
    if (inFence(text, m.index)) continue;
    const [, suite = "", kind, subject, scenarioPart] = m;
    out.push({
      suite,
      ...(kind === "value" || kind === "ratio" ? { kind } : {}),
      ...(subject === undefined ? {} : { subject }),
      ...(scenarioPart === undefined ? {} : { scenarioPart }),
      line: lineOf(text, m.index),
    });
  }
  return out;
}

/**
 * Why a marker does not resolve against a run, or undefined when it does: a block marker needs its
 * suite; an inline one needs exactly one figure of that suite with that subject (and a scenario
 * containing the part, when given) — with two, the README would quote whichever comes first — and
 * a ratio marker needs that figure to carry a ratio.
 */
export function unresolved(run: RunResults, marker: BenchMarker): string | undefined {
  const suite = run.suites.find((s) => s.suite === marker.suite);
  if (!suite) return `no suite "${marker.suite}" in the run`;
  if (marker.kind === undefined || marker.subject === undefined) return undefined;
  const { subject, scenarioPart } = marker;
  const matches = suite.figures.filter(
    (f) => f.subject === subject && (scenarioPart === undefined || f.scenario.includes(scenarioPart)),
  );
  const where = scenarioPart === undefined ? "" : ` in a scenario containing "${scenarioPart}"`;
  const figure = matches[0];
  if (!figure) return `suite "${marker.suite}" has no figure with subject "${subject}"${where}`;
  if (matches.length > 1)
    return `${matches.length} figures of suite "${marker.suite}" have subject "${subject}"${where}: add or narrow the scenario part`;
  if (marker.kind === "ratio" && !figure.comparison)
    return `the figure "${subject}"${where} of suite "${marker.suite}" has no ratio`;
  return undefined;
}

/** The text with every bench marker (opening comment, body, closing comment) blanked, lines kept. */
export function withoutMarkers(text: string): string {
  return text.replace(MARKER, (all) => all.replace(/[^\n]/g, " "));
}

// What a measured figure looks like in prose. Each pattern matches the number with its unit or
// wording; shapes such as 8x8x4 and identifiers such as recall@10 or p95 do not match.
const NUM = String.raw`\d[\d,]*(?:\.\d+)?`;
const FIGURE_PATTERNS: readonly RegExp[] = [
  // durations: 1.5 µs, 0.09 ms, 27 s, 3 minutes
  new RegExp(String.raw`(?<![\w.])${NUM}\s?(?:ns|µs|μs|us|ms|s|secs?|seconds?|min|minutes?)(?!\w)`, "g"),
  // throughputs: 5,000 entries/s, 30k queries/s, 350 MB/s, 12 ops/s
  new RegExp(String.raw`(?<![\w.])${NUM}\s?[kKM]?\s?(?:[A-Za-z-]+(?: [a-z]+)?)?/(?:s|sec|second)\b`, "g"),
  // ratios: 2.5x faster, 0.91x raw QPS, 3x the time, 40 times faster
  new RegExp(
    String.raw`(?<![\w.])${NUM}(?:\s?[–-]\s?${NUM})?\s?(?:x|×|times)(?=[\s,.;:)*_|]|$)(?!\s?\d)(?:\s+(?:faster|slower|fewer|more|less|smaller|larger|the|of|its|raw|cheaper|speed))?`,
    "g",
  ),
  // percentages of a measurement: ~8%, about 10%, 15% faster, 3% of a search, ranges (25–30 %)
  new RegExp(
    String.raw`(?:~|≈|about |around |roughly |nearly |almost )\s?${NUM}\s?%|(?<![\w.])${NUM}\s?[–-]\s?${NUM}\s?%|(?<![\w.])${NUM}\s?%\s(?:faster|slower|better|worse|overhead|more|less|fewer|cheaper|of (?:a|the|its|each))\b`,
    "g",
  ),
  // approximate counts and sizes: ~2,800 comparisons, from ~10k entries on
  new RegExp(String.raw`~\s?${NUM}`, "g"),
  // throughputs in words: 50,000 entries per second
  new RegExp(String.raw`(?<![\w.])${NUM}\s?[kKM]?\s?(?:[A-Za-z-]+ )?per second\b`, "g"),
];

// On a line about recall or precision, any decimal is taken for a measured quality figure
// ("precision@10 goes from 0.10 to 1.00"), unless it is a bound.
const QUALITY_WORD = /\b(?:recall|precision)\b|\b(?:recall|precision)@/i;
const DECIMAL = /(?<![\w.@])\d*\.\d+(?![\w.])/g;

// A number right after one of these is a target, a bound or a setting (`λ = 0.5`, `default 0.05`),
// not a measurement.
const BOUND_BEFORE =
  /(?:(?<![-\w])(?:>=|<=|<|>)|≥|≤|\bunder|\bbelow|\babove|\bat least|\bat most|\bwithin|\btarget|\bdefault|\bclaim(?:ed|s)?|(?<![@\w])[A-Za-zλα-ω_]\w*\s?=)\s*~?\s*$/;

// ... and a number right before "target" is the target itself ("the 50,000 entries/s target").
const BOUND_AFTER = /^\s*(?:target|bound|budget|limit)\b/;

/** A measured-looking figure outside the markers. */
export interface HandTypedFigure {
  line: number;
  figure: string;
  text: string;
}

/**
 * Measured-looking figures outside bench markers and outside `not-measured` lines. Bounds and
 * targets (`>= 0.95`, `under 1 minute`, `target 100x`) are not measurements and pass.
 */
export function findHandTypedFigures(markdown: string): HandTypedFigure[] {
  const original = markdown.split("\n");
  const lines = withoutMarkers(markdown).split("\n");
  const exempt = exemptLines(original);
  const found: HandTypedFigure[] = [];
  lines.forEach((line, i) => {
    if (exempt.has(i)) return;
    const hits = new Set<string>();
    const patterns = QUALITY_WORD.test(line) ? [...FIGURE_PATTERNS, DECIMAL] : FIGURE_PATTERNS;
    for (const pattern of patterns)
      for (const m of line.matchAll(pattern)) {
        const before = line.slice(0, m.index);
        const after = line.slice((m.index ?? 0) + m[0].length);
        if (BOUND_BEFORE.test(before) || BOUND_AFTER.test(after)) continue;
        hits.add(m[0].trim());
      }
    // "~5 %" also matches as "~5": keep the longest of overlapping matches.
    const longest = [...hits].filter((h) => ![...hits].some((o) => o !== h && o.includes(h)));
    for (const figure of longest) found.push({ line: i + 1, figure, text: (original[i] ?? "").trim() });
  });
  return found;
}

/** 0-based lines exempted by a `not-measured` comment: its own line, or the fenced block after it. */
function exemptLines(lines: readonly string[]): Set<number> {
  const exempt = new Set<number>();
  const fence = (l: string | undefined): boolean => l?.trimStart().startsWith("```") ?? false;
  lines.forEach((line, i) => {
    if (!NOT_MEASURED.test(line)) return;
    exempt.add(i);
    if (line.replace(NOT_MEASURED, "").trim() !== "" || !fence(lines[i + 1])) return;
    for (let j = i + 1; j < lines.length; j++) {
      exempt.add(j);
      if (j > i + 1 && fence(lines[j])) break;
    }
  });
  return exempt;
}

/** Every README the rule covers: the root one, packages/*, internal/*, benchmarks/. */
export function allReadmes(repoRoot: string): string[] {
  const inDirs = (dir: string): string[] =>
    existsSync(join(repoRoot, dir))
      ? readdirSync(join(repoRoot, dir))
          .sort()
          .map((d) => join(repoRoot, dir, d, "README.md"))
      : [];
  return [
    join(repoRoot, "README.md"),
    ...inDirs("packages"),
    ...inDirs("internal"),
    join(repoRoot, "benchmarks", "README.md"),
  ].filter((f) => existsSync(f));
}
