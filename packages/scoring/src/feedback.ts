import {
  type DreamError,
  type DreamResult,
  err,
  invalidParameter,
  ok,
  requireFinite,
  requireInteger,
} from "@dreampool/errors";
import { type ColorClass, isColorClass, type Rgb } from "@dreampool/tensor";

/**
 * What one use of a retrieved entry did to the learner: the loss before and after, and the utility
 * derived from it, −clamp(after − before, −1, 1) (a falling loss is a positive utility).
 */
export interface FeedbackRecord {
  readonly lossBefore: number;
  readonly lossAfter: number;
  /** lossAfter − lossBefore. */
  readonly deltaLoss: number;
  /** In [−1, 1]; > 0 helpful, < 0 harmful. */
  readonly utility: number;
  readonly classLabel: ColorClass | null;
  readonly chroma: Rgb | null;
  readonly entryId: string | null;
  readonly epoch: number | null;
}

export interface FeedbackInput {
  lossBefore: number;
  lossAfter: number;
  classLabel?: ColorClass | null;
  chroma?: Rgb | null;
  /** The pool entry the feedback is about, if any. */
  entryId?: string | null;
  /** Training epoch, an integer >= 0. */
  epoch?: number | null;
}

/** utility = −clamp(lossAfter − lossBefore, −1, 1). */
export const utilityFromLosses = (lossBefore: number, lossAfter: number): number => {
  const delta = lossAfter - lossBefore;
  // 0 − 0 must stay +0: a record that changed nothing has utility 0, not −0.
  return delta === 0 ? 0 : -Math.min(1, Math.max(-1, delta));
};

function checkChroma(chroma: unknown): DreamError | null {
  const isList = Array.isArray(chroma) || chroma instanceof Float32Array || chroma instanceof Float64Array;
  if (!isList || (chroma as ArrayLike<number>).length !== 3) {
    return invalidParameter("chroma", chroma, "must be an [r, g, b] triple");
  }
  for (let c = 0; c < 3; c++) {
    const problem = requireFinite(`chroma[${c}]`, (chroma as ArrayLike<number>)[c]);
    if (problem) return problem;
  }
  return null;
}

/** A validated, frozen FeedbackRecord. Non-finite losses, unknown classes or a bad chroma give InvalidParameter. */
export function createFeedbackRecord(input: FeedbackInput): DreamResult<FeedbackRecord> {
  if (typeof input !== "object" || input === null) {
    return err(invalidParameter("feedback", input, "must be an object { lossBefore, lossAfter, ... }"));
  }
  const problem =
    requireFinite("lossBefore", input.lossBefore) ??
    requireFinite("lossAfter", input.lossAfter) ??
    (input.classLabel == null || isColorClass(input.classLabel)
      ? null
      : invalidParameter("classLabel", input.classLabel, "must be a ColorClass or null")) ??
    (input.chroma == null ? null : checkChroma(input.chroma)) ??
    (input.entryId == null || typeof input.entryId === "string"
      ? null
      : invalidParameter("entryId", input.entryId, "must be a string or null")) ??
    (input.epoch == null ? null : requireInteger("epoch", input.epoch, 0));
  if (problem) return err(problem);
  const { lossBefore, lossAfter } = input;
  const chroma = input.chroma == null ? null : (Object.freeze(Array.from(input.chroma)) as unknown as Rgb);
  return ok(
    Object.freeze({
      lossBefore,
      lossAfter,
      deltaLoss: lossAfter - lossBefore,
      utility: utilityFromLosses(lossBefore, lossAfter),
      classLabel: input.classLabel ?? null,
      chroma,
      entryId: input.entryId ?? null,
      epoch: input.epoch ?? null,
    }),
  );
}

export const isHelpful = (record: FeedbackRecord): boolean => record.utility > 0;
export const isHarmful = (record: FeedbackRecord): boolean => record.utility < 0;

/** Checks a record handed back by a caller (e.g. after JSON): finite losses, utility in [−1, 1]. */
export function checkFeedbackRecord(record: unknown, parameter = "record"): DreamError | null {
  if (typeof record !== "object" || record === null) {
    return invalidParameter(parameter, record, "must be a FeedbackRecord (see createFeedbackRecord)");
  }
  const r = record as Partial<FeedbackRecord>;
  const utility = r.utility;
  if (typeof utility !== "number" || !Number.isFinite(utility) || utility < -1 || utility > 1) {
    return invalidParameter(`${parameter}.utility`, utility, "must be a finite number in [-1, 1]");
  }
  if (r.classLabel != null && !isColorClass(r.classLabel)) {
    return invalidParameter(`${parameter}.classLabel`, r.classLabel, "must be a ColorClass or null");
  }
  return null;
}
