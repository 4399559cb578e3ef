import type { ModeOutcome } from "./retrieval-eval.js";

/** Scores may differ by float rounding of a stored copy (Postgres keeps some numbers as float4). */
const SCORE_TOLERANCE = 1e-6;

/**
 * Differences between two retrieval runs over the same queries, one line each: the ids must come
 * back in the same order with the same scores. Empty when the runs agree.
 */
export function compareOutcomes(before: readonly ModeOutcome[], after: readonly ModeOutcome[]): string[] {
  const problems: string[] = [];
  for (const [m, mode] of before.entries()) {
    const other = after[m];
    if (!other || other.mode !== mode.mode) {
      problems.push(`mode ${mode.mode}: missing after reload`);
      continue;
    }
    for (const [q, query] of mode.queries.entries()) {
      const a = query.results;
      const b = other.queries[q]?.results ?? [];
      const idsA = a.map((r) => r.id).join(",");
      const idsB = b.map((r) => r.id).join(",");
      if (idsA !== idsB) {
        problems.push(`${mode.mode} ${query.queryId}: ids ${idsA} became ${idsB}`);
        continue;
      }
      // Written as !(≤) so that a NaN score counts as a change.
      const drift = a.findIndex(
        (r, i) => !(Math.abs(r.score - (b[i]?.score ?? Number.NaN)) <= SCORE_TOLERANCE),
      );
      if (drift >= 0) problems.push(`${mode.mode} ${query.queryId}: score of ${a[drift]?.id} changed`);
    }
  }
  return problems;
}
