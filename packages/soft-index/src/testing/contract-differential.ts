import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import type { Hit, Metric, SearchOptions, VectorIndex } from "../contract.js";
import {
  expectErrKind,
  expectOk,
  expectWellOrdered,
  hitIds,
  patterned,
  tolerance,
  type VectorIndexContractOptions,
  vec,
} from "./fixtures.js";
import { NaiveVectorModel } from "./naive-model.js";

const DIM = 6;

export function describeSnapshot(
  make: (dim?: number) => VectorIndex,
  metric: Metric,
  options: VectorIndexContractOptions,
): void {
  it("round-trips through toBytes and restore: same entries, same answers, independent copy", () => {
    const index = make(DIM);
    for (let i = 0; i < 40; i++) expectOk(index.add(`s${i}-é✓😀`, patterned(DIM, i + 100)));
    for (let i = 0; i < 40; i += 3) index.remove(`s${i}-é✓😀`);
    const restored = expectOk(options.restore(expectOk(index.toBytes())));
    expect(restored.dim).toBe(DIM);
    expect(restored.metric).toBe(metric);
    expect(restored.size).toBe(index.size);
    expect([...restored.ids()].sort()).toEqual([...index.ids()].sort());
    for (const id of index.ids()) expect(restored.get(id)).toEqual(index.get(id));
    for (let q = 0; q < 5; q++) {
      const query = patterned(DIM, q + 500);
      expect(expectOk(restored.search(query, 7))).toEqual(expectOk(index.search(query, 7)));
    }
    restored.remove("s1-é✓😀");
    expect(index.has("s1-é✓😀")).toBe(true);
    expectOk(restored.add("new", patterned(DIM, 1)));
    expect(index.has("new")).toBe(false);
  });

  it("round-trips an empty index", () => {
    const restored = expectOk(options.restore(expectOk(make(DIM).toBytes())));
    expect(restored.size).toBe(0);
    expect(restored.dim).toBe(DIM);
    expect(expectOk(restored.search(patterned(DIM, 1), 3))).toEqual([]);
  });

  it("reports truncated or damaged bytes as IndexCorrupted", () => {
    const index = make(DIM);
    for (let i = 0; i < 10; i++) expectOk(index.add(`s${i}`, patterned(DIM, i + 7)));
    const bytes = expectOk(index.toBytes());
    expectErrKind(options.restore(new Uint8Array(0)), "IndexCorrupted");
    expectErrKind(options.restore(bytes.subarray(0, bytes.length - 9)), "IndexCorrupted");
    const flipped = bytes.slice();
    flipped[Math.floor(bytes.length / 2)] = (flipped[Math.floor(bytes.length / 2)] as number) ^ 0x5a;
    expectErrKind(options.restore(flipped), "IndexCorrupted");
    expectErrKind(
      options.restore(Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff)),
      "IndexCorrupted",
    );
  });
}

interface Operation {
  readonly op: "add" | "upsert" | "remove";
  readonly id: number;
  readonly vector: number[];
}

interface QuerySpec {
  readonly vector: number[];
  readonly k: number;
  readonly filterModulus: number | null;
  readonly minScoreRank: number | null;
}

// Components are multiples of 1/4 so they are exact in float32 and ties really occur.
const component = fc.integer({ min: -12, max: 12 }).map((x) => x / 4);
const vectorArb = fc.array(component, { minLength: DIM, maxLength: DIM });
const operationArb: fc.Arbitrary<Operation> = fc.record({
  op: fc.constantFrom<Operation["op"]>("add", "add", "upsert", "remove"),
  id: fc.integer({ min: 0, max: 29 }),
  vector: vectorArb,
});
const queryArb: fc.Arbitrary<QuerySpec> = fc.record({
  vector: vectorArb,
  k: fc.integer({ min: 1, max: 35 }),
  filterModulus: fc.option(fc.integer({ min: 2, max: 4 })),
  minScoreRank: fc.option(fc.integer({ min: 0, max: 30 })),
});

// Cosine needs a direction: an all-zero vector becomes a unit vector along the first axis.
const usable = (v: number[], metric: Metric): Float32Array =>
  metric === "cosine" && v.every((x) => x === 0) ? vec(1, ...v.slice(1)) : Float32Array.from(v);

