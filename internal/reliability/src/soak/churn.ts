import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DreamPool, type DreamPoolOptions, type RetrieveOptions, type ScoredDream } from "dreampool/pool";
import { COLOR_CLASSES, type ColorClass, type Rgb, seededRandom } from "dreampool/tensor";
import { classFor, dreamResult, dreamTensor } from "../harness/fixtures.js";

// The churn soak: a long random mix of adds, removals, feedback, retrievals in every mode and
// snapshot round trips on a budgeted HNSW pool. A model of the ids it was given (live, gone)
// is checked against the pool after every retrieval and, in full, every `checkEvery` operations.

export interface ChurnOptions {
  readonly operations: number;
  readonly seed: number;
  readonly checkEvery: number;
  /** In-memory snapshot round trip (toBytes / fromBytes, then continue on the copy) every this many ops. */
  readonly snapshotEvery: number;
  /** File snapshot (save / load through the file system) every this many ops. */
  readonly fileSnapshotEvery: number;
  /** Heap sample (after a forced GC when available) every this many ops. */
  readonly heapEvery: number;
  readonly maxSize: number;
  readonly memoryBudgetBytes: number;
  readonly onProgress?: (done: number, figures: ChurnFigures) => void;
}

export interface ChurnFigures {
  operations: number;
  byKind: Record<string, number>;
  invariantChecks: number;
  retrievals: number;
  resultsChecked: number;
  snapshotRoundTrips: number;
  fileSnapshots: number;
  evicted: number;
  removed: number;
  maxSizeSeen: number;
  maxBudgetRatioSeen: number;
  entriesLost: number;
  violations: string[];
  heapSamples: { op: number; heapUsed: number }[];
  gcAvailable: boolean;
  /** Median heap after GC over the second half divided by the first half's (steady state only). */
  heapRatio: number | null;
  durationMs: number;
  opsPerSecond: number;
  poolOptions: Record<string, unknown>;
}

const MODES = ["hard", "soft", "hybrid"] as const;
const T0 = 1_700_000_000_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Median heap of the second half over the first, skipping the first 10% (the pool filling up). */
export function heapRatio(samples: { op: number; heapUsed: number }[], operations: number): number | null {
  const steady = samples.filter((s) => s.op > operations * 0.1);
  const first = steady.filter((s) => s.op <= operations / 2).map((s) => s.heapUsed);
  const second = steady.filter((s) => s.op > operations / 2).map((s) => s.heapUsed);
  if (first.length < 3 || second.length < 3) return null;
  return median(second) / median(first);
}

