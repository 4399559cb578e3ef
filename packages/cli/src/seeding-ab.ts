import {
  type ChromaticNativeSolver,
  ChromaticTensor,
  type DreamPoolLike,
  type DreamResult,
  ok,
} from "dreampool";
import { blend, type ColorSample } from "dreampool/tensor";
import { type DreamSettings, descend } from "./dream.js";
import { type Progress, yieldToEventLoop } from "./progress.js";
import { type Summary, summarize } from "./summary.js";

/** Share of the target in each arm's starting point: start = (1 − w)·init + w·target. */
export const TARGET_BLEND = 0.5;
/** Step at which the two arms' objectives are compared for the utility feedback. */
export const FEEDBACK_STEP = 5;

export interface ArmOutcome {
  /** Steps until J ≤ threshold, per target (null when not reached within maxSteps). */
  readonly stepsToThreshold: readonly (number | null)[];
  readonly finalObjective: readonly number[];
  readonly steps: Summary;
  readonly final: Summary;
  readonly reached: number;
  /** J at each step (0 … maxSteps), summarised over targets: the A/B chart's lines and bands. */
  readonly curve: readonly Summary[];
}

export interface SeedingOutcome {
  readonly targets: number;
  readonly maxSteps: number;
  /** The noise arm's median final J, plus 5%: the bar both arms race to. */
  readonly threshold: number;
  readonly noise: ArmOutcome;
  readonly seeded: ArmOutcome;
  /** Targets whose seeded arm ended with a lower J than its noise arm. */
  readonly seededWins: number;
  /** Feedback recorded on the retrieved dreams. */
  readonly feedback: { readonly entries: number; readonly meanUtility: number; readonly positive: number };
}

function arm(trajectories: readonly number[][], threshold: number, maxSteps: number): ArmOutcome {
  const stepsToThreshold = trajectories.map((t) => {
    const i = t.findIndex((j) => j <= threshold);
    return i < 0 ? null : i;
  });
  const reachedSteps = stepsToThreshold.filter((s): s is number => s !== null);
  const finalObjective = trajectories.map((t) => t[t.length - 1] as number);
  const curve: Summary[] = [];
  for (let s = 0; s <= maxSteps; s++) curve.push(summarize(trajectories.map((t) => t[s] as number)));
  return {
    stepsToThreshold,
    finalObjective,
    // Unreached targets count as maxSteps + 1, so the summary never flatters an arm by dropping them.
    steps: summarize(stepsToThreshold.map((s) => s ?? maxSteps + 1)),
    final: summarize(finalObjective),
    reached: reachedSteps.length,
    curve,
  };
}

/**
 * Retrieval-based seeding, A/B: every target is solved twice for `maxSteps` steps, from the same
 * seeded noise (arm A) and from the pool's best dream for it (arm B), each blended with the target
 * in the same proportion, so the only difference between the arms is noise versus retrieved dream.
 * Each retrieved dream gets feedback utility = (J_A − J_B) / J_A at FEEDBACK_STEP, clamped to [-1, 1].
 */
export async function seedingAB(
  pool: DreamPoolLike,
  solver: ChromaticNativeSolver,
  targets: readonly ColorSample[],
  settings: DreamSettings,
  seed: number,
  now: number,
  progress: Progress,
): Promise<DreamResult<SeedingOutcome>> {
  const noiseRuns: number[][] = [];
  const seededRuns: number[][] = [];
  const utilities: number[] = [];
  progress.start("seeding", targets.length);
  try {
    for (let i = 0; i < targets.length; i++) {
      const target = (targets[i] as ColorSample).tensor;
      const noise = ChromaticTensor.fromSeed(
        seed * 1_000_003 + 500_000 + i,
        target.rows,
        target.cols,
        target.layers,
      );
      if (!noise.ok) return noise;
      const found = await pool.retrieve(target, { mode: "soft", k: 1, now });
      if (!found.ok) return found;
      const best = found.value[0];
      const init = best ? best.entry.tensor : noise.value;
      const startA = blend(noise.value, target, TARGET_BLEND);
      const startB = blend(init, target, TARGET_BLEND);
      if (!startA.ok) return startA;
      if (!startB.ok) return startB;
      const a = descend(solver, startA.value, target, settings);
      const b = descend(solver, startB.value, target, settings);
      if (!a.ok) return a;
      if (!b.ok) return b;
      noiseRuns.push(a.value.trajectory);
      seededRuns.push(b.value.trajectory);
      if (best) {
        const before = a.value.trajectory[FEEDBACK_STEP] as number;
        const after = b.value.trajectory[FEEDBACK_STEP] as number;
        const utility = Math.max(-1, Math.min(1, (before - after) / before));
        const recorded = await pool.feedback(best.entry.id, { utility });
        if (!recorded.ok) return recorded;
        utilities.push(utility);
      }
      progress.update(i + 1, "");
      await yieldToEventLoop();
    }
  } finally {
    progress.stop();
  }
  const maxSteps = settings.steps;
  const threshold = summarize(noiseRuns.map((t) => t[maxSteps] as number)).median * 1.05;
  const noise = arm(noiseRuns, threshold, maxSteps);
  const seeded = arm(seededRuns, threshold, maxSteps);
  const seededWins = seeded.finalObjective.filter((f, i) => f < (noise.finalObjective[i] as number)).length;
  return ok({
    targets: targets.length,
    maxSteps,
    threshold,
    noise,
    seeded,
    seededWins,
    feedback: {
      entries: utilities.length,
      meanUtility: utilities.length ? utilities.reduce((s, u) => s + u, 0) / utilities.length : 0,
      positive: utilities.filter((u) => u > 0).length,
    },
  });
}
