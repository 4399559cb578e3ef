// The "mmr-candidates-time" chart: exact MMR and mmrFast time against the number of candidates,
// over more sizes than the paired tables (those compare at two sizes). Each point is the best of
// three passes over the suite's queries (untimed warm-up pass first); k = 20, similarity "dot" on
// unit rows, as in the suite's fast-vs-exact tables.
import { isQuick, type SuiteRecorder, spread, timeOnce } from "@dreampool/bench-kit";
import { mmr, mmrFast } from "@dreampool/diversity";
import { unwrap } from "@dreampool/errors";

export interface SweepQuery {
  query: Float32Array;
  /** The query's candidates, flat, most similar first; a prefix of n rows is its top-n. */
  flat: Float32Array;
}

const K = 20;
const LAMBDA = 0.5;

function bestMs(run: () => void): number {
  run();
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 3; pass++) best = Math.min(best, timeOnce(run).ms);
  return best;
}

/** Sizes swept: up to the largest candidate set the queries carry. */
export const sweepSizes = (): number[] =>
  isQuick() ? [200, 500, 1_000] : [200, 500, 1_000, 2_000, 5_000, 10_000];

export function mmrCandidatesSweep(
  recorder: SuiteRecorder,
  queries: readonly SweepQuery[],
  dim: number,
): void {
  const exactLine: { x: number; y: number }[] = [];
  const fastLine: { x: number; y: number }[] = [];
  const scenario = `MMR time vs candidates, k=${K}, d=${dim}, lambda=${LAMBDA}, similarity=dot (unit rows), clustered, ${queries.length} queries, best of 3 passes`;
  recorder.section(scenario);
  for (const n of sweepSizes()) {
    const inputs = queries.map((q) => {
      if (q.flat.length < n * dim) throw new Error(`a query carries fewer than ${n} candidates`);
      return {
        vectors: q.flat.subarray(0, n * dim),
        dim,
        query: q.query,
        k: K,
        lambda: LAMBDA,
        similarity: "dot" as const,
      };
    });
    const exactMs =
      bestMs(() => {
        for (const input of inputs) unwrap(mmr(input));
      }) / queries.length;
    const fastMs =
      bestMs(() => {
        for (const input of inputs) unwrap(mmrFast(input));
      }) / queries.length;
    exactLine.push({ x: n, y: exactMs });
    fastLine.push({ x: n, y: fastMs });
    recorder.add({ scenario, subject: `mmr (exact), n=${n}`, unit: "ms/query", value: spread([exactMs]) });
    recorder.add({
      scenario,
      subject: `mmrFast (lazy), n=${n}`,
      unit: "ms/query",
      value: spread([fastMs]),
    });
  }
  const axes = {
    chart: "mmr-candidates-time",
    xLabel: `candidates n (k=${K}, d=${dim})`,
    yLabel: "ms per query (best of 3 passes)",
    logX: true,
    logY: true,
  };
  recorder.addSeries({ ...axes, label: "mmr (exact)", points: exactLine });
  recorder.addSeries({ ...axes, label: "mmrFast (lazy greedy, same picks)", points: fastLine });
}