export async function runChurn(options: ChurnOptions): Promise<ChurnFigures> {
  const rng = seededRandom(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
  let clockNow = T0;
  const clock = () => clockNow;
  const poolOptions: DreamPoolOptions = {
    maxSize: options.maxSize,
    memoryBudgetBytes: options.memoryBudgetBytes,
    index: "hnsw",
    hnsw: { m: 12, efConstruction: 64, ef: 48 },
    evictionPolicy: "lru",
    queryCacheCapacity: 64,
    clock,
  };
  const created = DreamPool.create(poolOptions);
  if (!created.ok) throw created.error;
  let pool = created.value;
  const gc = (globalThis as { gc?: () => void }).gc;
  const dir = await mkdtemp(join(tmpdir(), "dreampool-soak-"));
  const figures: ChurnFigures = {
    operations: 0,
    byKind: {},
    invariantChecks: 0,
    retrievals: 0,
    resultsChecked: 0,
    snapshotRoundTrips: 0,
    fileSnapshots: 0,
    evicted: 0,
    removed: 0,
    maxSizeSeen: 0,
    maxBudgetRatioSeen: 0,
    entriesLost: 0,
    violations: [],
    heapSamples: [],
    gcAvailable: typeof gc === "function",
    heapRatio: null,
    durationMs: 0,
    opsPerSecond: 0,
    poolOptions: { ...poolOptions, clock: "simulated, +1 ms per operation" },
  };
  const live = new Set<string>();
  const liveList: string[] = [];
  // Ids are "d" + a counter that only grows, so "gone" (evicted or removed) is every issued id that
  // is not live: no set that grows with the run (it would show up as a leak in the heap samples).
  let maxIssued = 0;
  const ordinal = (id: string) => (id.startsWith("d") ? Number(id.slice(1)) : Number.NaN);
  const issue = (id: string) => {
    maxIssued = Math.max(maxIssued, ordinal(id));
    live.add(id);
    liveList.push(id);
  };
  const gone = { has: (id: string) => !live.has(id) && ordinal(id) >= 1 && ordinal(id) <= maxIssued };
  const recentlyGone: string[] = [];
  const violation = (message: string) => {
    if (figures.violations.length < 50) figures.violations.push(`op ${figures.operations}: ${message}`);
  };
  const count = (kind: string) => {
    figures.byKind[kind] = (figures.byKind[kind] ?? 0) + 1;
  };
  let seq = 0;

  const forget = (id: string, removed: boolean) => {
    live.delete(id);
    recentlyGone.push(id);
    if (recentlyGone.length > 20) recentlyGone.shift();
    if (removed) figures.removed++;
    else figures.evicted++;
  };

  const checkResults = (
    label: string,
    r: { ok: true; value: ScoredDream[] } | { ok: false; error: Error },
    k: number,
  ) => {
    figures.retrievals++;
    if (!r.ok) return violation(`${label} failed on valid input: ${r.error.message}`);
    if (r.value.length > k) violation(`${label} returned ${r.value.length} > k = ${k}`);
    const seen = new Set<string>();
    for (const d of r.value) {
      figures.resultsChecked++;
      const id = d.entry.id;
      if (gone.has(id)) violation(`${label} returned ${id}, which was evicted or removed`);
      else if (!pool.has(id)) violation(`${label} returned ${id}, which is not in the pool`);
      if (seen.has(id)) violation(`${label} returned ${id} twice`);
      seen.add(id);
      if (!Number.isFinite(d.score)) violation(`${label} gave ${id} the score ${d.score}`);
    }
  };

  /** Reconciles the model with the pool (finds evictions) and checks every invariant. */
  const checkInvariants = () => {
    figures.invariantChecks++;
    const stats = pool.stats();
    if (pool.size > options.maxSize) violation(`size ${pool.size} > maxSize ${options.maxSize}`);
    const budget = stats.memory.budgetBytes;
    if (budget !== null && stats.memory.usedBytes > budget)
      violation(`usedBytes ${stats.memory.usedBytes} > budget ${budget}`);
    if (stats.index.live !== pool.size) violation(`index live ${stats.index.live} != size ${pool.size}`);
    if (stats.count !== pool.size) violation(`stats.count ${stats.count} != size ${pool.size}`);
    figures.maxSizeSeen = Math.max(figures.maxSizeSeen, pool.size);
    if (budget !== null)
      figures.maxBudgetRatioSeen = Math.max(figures.maxBudgetRatioSeen, stats.memory.usedBytes / budget);
    let poolIds = 0;
    for (const e of pool.entries()) {
      poolIds++;
      if (!live.has(e.id)) violation(`pool holds ${e.id}, which the model does not (resurrected or unknown)`);
      const mean = e.utility.mean;
      if (mean !== null && !(mean >= -1 && mean <= 1)) violation(`utility mean of ${e.id} is ${mean}`);
    }
    for (let i = liveList.length - 1; i >= 0; i--) {
      const id = liveList[i] as string;
      if (!live.has(id)) {
        liveList[i] = liveList[liveList.length - 1] as string;
        liveList.pop();
      } else if (!pool.has(id)) {
        forget(id, false);
        liveList[i] = liveList[liveList.length - 1] as string;
        liveList.pop();
      }
    }
    if (poolIds !== live.size) violation(`pool has ${poolIds} entries, model ${live.size}`);
  };

  const randomRgb = (): Rgb => [rng(), rng(), rng()];
  const randomLive = (): string | undefined => {
    for (let tries = 0; tries < 4 && liveList.length > 0; tries++) {
      const id = pick(liveList);
      if (live.has(id) && pool.has(id)) return id;
    }
    return undefined;
  };

  const snapshotRoundTrip = () => {
    const bytes = pool.toBytes();
    if (!bytes.ok) return violation(`toBytes failed: ${bytes.error.message}`);
    const restored = DreamPool.fromBytes(bytes.value, { clock });
    if (!restored.ok) return violation(`fromBytes of a fresh snapshot failed: ${restored.error.message}`);
    const a = pool.entries();
    const b = restored.value.entries();
    if (a.length !== b.length) figures.entriesLost += Math.max(0, a.length - b.length);
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      if (
        !x ||
        !y ||
        x.id !== y.id ||
        x.utility.mean !== y.utility.mean ||
        x.usageCount !== y.usageCount ||
        x.embedding.length !== y.embedding.length ||
        x.embedding.some((v, j) => v !== y.embedding[j])
      ) {
        violation(`snapshot copy differs at entry ${i} (${x?.id} vs ${y?.id})`);
        break;
      }
    }
    pool = restored.value;
    figures.snapshotRoundTrips++;
  };

  const fileSnapshot = async () => {
    const path = join(dir, "pool.snapshot");
    const before = pool.entries().map((e) => e.id);
    const saved = await pool.save(path);
    if (!saved.ok) return violation(`save failed: ${saved.error.message}`);
    const loaded = await DreamPool.load(path, { clock });
    if (!loaded.ok) return violation(`load failed: ${loaded.error.message}`);
    const after = loaded.value.entries().map((e) => e.id);
    if (after.length !== before.length) figures.entriesLost += Math.max(0, before.length - after.length);
    if (after.join() !== before.join())
      violation("file snapshot holds other ids than the pool it was saved from");
    pool = loaded.value;
    figures.fileSnapshots++;
  };

  const started = performance.now();
  for (let op = 1; op <= options.operations; op++) {
    clockNow += 1;
    figures.operations = op;
    const roll = rng();
    if (roll < 0.4) {
      count("add");
      const s = seq++;
      const r = pool.add(dreamTensor(s), dreamResult(s), { classLabel: s % 5 === 0 ? null : classFor(s) });
      if (!r.ok) violation(`add failed on valid input: ${r.error.message}`);
      else issue(r.value);
    } else if (roll < 0.43) {
      count("addBatch");
      const items = Array.from({ length: 1 + Math.floor(rng() * 8) }, () => {
        const s = seq++;
        return {
          tensor: dreamTensor(s),
          result: dreamResult(s, rng() < 0.2 ? 0.5 : undefined),
          classLabel: classFor(s),
        };
      });
      const before = pool.stats().added;
      const r = pool.addBatch(items);
      if (!r.ok) violation(`addBatch failed on valid input: ${r.error.message}`);
      else {
        // New ids are the newest entries: read them from the end of the insertion order.
        const added = pool.stats().added - before;
        const entries = pool.entries();
        for (const e of entries.slice(Math.max(0, entries.length - added))) {
          if (!live.has(e.id) && !gone.has(e.id)) issue(e.id);
        }
      }
    } else if (roll < 0.51) {
      count("remove");
      const id = rng() < 0.8 ? randomLive() : pick([...recentlyGone, "__proto__", "d0"]);
      if (id !== undefined) {
        const wasLive = live.has(id) && pool.has(id);
        const removed = pool.remove(id);
        if (removed !== wasLive) violation(`remove(${id}) returned ${removed}, expected ${wasLive}`);
        if (removed) forget(id, true);
      }
    } else if (roll < 0.65) {
      count("feedback");
      const id = randomLive();
      if (id !== undefined) {
        const input =
          rng() < 0.5 ? { utility: rng() * 2 - 1 } : { lossBefore: rng() * 3, lossAfter: rng() * 3 };
        const r = pool.feedback(id, input);
        if (!r.ok) violation(`feedback(${id}) failed: ${r.error.message}`);
        else if (!(r.value.mean !== null && r.value.mean >= -1 && r.value.mean <= 1))
          violation(`feedback mean ${r.value.mean}`);
      }
    } else if (roll < 0.93) {
      const mode = pick(MODES);
      count(`retrieve-${mode}`);
      const k = 1 + Math.floor(rng() * 12);
      const opts: { -readonly [K in keyof RetrieveOptions]: RetrieveOptions[K] } = { mode, k };
      const extra = rng();
      if (extra < 0.15) opts.classFilter = pick(COLOR_CLASSES) as ColorClass;
      else if (extra < 0.25) opts.minUtility = rng() - 0.5;
      else if (extra < 0.35) opts.diversity = { method: rng() < 0.5 ? "exact" : "fast", lambda: rng() };
      else if (extra < 0.4) opts.filter = (e) => e.id.length % 2 === 0;
      const query = rng() < 0.85 ? randomRgb() : dreamTensor(1_000_000 + Math.floor(rng() * 50));
      checkResults(`retrieve(${mode})`, pool.retrieve(query, opts), k);
    } else if (roll < 0.99) {
      count("retrieve-convenience");
      const which = Math.floor(rng() * 5);
      const rgb = randomRgb();
      const r =
        which === 0
          ? pool.retrieveSimilar(rgb, 5)
          : which === 1
            ? pool.retrieveSimilarClass(rgb, pick(COLOR_CLASSES) as ColorClass, 5)
            : which === 2
              ? pool.retrieveBalanced(rgb, ["Red", "Blue", "Green"], 2)
              : which === 3
                ? pool.retrieveByUtility(rgb, 5, 0)
                : pool.retrieveDiverse(rgb, 5, 0.6, 0.05);
      checkResults("convenience retrieval", r, which === 2 ? 6 : 5);
    } else {
      count("get-has-stats");
      const id = randomLive();
      if (id !== undefined && pool.get(id)?.id !== id) violation(`get(${id}) did not return it`);
      pool.stats();
    }
    if (op % options.checkEvery === 0) checkInvariants();
    if (op % options.snapshotEvery === 0) snapshotRoundTrip();
    if (op % options.fileSnapshotEvery === 0) await fileSnapshot();
    if (op % options.heapEvery === 0) {
      gc?.();
      figures.heapSamples.push({ op, heapUsed: process.memoryUsage().heapUsed });
    }
    if (options.onProgress && op % 50_000 === 0) options.onProgress(op, figures);
  }
  checkInvariants();
  await rm(dir, { recursive: true, force: true });
  figures.durationMs = Math.round(performance.now() - started);
  figures.opsPerSecond = Math.round(figures.operations / (figures.durationMs / 1000));
  figures.heapRatio = heapRatio(figures.heapSamples, options.operations);
  return figures;
}
