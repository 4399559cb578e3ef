import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import type { DreamErrorKind } from "dreampool/errors";
import { PgDreamPool } from "dreampool/postgres";
import { ChromaticTensor, COLOR_CLASSES } from "dreampool/tensor";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mustFailAsync, safeString } from "../harness/check.js";
import { DIMS, dreamResult, dreamTensor } from "../harness/fixtures.js";
import { badCount, hostile, nonFinite, oddValue, PROTO_IDS } from "../harness/hostile.js";
import { Tally, writePart } from "../harness/tally.js";

// Long fault-injection runs: on a loaded CI machine (every package testing at once) they can take
// several times their quiet-machine time; a timeout is not what they check.
const LONG_TEST_MS = 300_000;

// PgDreamPool (on PGlite, in-process) under hostile input: invalid configurations on connect,
// bad entries, feedback and retrieval options. Every bad call resolves to the right DreamError
// (never rejects) and the table's content, the stats and fixed retrieval answers stay as they were.

const tally = new Tally();
afterAll(() => writePart("props-postgres", { cases: tally.toJSON(), total: tally.total }));

const T0 = 1_700_000_000_000;
let db: PGlite;
let pool: PgDreamPool;
const ids: string[] = [];
let baseline = "";

async function observe(): Promise<string> {
  const stats = await pool.stats();
  const entries = await pool.entries();
  const answers = await Promise.all(
    (["hard", "soft", "hybrid"] as const).map(async (mode) => {
      const r = await pool.retrieve([0.4, 0.5, 0.3], { mode, k: 4, now: T0 });
      return r.ok ? r.value.map((d) => `${d.entry.id}:${d.score.toFixed(9)}`) : r.error.kind;
    }),
  );
  const { cache: _cache, ...rest } = stats.ok ? stats.value : ({ cache: null } as never);
  return JSON.stringify({
    stats: rest,
    entries: entries.ok
      ? entries.value.map((e) => [e.id, e.utility.mean, e.utility.count])
      : entries.error.kind,
    answers,
  });
}

beforeAll(async () => {
  db = await PGlite.create({ extensions: { vector } });
  const connected = await PgDreamPool.connect({
    connection: db,
    table: "rel_props",
    maxSize: 50,
    index: "exact",
    clock: () => T0,
  });
  if (!connected.ok) throw connected.error;
  pool = connected.value;
  for (let i = 0; i < 12; i++) {
    const id = await pool.add(dreamTensor(i), dreamResult(i));
    if (!id.ok) throw id.error;
    ids.push(id.value);
  }
  baseline = await observe();
}, 120_000);

afterAll(async () => {
  await pool?.drop();
  await pool?.close();
  await db?.close();
});

async function unchanged(label: string, call: () => Promise<void>): Promise<void> {
  await call();
  expect(await observe(), `${label} changed the Postgres pool`).toBe(baseline);
}

const goodTensor = dreamTensor(777);
const goodResult = dreamResult(777);

