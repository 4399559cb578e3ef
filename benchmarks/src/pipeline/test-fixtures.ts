// Synthetic runs for the pipeline's tests: the suites' real scenario and subject strings, made-up
// values (chosen so that a wrong pick gives a visibly different number).
import type { Figure, SuiteFile } from "@dreampool/bench-kit";
import type { RunResults } from "./results.js";

export function figure(
  scenario: string,
  subject: string,
  median: number,
  comparison?: Figure["comparison"],
  unit = "ms/query",
): Figure {
  return {
    scenario,
    subject,
    unit,
    value: { median, p25: median, p75: median, min: median * 0.9, max: median * 1.1, samples: 3 },
    ...(comparison ? { comparison } : {}),
  };
}

const faster = (ratio: number, baseline: string, target?: number): Figure["comparison"] => ({
  baseline,
  meaning: "x faster",
  ratio,
  ...(target === undefined ? {} : { target: { op: ">=" as const, value: target }, holds: ratio >= target }),
});

export function suite(name: string, figures: Figure[], extra: Partial<SuiteFile> = {}): SuiteFile {
  return {
    suite: name,
    date: "2026-11-25T20:00:00.000Z",
    node: "v20.20.2",
    platform: "linux x64",
    quick: false,
    figures,
    ...extra,
  };
}

const QC8 = "2000 queries, Zipf s=1.1 over 200 tensors 8x8x4, exact top-10 over 1000, d=64";
const QC32 = "2000 queries, Zipf s=1.1 over 200 tensors 32x32x4, exact top-10 over 1000, d=64";
const ENC = "encodeEntry, 8x8x4, d=64: spectral features precomputed vs recomputed";
const H10 = "hnsw top-10, n=10000, d=64, clustered, M=16, efConstruction=200";
const H100 = "hnsw top-10, n=100000, d=64, clustered, M=16, efConstruction=200";
const MMR = (n: number, k: number, sim: string) =>
  `MMR fast vs exact, n=${n}, k=${k}, d=64, lambda=0.5, similarity=${sim}, clustered, 3 queries`;

/** A run holding every figure the seed-claims table reads, plus decoys next to each. */
export function claimsRun(): RunResults {
  return {
    date: "2026-11-25T20:00:00.000Z",
    node: "v20.20.2",
    machine: { cpu: "test cpu", cores: 2, memoryGiB: 8, platform: "linux x64" },
    quick: false,
    suites: [
      suite("query-cache", [
        figure(QC8, "encode + search, without cache", 0.26),
        figure(
          QC8,
          "encode + search, with QueryCache (cold each pass)",
          0.24,
          faster(1.09, "without cache", 1.15),
        ),
        figure(QC8, "hit rate (cold pass)", 0.877, undefined, "ratio"),
        figure(QC8, "encode only, with QueryCache", 0.02, faster(2.46, "encode only, without cache")),
        figure(
          QC32,
          "encode + search, with QueryCache (cold each pass)",
          0.43,
          faster(1.55, "without cache"),
        ),
        figure(QC32, "encode only, with QueryCache", 0.18, faster(2.48, "encode only, without cache")),
      ]),
      suite("embedding", [
        figure(
          ENC,
          "encodeEntry, features precomputed (wall clock)",
          5e5,
          faster(7.82, "recomputing the features on every encode"),
        ),
        figure(
          ENC,
          "encodeEntry with cached (precomputed) spectral features, per CPU-second",
          4e5,
          faster(6.36, "recomputing the features on every encode (CPU time)", 1.15),
        ),
      ]),
      suite("exact-index", [
        figure(
          "exact top-10, n=10000, d=64, clustered",
          "ExactIndex (JS kernels) vs naive number[][] scan",
          5.4,
          faster(5.4, "naive number[][] scan"),
        ),
        figure(
          "exact top-10, n=10000, d=64, clustered",
          "ExactIndex vs naive number[][] scan",
          14.5,
          faster(14.5, "naive number[][] scan"),
        ),
        figure(
          "exact top-10, n=100000, d=64, clustered",
          "ExactIndex vs naive scan",
          24.6,
          faster(24.6, "naive scan"),
        ),
      ]),
      suite("hnsw-index", [
        figure(H10, "HnswIndex search vs exact scan (ef=64)", 0.17, faster(6.06, "ExactIndex exact scan")),
        figure(H100, "HnswIndex search vs exact scan (ef=64)", 0.2, faster(32.2, "ExactIndex exact scan")),
        figure(
          "exact vs HNSW top-10, d=64, clustered (crossover sweep), n=16000",
          "HnswIndex search, n=16000 (recall@10 1.000)",
          0.07,
          faster(9.7, "ExactIndex"),
        ),
      ]),
      suite("mmr", [
        figure(
          MMR(1000, 50, "dot (unit rows)"),
          "mmrFast (lazy) speed-up",
          4.6,
          faster(4.64, "mmr (exact)", 3),
        ),
        figure(
          MMR(10000, 20, "dot (unit rows)"),
          "mmrFast (lazy) speed-up",
          3.9,
          faster(3.95, "mmr (exact)", 3),
        ),
        figure(
          MMR(10000, 50, "dot (unit rows)"),
          "mmrFast candidateLimit=200 speed-up",
          19.9,
          faster(19.9, "mmr (exact)"),
        ),
        figure(
          MMR(10000, 50, "dot (unit rows)"),
          "mmrFast candidateLimit=200 overlap with exact",
          0.23,
          undefined,
          "overlap",
        ),
        figure(
          MMR(10000, 50, "dot (unit rows)"),
          "mmrFast (lazy) speed-up",
          4.5,
          faster(4.5, "mmr (exact)", 3),
        ),
        figure(
          MMR(10000, 50, "cosine (default)"),
          "mmrFast (lazy, cosine) speed-up",
          3.2,
          faster(3.23, "mmr (exact, cosine)"),
        ),
      ]),
      suite("pool", [
        figure(
          "soft retrieve k=10, n=10000, d=64",
          "pool, hnsw index",
          0.45,
          faster(4.99, "pool, exact index"),
        ),
        figure(
          "soft retrieve k=10, n=100000, d=64",
          "pool, hnsw index",
          1.27,
          faster(29.0, "pool, exact index", 20),
        ),
        figure(
          "soft retrieve k=10, n=100000, d=64",
          "pool, auto index",
          1.25,
          faster(15.6, "pool, exact index"),
        ),
        figure(
          "soft retrieve by 8x8x4 tensor, k=10, n=1000, exact",
          "cache of 256 (repeated queries hit)",
          0.26,
          faster(3.69, "cache of 1 (every query misses: FFT + encode)"),
        ),
      ]),
    ],
  };
}
