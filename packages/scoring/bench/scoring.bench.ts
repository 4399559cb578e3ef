// In-package benchmark of @dreampool/scoring (suite "scoring"): hybrid re-ranking of an over-fetched
// list of 200 candidates (64-d clustered embeddings, mixed utilities, classes and ages) to k = 10,
// without diversity, with the exact and the lazy MMR penalty, and against the same scoring followed by a
// recompute-everything MMR (the reference's re-ranking cost model).
import { fileURLToPath } from "node:url";
import { clusteredVectors, comparePaired, isQuick, mulberry32, SuiteRecorder } from "@dreampool/bench-kit";
import { mmrNaive } from "@dreampool/diversity";
import { unwrap } from "@dreampool/errors";
import { COLOR_CLASSES } from "@dreampool/tensor";
import {
  DEFAULT_RETRIEVAL_WEIGHTS,
  type RerankOptions,
  rerankHybrid,
  type ScoringCandidate,
} from "../src/index.js";

const SEED = 20251125;
const D = 64;
const CANDIDATES = 200;
const K = 10;
const LISTS = 20;
const NOW = 1_800_000_000_000;

function candidateLists(): ScoringCandidate[][] {
  const rng = mulberry32(SEED);
  const data = clusteredVectors(LISTS * CANDIDATES, D, SEED, { clusters: 50 });
  return Array.from({ length: LISTS }, (_, list) =>
    Array.from({ length: CANDIDATES }, (_, i) => {
      const row = list * CANDIDATES + i;
      return {
        id: `d${row}`,
        similarity: 0.9 - 0.4 * (i / CANDIDATES) + 0.01 * rng(),
        utility: rng() < 0.3 ? null : 2 * rng() - 1,
        classLabel: rng() < 0.2 ? null : COLOR_CLASSES[Math.floor(rng() * COLOR_CLASSES.length)]!,
        lastUsedAt: NOW - Math.floor(rng() * 86_400_000),
        vector: data.subarray(row * D, (row + 1) * D),
      };
    }),
  );
}

export async function run(): Promise<void> {
  const quick = isQuick();
  const recorder = new SuiteRecorder("scoring");
  const timing = quick ? { rounds: 3, timeMs: 40 } : { rounds: 7, timeMs: 200 };
  const lists = candidateLists();
  const scenario = `rerankHybrid, ${CANDIDATES} candidates -> k=${K}, d=${D}, recency on, ${LISTS} lists`;
  recorder.section(scenario);
  const base: RerankOptions = {
    weights: DEFAULT_RETRIEVAL_WEIGHTS,
    queryClass: "Red",
    k: K,
    now: NOW,
    recencyHalfLifeMs: 3_600_000,
  };
  const rerank = (diversity: RerankOptions["diversity"]) => () =>
    lists.map((list) => unwrap(rerankHybrid(list, { ...base, diversity })));
  // Same scores, then MMR that recomputes every candidate's max similarity to all picks each round.
  const vectorsById = lists.map((list) => new Map(list.map((c) => [c.id, c.vector])));
  const naive = () =>
    lists.map((list, l) => {
      const plain = unwrap(rerankHybrid(list, { ...base, k: CANDIDATES, diversity: false }));
      const { lambda, delta } = DEFAULT_RETRIEVAL_WEIGHTS;
      return unwrap(
        mmrNaive({
          vectors: plain.map((r) => vectorsById[l]!.get(r.id)!),
          relevance: plain.map((r) => r.components.base),
          k: K,
          lambda: lambda / (lambda + delta),
        }),
      ).indices;
    });
  const fastPicks = rerank({ method: "fast" })().map((l) => l.map((r) => r.id).join());
  const exactPicks = rerank({ method: "exact" })().map((l) => l.map((r) => r.id).join());
  const agree = fastPicks.filter((p, i) => p === exactPicks[i]).length;
  console.log(`  fast and exact diversity rank identically on ${agree}/${LISTS} lists`);
  const results = await comparePaired(
    [
      { name: "rerankHybrid, diversity exact", run: rerank({ method: "exact" }), opsPerCall: LISTS },
      { name: "rerankHybrid, diversity fast", run: rerank({ method: "fast" }), opsPerCall: LISTS },
      { name: "rerankHybrid, no diversity", run: rerank(false), opsPerCall: LISTS },
      { name: "scores + naive recompute MMR", run: naive, opsPerCall: LISTS },
    ],
    { ...timing, reference: "scores + naive recompute MMR" },
  );
  for (const r of results) {
    const perSecond = 1000 / r.msPerOp.median;
    recorder.add({
      scenario,
      subject: r.name,
      unit: "re-ranks/s",
      value: {
        median: perSecond,
        p25: 1000 / r.msPerOp.p75,
        p75: 1000 / r.msPerOp.p25,
        min: 1000 / r.msPerOp.max,
        max: 1000 / r.msPerOp.min,
        samples: r.msPerOp.samples,
      },
      ...(r.name === "scores + naive recompute MMR"
        ? {}
        : {
            comparison: {
              baseline: "scores + naive recompute MMR",
              meaning: "x faster",
              ratio: 1 / r.ratioToReference.median,
            },
          }),
    });
  }
  recorder.write();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
