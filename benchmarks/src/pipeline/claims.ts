import type { Figure } from "@dreampool/bench-kit";

type SuiteFigure = Figure & { suite: string };

/** One performance claim of the seed, and how to find the figure that checks it. */
export interface Claim {
  claim: string;
  /** The ratio the seed promises (ours / baseline speed-up). */
  promised: number;
  /** Picks the figure that measures it (the first match wins, larger sizes preferred by order of figures). */
  pick: (figures: readonly SuiteFigure[]) => SuiteFigure | undefined;
}

const has = (s: string, re: RegExp): boolean => re.test(s);
const comparedWith = (f: SuiteFigure, re: RegExp): boolean =>
  f.comparison !== undefined && has(f.comparison.baseline, re);
const last = <T>(xs: readonly T[]): T | undefined => xs[xs.length - 1];

export const SEED_CLAIMS: readonly Claim[] = [
  {
    claim: "Query cache: 15% faster repeated queries",
    promised: 1.15,
    pick: (fs) =>
      last(
        fs.filter(
          (f) => f.suite === "query-cache" && f.comparison && comparedWith(f, /without|no cache|uncached/i),
        ),
      ),
  },
  {
    claim: "Spectral feature caching: 15% faster encoding",
    promised: 1.15,
    pick: (fs) =>
      last(
        fs.filter(
          (f) =>
            f.suite === "embedding" &&
            f.comparison &&
            has(`${f.scenario} ${f.subject} ${f.comparison.baseline}`, /cach|precomputed|recomput/i),
        ),
      ),
  },
  {
    claim: "HNSW: 100x faster than a linear scan at 10K entries",
    promised: 100,
    pick: (fs) =>
      fs.find(
        (f) =>
          (f.suite === "hnsw-index" || f.suite === "pool") &&
          has(`${f.scenario} ${f.subject}`, /(10[,_ ]?000|10k)\b/i) &&
          has(f.subject, /hnsw/i) &&
          comparedWith(f, /exact|linear|scan/i),
      ),
  },
  {
    claim: "MMR fast approximation: 10x faster",
    promised: 10,
    pick: (fs) =>
      last(fs.filter((f) => f.suite === "mmr" && has(f.subject, /fast/i) && comparedWith(f, /exact/i))),
  },
  {
    claim: "~150x combined at scale (pool retrieval, HNSW + cache vs exact scan)",
    promised: 150,
    pick: (fs) =>
      last(fs.filter((f) => f.suite === "pool" && has(f.subject, /hnsw/i) && comparedWith(f, /exact/i))),
  },
];