export function describeDifferential(
  make: (dim?: number) => VectorIndex,
  metric: Metric,
  options: VectorIndexContractOptions,
): void {
  const minRecall = options.minRecall ?? 1;
  let found = 0;
  let expected = 0;

  it("agrees with a naive scan after random add / upsert / remove sequences (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.array(operationArb, { maxLength: 70 }),
        fc.array(queryArb, { minLength: 1, maxLength: 5 }),
        (ops, queries) => {
          const index = make(DIM);
          const model = new NaiveVectorModel(metric);
          for (const { op, id: n, vector } of ops) {
            const id = `id${n}`;
            const v = usable(vector, metric);
            if (op === "remove") {
              expect(index.remove(id)).toBe(model.delete(id));
            } else if (op === "add") {
              const result = index.add(id, v);
              if (model.has(id)) expectErrKind(result, "InvalidParameter");
              else {
                expectOk(result);
                model.set(id, v);
              }
            } else {
              expectOk(index.upsert(id, v));
              model.set(id, v);
            }
          }
          expect(index.size).toBe(model.vectors.size);
          expect([...index.ids()].sort()).toEqual([...model.vectors.keys()].sort());
          for (const spec of queries) {
            const query = usable(spec.vector, metric);
            const searchOptions = optionsFor(spec, model, query);
            const hits = expectOk(index.search(query, spec.k, searchOptions));
            checkAgainstModel(hits, model, query, spec.k, searchOptions, metric, minRecall === 1);
            // Recall that forgives float32 rounding: entries whose true score is within tolerance of
            // minScore may go either way, and a hit counts when its true score reaches the true k-th.
            const minScore = searchOptions.minScore ?? Number.NEGATIVE_INFINITY;
            const truth = model
              .search(query, spec.k, searchOptions)
              .filter((t) => t.score >= minScore + tolerance(t.score));
            const kth = truth[truth.length - 1]?.score ?? Number.NEGATIVE_INFINITY;
            const trueScore = new Map(model.ranked(query).map((h) => [h.id, h.score]));
            const good = hits.filter(
              (h) => (trueScore.get(h.id) ?? Number.NEGATIVE_INFINITY) >= kth - tolerance(kth),
            );
            found += Math.min(good.length, truth.length);
            expected += truth.length;
          }
        },
      ),
      { numRuns: options.numRuns ?? 60, seed: 20251125 },
    );
  });

  afterAll(() => {
    if (expected > 0) expect(found / expected).toBeGreaterThanOrEqual(minRecall);
  });
}

function optionsFor(spec: QuerySpec, model: NaiveVectorModel, query: Float32Array): SearchOptions {
  const { filterModulus, minScoreRank } = spec;
  const filter =
    filterModulus === null ? undefined : (id: string) => Number(id.slice(2)) % filterModulus !== 0;
  let minScore: number | undefined;
  if (minScoreRank !== null) {
    const ranked = model.ranked(query);
    minScore = ranked[Math.min(minScoreRank, ranked.length - 1)]?.score;
  }
  return { ...(filter ? { filter } : {}), ...(minScore !== undefined ? { minScore } : {}) };
}

/**
 * Checks a result against the naive scan, allowing scores to differ by float32 rounding: ids
 * whose true score is within tolerance of a boundary (the k-th score, minScore) may go either way.
 */
function checkAgainstModel(
  hits: readonly Hit[],
  model: NaiveVectorModel,
  query: Float32Array,
  k: number,
  options: SearchOptions,
  metric: Metric,
  exact: boolean,
): void {
  expectWellOrdered(hits, metric);
  const minScore = options.minScore ?? Number.NEGATIVE_INFINITY;
  const allowed = new Map(model.ranked(query, options.filter).map((h) => [h.id, h.score]));
  for (const hit of hits) {
    const truth = allowed.get(hit.id);
    expect(truth, `hit ${hit.id} is not a live id accepted by the filter`).toBeDefined();
    expect(Math.abs(hit.score - (truth as number))).toBeLessThanOrEqual(tolerance(truth as number));
    expect(hit.score).toBeGreaterThanOrEqual(minScore);
  }
  expect(new Set(hitIds(hits)).size).toBe(hits.length);
  if (!exact) return;
  const scores = [...allowed.values()];
  const surely = scores.filter((s) => s >= minScore + tolerance(s)).length;
  const maybe = scores.filter((s) => s >= minScore - tolerance(s)).length;
  expect(hits.length).toBeGreaterThanOrEqual(Math.min(k, surely));
  expect(hits.length).toBeLessThanOrEqual(Math.min(k, maybe));
  const returned = new Set(hitIds(hits));
  const last = hits.length === k ? (hits[k - 1] as Hit).score : Number.NEGATIVE_INFINITY;
  for (const [id, score] of allowed) {
    const mustBeIn = score >= minScore + tolerance(score) && score > last + tolerance(score);
    if (mustBeIn) expect(returned.has(id), `${id} (score ${score}) is missing`).toBe(true);
  }
}
