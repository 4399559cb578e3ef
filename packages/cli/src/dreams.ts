import {
  type BatchItem,
  type ChromaticNativeSolver,
  ChromaticTensor,
  type ColorClass,
  type DreamPoolLike,
  type DreamResult,
  ok,
} from "dreampool";
import type { ColorSample } from "dreampool/tensor";
import { type DreamSettings, descend } from "./dream.js";
import { type Progress, yieldToEventLoop } from "./progress.js";

/** Dreams solved between two `addBatch` calls (the progress bar moves once per chunk). */
const CHUNK = 25;

export interface DreamPhase {
  readonly generated: number;
  readonly added: number;
  readonly gatedOut: number;
  /** Mean coherence of the dreams of each class, and how many of them the gate let in. */
  readonly byClass: readonly ClassCoherence[];
}

export interface ClassCoherence {
  readonly classLabel: ColorClass;
  readonly dreams: number;
  readonly added: number;
  readonly meanCoherence: number;
}

/**
 * One dream per target: from seeded noise, `settings.steps` descent steps on the objective, then the
 * solver's verdict; every chunk goes through the pool's coherence-gated `addBatch`.
 */
export async function dreamAndStore(
  pool: DreamPoolLike,
  solver: ChromaticNativeSolver,
  targets: readonly ColorSample[],
  settings: DreamSettings,
  seed: number,
  coherenceThreshold: number,
  progress: Progress,
): Promise<DreamResult<DreamPhase>> {
  const tally = new Map<ColorClass, { dreams: number; added: number; coherence: number }>();
  let added = 0;
  progress.start("dreaming", targets.length);
  try {
    for (let from = 0; from < targets.length; from += CHUNK) {
      const items: BatchItem[] = [];
      for (let i = from; i < Math.min(from + CHUNK, targets.length); i++) {
        const { tensor: target, label } = targets[i] as ColorSample;
        const noise = ChromaticTensor.fromSeed(seed * 1_000_003 + i, target.rows, target.cols, target.layers);
        if (!noise.ok) return noise;
        const dream = descend(solver, noise.value, target, settings);
        if (!dream.ok) return dream;
        const { tensor, result } = dream.value;
        items.push({ tensor, result, classLabel: label, meta: { target: i } });
        const t = tally.get(label) ?? { dreams: 0, added: 0, coherence: 0 };
        t.dreams++;
        t.coherence += result.coherence;
        if (result.coherence >= coherenceThreshold) t.added++;
        tally.set(label, t);
      }
      const stored = await pool.addBatch(items);
      if (!stored.ok) return stored;
      added += stored.value;
      progress.update(from + items.length, `stored ${added}`);
      await yieldToEventLoop();
    }
  } finally {
    progress.stop();
  }
  const byClass = [...tally.entries()].map(([classLabel, t]) => ({
    classLabel,
    dreams: t.dreams,
    added: t.added,
    meanCoherence: t.coherence / t.dreams,
  }));
  return ok({ generated: targets.length, added, gatedOut: targets.length - added, byClass });
}
