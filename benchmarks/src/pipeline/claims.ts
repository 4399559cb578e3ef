import type { Figure } from "@dreampool/bench-kit";

export type SuiteFigure = Figure & { suite: string };

/** One performance claim of the seed, and how to find the figure of a run that checks it. */
export interface Claim {
  claim: string;
  /** The speed-up the seed promises (ours / baseline, "x faster"). */
  promised: number;
  /** The one figure that measures it, by its suite, scenario and subject as the suites write them. */
  pick: (figures: readonly SuiteFigure[]) => SuiteFigure | undefined;
  /** Context from other figures of the same run (never a number typed here). */
  note?: (figures: readonly SuiteFigure[]) => string | undefined;
}

/** The n of a scenario ("…, n=10000, …"), or -1. */
export const sizeOf = (scenario: string): number => {
  const m = /\bn=(\d+)/.exec(scenario);
  return m ? Number(m[1]) : -1;
};

/** The k of a scenario ("…, k=50, …"), or -1. */
const kOf = (scenario: string): number => {
  const m = /\bk=(\d+)/.exec(scenario);
  return m ? Number(m[1]) : -1;
};

/** The figure with the largest key (first on ties), among those with a comparison. */
function largest(figures: readonly SuiteFigure[], key: (f: SuiteFigure) => number): SuiteFigure | undefined {
  let best: SuiteFigure | undefined;
  for (const f of figures) if (f.comparison && (best === undefined || key(f) > key(best))) best = f;
  return best;
}

const ratioText = (f: SuiteFigure | undefined): string | undefined =>
  f?.comparison ? `${formatRatio(f.comparison.ratio)}${f.comparison.meaning}` : undefined;

export const formatRatio = (x: number): string =>
  !Number.isFinite(x) ? String(x) : x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(3);

export const SEED_CLAIMS: readonly Claim[] = [
  {
    claim: "Query cache: 15% faster repeated queries",
    promised: 1.15,
    // The seed's workload: repeated 8x8x4 tensor queries (Zipf), encode + search, cache cold each pass.
    pick: (fs) =>
      fs.find(
        (f) =>
          f.suite === "query-cache" &&
          f.comparison !== undefined &&
          / 8x8x4, /.test(f.scenario) &&
          f.subject.startsWith("encode + search, with QueryCache"),
      ),
    note: (fs) => {
      const big = fs.find(
        (f) =>
          f.suite === "query-cache" &&
          / 32x32x4, /.test(f.scenario) &&
          f.subject.startsWith("encode + search, with QueryCache"),
      );
      const hit = fs.find(
        (f) => f.suite === "query-cache" && / 8x8x4, /.test(f.scenario) && f.subject.startsWith("hit rate"),
      );
      return [
        hit ? `hit rate ${formatRatio(hit.value.median)}` : undefined,
        big ? `32x32x4 tensors: ${ratioText(big)}` : undefined,
      ]
        .filter((x) => x !== undefined)
        .join("; ");
    },
  },
  {
    claim: "Spectral feature caching: 15% faster encoding",
    promised: 1.15,
    pick: (fs) =>
      fs.find(
        (f) =>
          f.suite === "embedding" &&
          f.comparison !== undefined &&
          f.subject.startsWith("encodeEntry with cached (precomputed) spectral features"),
      ),
    note: (fs) => {
      const wall = fs.find(
        (f) =>
          f.suite === "embedding" &&
          f.comparison !== undefined &&
          f.subject.startsWith("encodeEntry, features precomputed (wall clock)"),
      );
      return wall ? `wall clock: ${ratioText(wall)}` : undefined;
    },
  },
  {
    claim: "HNSW: 100x faster than a linear scan at 10K entries",
    promised: 100,
    pick: (fs) =>
      fs.find(
        (f) =>
          f.suite === "hnsw-index" &&
          f.comparison !== undefined &&
          f.scenario.startsWith("hnsw top-10, n=10000, d=64, clustered") &&
          f.subject.startsWith("HnswIndex search vs exact scan"),
      ),
    note: (fs) => {
      const naive = fs.find(
        (f) =>
          f.suite === "exact-index" &&
          f.comparison !== undefined &&
          f.scenario === "exact top-10, n=10000, d=64, clustered" &&
          // The default path (not "ExactIndex (JS kernels) vs …").
          /^ExactIndex vs naive/.test(f.subject),
      );
      return naive
        ? `the exact scan it is measured against is itself ${ratioText(naive)} than a naive number[][] scan at 10k (exact-index suite)`
        : undefined;
    },
  },
  {
    claim: "MMR fast approximation: 10x faster",
    promised: 10,
    // mmrFast with its defaults (lazy greedy: the same picks as exact MMR), at the largest n and k.
    pick: (fs) =>
      largest(
        fs.filter(
          (f) =>
            f.suite === "mmr" &&
            f.scenario.startsWith("MMR fast vs exact") &&
            /similarity=dot/.test(f.scenario) &&
            f.subject === "mmrFast (lazy) speed-up",
        ),
        (f) => sizeOf(f.scenario) * 1000 + kOf(f.scenario),
      ),
    note: (fs) => {
      const limited = largest(
        fs.filter(
          (f) =>
            f.suite === "mmr" &&
            /similarity=dot/.test(f.scenario) &&
            /^mmrFast candidateLimit=\d+ speed-up$/.test(f.subject),
        ),
        (f) => sizeOf(f.scenario) * 1000 + kOf(f.scenario),
      );
      if (!limited) return undefined;
      const name = limited.subject.replace(/ speed-up$/, "");
      const overlap = fs.find(
        (f) =>
          f.suite === "mmr" && f.scenario === limited.scenario && f.subject === `${name} overlap with exact`,
      );
      return `${name} (a true approximation): ${ratioText(limited)}${
        overlap ? `, but only ${formatRatio(overlap.value.median)} of its picks match exact MMR` : ""
      } (${limited.scenario})`;
    },
  },
  {
    claim: "~150x combined at scale (pool retrieval: HNSW vs exact scan)",
    promised: 150,
    pick: (fs) =>
      largest(
        fs.filter(
          (f) =>
            f.suite === "pool" &&
            f.scenario.startsWith("soft retrieve k=10, n=") &&
            f.subject === "pool, hnsw index",
        ),
        (f) => sizeOf(f.scenario),
      ),
    note: (fs) => {
      const cache = fs.find((f) => f.suite === "pool" && f.subject.startsWith("cache of 256"));
      return cache
        ? `the query cache adds ${ratioText(cache)} on repeated tensor queries (${cache.scenario})`
        : undefined;
    },
  },
];

export interface ClaimVerdict {
  claim: Claim;
  figure: SuiteFigure | undefined;
  holds: boolean | undefined;
  note: string | undefined;
}

/** Each seed claim with the figure that measures it in this run and whether it holds. */
export function judgeClaims(figures: readonly SuiteFigure[], claims = SEED_CLAIMS): ClaimVerdict[] {
  return claims.map((claim) => {
    const figure = claim.pick(figures);
    const holds = figure?.comparison ? figure.comparison.ratio >= claim.promised : undefined;
    const note = claim.note?.(figures) || undefined;
    return { claim, figure, holds, note };
  });
}
