import type {
  ChromaticTensor,
  ColorClass,
  DreamPoolLike,
  DreamResult,
  PoolQuery,
  RetrieveOptions,
  Rgb,
  ScoredDream,
} from "dreampool";
import { ok } from "dreampool";
import type { CliMode } from "./args.js";

/** One retrieved dream, as the tables, the JSON and the HTML report show it. */
export interface RetrievedRow {
  readonly id: string;
  readonly classLabel: ColorClass | null;
  /** The retrieval similarity (colour cosine in hard mode, embedding cosine in soft mode). */
  readonly similarity: number;
  /** The entry's mean feedback utility in [-1, 1], or null before any feedback. */
  readonly utility: number | null;
  readonly score: number;
  readonly chroma: Rgb;
}

/** The retrieve options behind each CLI mode; "diverse" is hybrid re-ranked with exact MMR. */
export function retrieveOptionsFor(mode: CliMode, k: number, now: number): RetrieveOptions {
  return mode === "diverse"
    ? { mode: "hybrid", k, now, diversity: { method: "exact", lambda: 0.5 } }
    : { mode, k, now };
}

export function toRow(scored: ScoredDream): RetrievedRow {
  const { entry, score, components } = scored;
  return {
    id: entry.id,
    classLabel: entry.classLabel,
    similarity: components.similarity,
    utility: entry.utility.mean,
    score,
    chroma: entry.chroma,
  };
}

export async function retrieveRows(
  pool: DreamPoolLike,
  query: PoolQuery,
  mode: CliMode,
  k: number,
  now: number,
  classFilter?: ColorClass,
): Promise<DreamResult<{ rows: RetrievedRow[]; entries: ScoredDream[] }>> {
  const options = retrieveOptionsFor(mode, k, now);
  const found = await pool.retrieve(query, classFilter ? { ...options, classFilter } : options);
  if (!found.ok) return found;
  return ok({ rows: found.value.map(toRow), entries: found.value });
}

export interface HeldOutQuery {
  readonly id: string;
  readonly classLabel: ColorClass;
  readonly tensor: ChromaticTensor;
}

export interface QueryOutcome {
  readonly queryId: string;
  readonly queryClass: ColorClass;
  readonly results: readonly RetrievedRow[];
  /** Share of the results whose class is the query's. */
  readonly precision: number;
}

export interface ModeOutcome {
  readonly mode: CliMode;
  readonly queries: readonly QueryOutcome[];
  /** Mean class precision@k over the queries. */
  readonly precisionAtK: number;
}

/** Every query in every mode; precision@k is the share of same-class results, averaged per mode. */
export async function evaluateModes(
  pool: DreamPoolLike,
  queries: readonly HeldOutQuery[],
  modes: readonly CliMode[],
  k: number,
  now: number,
): Promise<DreamResult<ModeOutcome[]>> {
  const outcomes: ModeOutcome[] = [];
  for (const mode of modes) {
    const perQuery: QueryOutcome[] = [];
    for (const q of queries) {
      const found = await retrieveRows(pool, q.tensor, mode, k, now);
      if (!found.ok) return found;
      const rows = found.value.rows;
      const same = rows.filter((r) => r.classLabel === q.classLabel).length;
      perQuery.push({
        queryId: q.id,
        queryClass: q.classLabel,
        results: rows,
        precision: rows.length === 0 ? 0 : same / k,
      });
    }
    const precisionAtK = perQuery.reduce((s, q) => s + q.precision, 0) / Math.max(1, perQuery.length);
    outcomes.push({ mode, queries: perQuery, precisionAtK });
  }
  return ok(outcomes);
}
