import {
  ChromaticNativeSolver,
  type DreamPoolLike,
  type DreamResult,
  generateColorDataset,
  type IndexChoice,
  ok,
  type PoolStats,
} from "dreampool";
import type { PgConnection } from "dreampool/postgres";
import { CLI_MODES } from "./args.js";
import { type DemoBackend, memoryBackend, postgresBackend } from "./backends.js";
import { DEFAULT_DREAM_SETTINGS, DEMO_DIMS, type DreamSettings } from "./dream.js";
import { type DreamPhase, dreamAndStore } from "./dreams.js";
import { type TensorImage, tensorImage } from "./image.js";
import { type Progress, silentProgress } from "./progress.js";
import { evaluateModes, type HeldOutQuery, type ModeOutcome } from "./retrieval-eval.js";
import { type SeedingOutcome, seedingAB } from "./seeding-ab.js";
import { compareOutcomes } from "./verify.js";

/**
 * The gate of the demo. The native solver's coherence is 0.6·colour balance + 0.4·hue harmony,
 * which favours fields with balanced channels and one hue. After 30 steps, dreams of the chromatic
 * classes score about 0.73 (Orange 0.81, Purple 0.89) and the achromatic White and Black about 0.55
 * (no hue to agree on). The pool's default of 0.75 would keep only Orange and Purple; 0.6 keeps
 * every chromatic class and turns the achromatic dreams away: a fifth of them, visibly.
 */
export const DEMO_COHERENCE_THRESHOLD = 0.6;

export interface DemoOptions {
  /** Dreams to generate (spread evenly over the ten classes). */
  readonly size: number;
  readonly seed: number;
  readonly k: number;
  readonly index: IndexChoice;
  readonly budgetBytes: number | null;
  /** A postgres:// URL (or a pg Pool or PGlite instance), or null for the in-memory pool. */
  readonly store: PgConnection | null;
  /** Postgres table of the demo (cleared at the start). */
  readonly table: string;
  /** Where the in-memory pool's snapshot is written. */
  readonly snapshotPath: string;
  readonly coherenceThreshold: number;
  /** Targets of the seeding A/B. */
  readonly abTargets: number;
  readonly dream: DreamSettings;
  readonly progress: Progress;
  /** The time the pool's entries and retrievals are stamped with. */
  readonly now: number;
}

export type DemoInput = Partial<DemoOptions> & Pick<DemoOptions, "snapshotPath">;

export interface DemoReport {
  readonly settings: Omit<DemoOptions, "progress" | "snapshotPath" | "store"> & {
    readonly store: string;
    readonly dims: { rows: number; cols: number; layers: number };
  };
  readonly dreams: DreamPhase;
  readonly queries: readonly { id: string; classLabel: string }[];
  readonly retrieval: readonly ModeOutcome[];
  readonly seeding: SeedingOutcome;
  readonly stats: PoolStats;
  readonly snapshot: {
    readonly location: string;
    readonly bytes: number | null;
    readonly verified: boolean;
    readonly compared: number;
    readonly mismatches: readonly string[];
  };
  /** Every query and every retrieved dream, drawn as layer-mean colours, by id. */
  readonly images: Readonly<Record<string, TensorImage>>;
}

export function resolveDemoOptions(input: DemoInput): DemoOptions {
  return {
    size: 1000,
    seed: 1,
    k: 5,
    index: "auto",
    budgetBytes: null,
    store: null,
    table: "dreampool_demo",
    coherenceThreshold: DEMO_COHERENCE_THRESHOLD,
    abTargets: 20,
    dream: DEFAULT_DREAM_SETTINGS,
    progress: silentProgress,
    now: Date.UTC(2026, 0, 1),
    ...input,
  };
}

async function openBackend(o: DemoOptions): Promise<DreamResult<DemoBackend>> {
  const poolOptions = {
    maxSize: Math.max(1000, o.size),
    coherenceThreshold: o.coherenceThreshold,
    index: o.index,
    retrievalLimit: o.k,
    clock: () => o.now,
    ...(o.budgetBytes === null ? {} : { memoryBudgetBytes: o.budgetBytes }),
  };
  return o.store === null
    ? memoryBackend(poolOptions, o.snapshotPath)
    : postgresBackend(o.store, o.table, poolOptions);
}

