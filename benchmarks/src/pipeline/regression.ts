import type { Figure } from "@dreampool/bench-kit";
import { allFigures, figureKey, type RunResults } from "./results.js";

/** Which way a ratio is good: "higher" (speed-ups, recall), "lower" (relative errors, overheads). */
export type Direction = "higher" | "lower";

export interface BaselineRatio {
  ratio: number;
  direction: Direction;
  /** The suite's own target for the ratio, when it has one. */
  target?: number;
}

/** benchmarks/results/baseline.json: the ratios a run is checked against. */
export interface Baseline {
  date: string;
  quick: boolean;
  /** How many runs were merged into it (each ratio is the worst seen: the noise floor). */
  runs: number;
  ratios: Record<string, BaselineRatio>;
}

export interface Regression {
  key: string;
  now: number;
  baseline: number;
  direction: Direction;
}

/** The default tolerance of the issue: fail when a ratio is more than 20% worse than its baseline. */
export const TOLERANCE = 0.2;

// Without a target, the ratio's wording says which way is good; ratios whose wording says neither
// (e.g. "x of a hit", a share of the time) are informational and not checked.
const HIGHER = /faster|speed|QPS|rate|recall|precision|overlap|of the target|the target|the reference's/i;
const LOWER = /relative error|the time of|the raw search|slower/i;

/** The direction of a figure's ratio, or undefined when it is informational. */
export function directionOf(f: Figure): Direction | undefined {
  const c = f.comparison;
  if (!c || !Number.isFinite(c.ratio)) return undefined;
  if (c.target) return c.target.op === "<=" ? "lower" : "higher";
  if (LOWER.test(c.meaning)) return "lower";
  if (HIGHER.test(c.meaning)) return "higher";
  return undefined;
}

/** Every checkable ratio of a run, by figure key. */
export function ratiosOf(run: RunResults): Record<string, BaselineRatio> {
  const out: Record<string, BaselineRatio> = {};
  for (const f of allFigures(run)) {
    const direction = directionOf(f);
    if (!direction || !f.comparison) continue;
    out[figureKey(f)] = {
      ratio: f.comparison.ratio,
      direction,
      ...(f.comparison.target ? { target: f.comparison.target.value } : {}),
    };
  }
  return out;
}

const worse = (a: BaselineRatio, b: BaselineRatio): BaselineRatio =>
  (a.direction === "higher" ? a.ratio <= b.ratio : a.ratio >= b.ratio) ? a : b;

/**
 * The baseline after recording `run`: a fresh one, or (same profile, no reset) the existing one with
 * each ratio replaced by the worse of the two, so that a baseline recorded over a few runs holds the
 * machine's noise floor rather than one lucky run.
 */
export function mergeBaseline(existing: Baseline | null, run: RunResults, reset = false): Baseline {
  const now = ratiosOf(run);
  if (!existing || reset || existing.quick !== run.quick)
    return { date: run.date, quick: run.quick, runs: 1, ratios: now };
  const ratios: Record<string, BaselineRatio> = { ...existing.ratios };
  for (const [key, r] of Object.entries(now)) {
    const old = ratios[key];
    ratios[key] = old ? worse(old, r) : r;
  }
  return { date: run.date, quick: run.quick, runs: existing.runs + 1, ratios };
}

/**
 * Ratios of `run` more than `tolerance` worse than the baseline's. A "higher" ratio regresses below
 * baseline x (1 - tolerance). A "lower" ratio regresses above baseline x (1 + tolerance) *and* past its
 * target: such ratios are mostly small errors (0.01 vs 0.02 is noise, not a regression).
 */
export function findRegressions(
  baseline: Baseline,
  run: RunResults,
  tolerance = TOLERANCE,
): { compared: number; regressions: Regression[] } {
  const now = ratiosOf(run);
  const regressions: Regression[] = [];
  let compared = 0;
  for (const [key, base] of Object.entries(baseline.ratios)) {
    const current = now[key];
    if (!current) continue;
    compared++;
    const regressed =
      base.direction === "higher"
        ? current.ratio < base.ratio * (1 - tolerance)
        : current.ratio > base.ratio * (1 + tolerance) &&
          (base.target === undefined || current.ratio > base.target);
    if (regressed)
      regressions.push({ key, now: current.ratio, baseline: base.ratio, direction: base.direction });
  }
  return { compared, regressions };
}
