import { type DreamResult, err, invalidParameter, ok, unwrap } from "@dreampool/errors";
import type { FeedbackInput, UtilityStats } from "@dreampool/pool";
import { BiasProfile, createFeedbackRecord } from "@dreampool/scoring";
import { isColorClass } from "@dreampool/tensor";
import type { SqlExecutor } from "./executor.js";
import type { PoolObjectNames } from "./identifier.js";
import { vectorFromText } from "./vector-text.js";

/** A profile without feedback (every class neutral); the default options cannot fail. */
export const emptyBias = (): BiasProfile => unwrap(BiasProfile.create());

/** The utility a feedback input stands for: given, or -clamp(lossAfter - lossBefore, -1, 1). */
export function feedbackUtility(input: FeedbackInput): DreamResult<number> {
  if (typeof input !== "object" || input === null) {
    return err(invalidParameter("input", input, "must be { lossBefore, lossAfter } or { utility }"));
  }
  if ("utility" in input) {
    const u = input.utility;
    if (typeof u !== "number" || !(u >= -1 && u <= 1)) {
      return err(invalidParameter("input.utility", u, "must be a number in [-1, 1]"));
    }
    return ok(u);
  }
  const { lossBefore, lossAfter } = input as { lossBefore: unknown; lossAfter: unknown };
  if (typeof lossBefore !== "number" || !Number.isFinite(lossBefore)) {
    return err(invalidParameter("input.lossBefore", lossBefore, "must be a finite number"));
  }
  if (typeof lossAfter !== "number" || !Number.isFinite(lossAfter)) {
    return err(invalidParameter("input.lossAfter", lossAfter, "must be a finite number"));
  }
  return ok(-Math.min(1, Math.max(-1, lossAfter - lossBefore)));
}

interface UpdatedRow {
  utility_mean: number;
  utility_count: number;
  class_label: string | null;
  chroma: string;
}

/**
 * One atomic UPDATE of the running mean (the row lock serialises concurrent feedback on one
 * entry, so no update is lost), then the pool's shared bias profile, read and written under
 * FOR UPDATE in the same transaction.
 */
export async function recordFeedback(
  exec: SqlExecutor,
  names: PoolObjectNames,
  id: string,
  utility: number,
  input: FeedbackInput,
): Promise<DreamResult<{ stats: UtilityStats; bias: BiasProfile }>> {
  return exec.transaction(async (tx) => {
    const { rows } = await tx.query<UpdatedRow>(
      `UPDATE ${names.usage} u
         SET utility_mean = (coalesce(u.utility_mean, 0) * u.utility_count + $2) / (u.utility_count + 1),
             utility_count = u.utility_count + 1
        FROM ${names.dreams} d
       WHERE u.id = $1 AND d.id = u.id
       RETURNING u.utility_mean, u.utility_count, d.class_label, d.chroma::text AS chroma`,
      [id, utility],
    );
    const row = rows[0];
    if (row === undefined) return err(invalidParameter("id", id, "must name an entry in the pool"));
    const meta = await tx.query<{ bias: unknown }>(`SELECT bias FROM ${names.meta} FOR UPDATE`);
    const stored = meta.rows[0]?.bias;
    const restored = stored === null || stored === undefined ? null : BiasProfile.fromJSON(stored);
    const bias = restored?.ok ? restored.value : emptyBias();
    const chroma = vectorFromText(row.chroma);
    const losses = "utility" in input ? { lossBefore: 0, lossAfter: -utility } : input;
    const record = createFeedbackRecord({
      lossBefore: losses.lossBefore,
      lossAfter: losses.lossAfter,
      ...(row.class_label !== null && isColorClass(row.class_label) ? { classLabel: row.class_label } : {}),
      ...(chroma ? { chroma: [chroma[0] ?? 0, chroma[1] ?? 0, chroma[2] ?? 0] as const } : {}),
    });
    if (record.ok) bias.update(record.value);
    await tx.query(`UPDATE ${names.meta} SET bias = $1::jsonb`, [JSON.stringify(bias.toJSON())]);
    return ok({ stats: { mean: row.utility_mean, count: row.utility_count }, bias });
  });
}