async function drawAll(
  pool: DreamPoolLike,
  outcomes: readonly ModeOutcome[],
  images: Record<string, TensorImage>,
) {
  for (const mode of outcomes) {
    for (const q of mode.queries) {
      for (const r of q.results) {
        if (images[r.id]) continue;
        const entry = await pool.get(r.id);
        if (!entry.ok) return entry;
        if (entry.value) images[r.id] = tensorImage(entry.value.tensor);
      }
    }
  }
  return ok(undefined);
}

/** The whole dream cycle: dream, store, retrieve, seed, account, persist and verify. */
export async function runDemo(input: DemoInput): Promise<DreamResult<DemoReport>> {
  const o = resolveDemoOptions(input);
  const solver = ChromaticNativeSolver.create();
  if (!solver.ok) return solver;
  const perClass = Math.max(1, Math.ceil(o.size / 10));
  const dims = DEMO_DIMS;
  // Three disjoint seeded draws: the dreams' targets, the held-out queries and the A/B targets.
  const dataset = generateColorDataset({ samplesPerClass: perClass, ...dims, seed: o.seed });
  const held = generateColorDataset({ samplesPerClass: 1, ...dims, seed: o.seed + 7919 });
  const abSet = generateColorDataset({
    samplesPerClass: Math.ceil(o.abTargets / 10),
    ...dims,
    seed: o.seed + 104729,
  });
  if (!dataset.ok) return dataset;
  if (!held.ok) return held;
  if (!abSet.ok) return abSet;

  const backend = await openBackend(o);
  if (!backend.ok) return backend;
  let pool = backend.value.pool;
  try {
    const targets = dataset.value.samples.slice(0, o.size);
    const dreams = await dreamAndStore(
      pool,
      solver.value,
      targets,
      o.dream,
      o.seed,
      o.coherenceThreshold,
      o.progress,
    );
    if (!dreams.ok) return dreams;

    const queries: HeldOutQuery[] = [...held.value.samples]
      .sort((a, b) => a.label.localeCompare(b.label))
      .map((s, i) => ({ id: `q${i + 1}`, classLabel: s.label, tensor: s.tensor }));
    const retrieval = await evaluateModes(pool, queries, CLI_MODES, o.k, o.now);
    if (!retrieval.ok) return retrieval;
    const images: Record<string, TensorImage> = {};
    for (const q of queries) images[q.id] = tensorImage(q.tensor);
    const drawn = await drawAll(pool, retrieval.value, images);
    if (!drawn.ok) return drawn;

    const abTargets = abSet.value.samples.slice(0, o.abTargets);
    const seeding = await seedingAB(pool, solver.value, abTargets, o.dream, o.seed, o.now, o.progress);
    if (!seeding.ok) return seeding;

    const stats = await pool.stats();
    if (!stats.ok) return stats;
    const before = await evaluateModes(pool, queries, CLI_MODES, o.k, o.now);
    if (!before.ok) return before;
    const reopened = await backend.value.reopen();
    if (!reopened.ok) return reopened;
    pool = reopened.value.pool;
    const after = await evaluateModes(pool, queries, CLI_MODES, o.k, o.now);
    if (!after.ok) return after;
    const mismatches = compareOutcomes(before.value, after.value);
    const { progress: _progress, snapshotPath: _path, store, ...settings } = o;
    return ok({
      settings: { ...settings, store: backend.value.description, dims: { ...dims } },
      dreams: dreams.value,
      queries: queries.map((q) => ({ id: q.id, classLabel: q.classLabel })),
      retrieval: retrieval.value,
      seeding: seeding.value,
      stats: stats.value,
      snapshot: {
        location: reopened.value.location,
        bytes: reopened.value.bytes,
        verified: mismatches.length === 0,
        compared: before.value.reduce((s, m) => s + m.queries.length, 0),
        mismatches,
      },
      images,
    });
  } finally {
    // close() is idempotent (reopen() already closed the first Postgres pool) and free in memory.
    await pool.close();
  }
}