describe("PgDreamPool (PGlite) under hostile input", () => {
  it(
    "connect rejects invalid configurations with InvalidConfiguration",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc
              .oneof(
                fc.constantFrom(
                  "Dreams",
                  "a b",
                  "x;drop table y",
                  "1abc",
                  "a".repeat(64),
                  "",
                  "constructor()",
                  "\u0000",
                ),
                oddValue.filter((v) => v != null && typeof v !== "string"),
              )
              .map((table) => ({ table })),
            badCount.map((maxSize) => ({ maxSize })),
            fc
              .oneof(nonFinite, fc.constantFrom(-0.1, 1.5))
              .map((coherenceThreshold) => ({ coherenceThreshold })),
            hostile
              .filter((v) => v != null && v !== "fifo" && v !== "lru" && v !== "lowest-utility")
              .map((evictionPolicy) => ({ evictionPolicy })),
            fc.constantFrom(0, 1, 101, 1.5, Number.NaN).map((m) => ({ hnsw: { m } })),
            fc.constantFrom(-1, 0, "lots", Number.NaN).map((memoryBudgetBytes) => ({ memoryBudgetBytes })),
          ),
          async (options) => {
            tally.hit("PgDreamPool.connect");
            await mustFailAsync(`PgDreamPool.connect(${safeString(options)})`, ["InvalidConfiguration"], () =>
              PgDreamPool.connect({ connection: db, table: "rel_props_cfg", ...(options as object) }),
            );
          },
        ),
        { numRuns: 80 },
      );
    },
    LONG_TEST_MS,
  );

  it(
    "add, feedback, retrieve and remove with bad input leave the table as it was",
    async () => {
      const calls: fc.Arbitrary<{
        label: string;
        kinds: readonly string[];
        call: () => Promise<unknown>;
      }> = fc.oneof(
        fc
          .oneof(
            oddValue,
            fc.tuple(fc.integer({ min: 0, max: 95 }), nonFinite).map(([at, v]) => {
              const colors = Float32Array.from(goodTensor.colors);
              colors[at] = v;
              return ChromaticTensor.unsafeCreate(DIMS, colors, Float32Array.from(goodTensor.certainty));
            }),
          )
          .map((t) => ({
            label: `add(${safeString(t)})`,
            kinds: ["InvalidParameter", "DimensionMismatch"],
            call: () => pool.add(t as never, goodResult),
          })),
        fc
          .tuple(fc.constantFrom("energy", "coherence", "violation"), fc.oneof(nonFinite, oddValue))
          .map(([k, v]) => ({
            label: `add(result.${k} = ${safeString(v)})`,
            kinds: ["InvalidParameter", "DimensionMismatch"],
            call: () => pool.add(goodTensor, { ...goodResult, [k]: v } as never),
          })),
        fc.oneof(fc.constantFrom(...PROTO_IDS), fc.constant("d99999")).map((id) => ({
          label: `feedback(${safeString(id)})`,
          kinds: ["InvalidParameter"],
          call: () => pool.feedback(id, { utility: 0.5 }),
        })),
        fc
          .tuple(fc.constantFrom(...ids), fc.oneof(nonFinite, fc.constantFrom(1.5, -2, "0.5")))
          .map(([id, u]) => ({
            label: `feedback(${id}, ${safeString(u)})`,
            kinds: ["InvalidParameter"],
            call: () => pool.feedback(id, { utility: u as number }),
          })),
        fc
          .oneof(
            badCount.map((k) => ({ k })),
            hostile
              .filter((m) => m != null && m !== "hard" && m !== "soft" && m !== "hybrid")
              .map((mode) => ({ mode })),
            hostile
              .filter((c) => c != null && !COLOR_CLASSES.includes(c as never))
              .map((classFilter) => ({ classFilter })),
            fc.constant({
              filter: () => {
                throw new Error("hostile filter");
              },
            }),
            fc.constant({ weights: { alpha: Number.NaN, beta: 0.2, gamma: 0.1, delta: 0.05, lambda: 0.7 } }),
          )
          .map((o) => ({
            label: `retrieve(${safeString(o)})`,
            kinds: ["InvalidParameter"],
            call: () => pool.retrieve([0.3, 0.3, 0.3], o as never),
          })),
        fc.oneof(oddValue, fc.constant([0.1, Number.NaN, 0.2])).map((q) => ({
          label: `retrieve(query ${safeString(q)})`,
          kinds: ["InvalidParameter", "DimensionMismatch"],
          call: () => pool.retrieve(q as never, { k: 3 }),
        })),
      );
      await fc.assert(
        fc.asyncProperty(calls, async ({ label, kinds, call }) => {
          tally.hit("PgDreamPool.bad-calls");
          await unchanged(label, async () => {
            await mustFailAsync(`PgDreamPool.${label}`, kinds as DreamErrorKind[], call as never);
          });
        }),
        { numRuns: 150 },
      );
      for (const id of PROTO_IDS) {
        tally.hit("PgDreamPool.remove-proto");
        await unchanged(`remove(${JSON.stringify(id)})`, async () => {
          const r = await pool.remove(id);
          expect(r.ok ? r.value : r.error.kind).not.toBe(true);
          const got = await pool.get(id);
          expect(got.ok ? got.value : undefined).toBeUndefined();
        });
      }
    },
    LONG_TEST_MS,
  );
});
