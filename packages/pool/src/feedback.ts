import { type DreamResult, err, invalidParameter, ok } from "@dreampool/errors";
import { createFeedbackRecord, utilityFromLosses } from "@dreampool/scoring";
import type { PoolState } from "./pool-state.js";
import { cacheFingerprintOf } from "./query-embedding.js";
import type { FeedbackInput, UtilityStats } from "./types.js";

/**
 * Records feedback on a live entry: its running mean utility (in [-1, 1]) and count, the eviction
 * order (lowest-utility), and the pool's BiasProfile. The stored embedding is not touched: entries
 * are encoded with utility neutral, and utility reaches ranking through the scoring β term.
 */
export function applyFeedback(state: PoolState, id: string, input: FeedbackInput): DreamResult<UtilityStats> {
  const record = typeof id === "string" ? state.entries.get(id) : undefined;
  if (record === undefined) return err(invalidParameter("id", id, "must be the id of a live entry"));
  if (typeof input !== "object" || input === null) {
    return err(invalidParameter("input", input, "must be { lossBefore, lossAfter } or { utility }"));
  }
  let lossBefore: number;
  let lossAfter: number;
  if ("utility" in input) {
    const u = input.utility;
    if (typeof u !== "number" || !(u >= -1 && u <= 1)) {
      return err(invalidParameter("input.utility", u, "must be a number in [-1, 1]"));
    }
    // A loss pair with the same utility, so the BiasProfile sees one kind of record.
    lossBefore = 0;
    lossAfter = -u;
  } else if ("lossBefore" in input && "lossAfter" in input) {
    for (const field of ["lossBefore", "lossAfter"] as const) {
      const v = input[field];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        return err(invalidParameter(`input.${field}`, v, "must be a finite number"));
      }
    }
    lossBefore = input.lossBefore;
    lossAfter = input.lossAfter;
  } else {
    return err(invalidParameter("input", input, "must be { lossBefore, lossAfter } or { utility }"));
  }
  const utility = utilityFromLosses(lossBefore, lossAfter);
  const feedback = createFeedbackRecord({
    lossBefore,
    lossAfter,
    classLabel: record.classLabel,
    chroma: record.chroma,
    entryId: record.id,
  });
  if (!feedback.ok) return feedback;
  const updated = state.bias.update(feedback.value);
  if (!updated.ok) return updated;

  const hadUtility = record.utilityMean !== null;
  record.addUtility(utility);
  state.order.utilityChanged(record);
  state.scoreBounds.utilityChanged(record, hadUtility);
  state.cacheFingerprint = cacheFingerprintOf(state.mapper, state.bias);
  return ok(record.utility);
}
