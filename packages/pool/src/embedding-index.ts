import { type DreamResult, ok } from "@dreampool/errors";
import { HnswIndex } from "@dreampool/hnsw-index";
import { ExactIndex, type Hit, type VectorIndex } from "@dreampool/soft-index";
import type { IndexChoice, PoolIndexStats, ResolvedPoolConfig } from "./types.js";

// hnswlib reserves its per-slot memory up front; never pre-reserve more than this many slots.
const MAX_INITIAL_HNSW_SLOTS = 1 << 16;

/** Where a migration reads the live vectors from (the pool's entries, in insertion order). */
export type VectorSource = () => Iterable<readonly [string, Float32Array]>;

/**
 * The pool's embedding index: one of ExactIndex or HnswIndex behind the VectorIndex contract.
 * With `index: "auto"` it starts exact, migrates once to HNSW when the live count reaches
 * `autoHnswThreshold`, and only goes back to exact below half of it (hysteresis, so a pool hovering
 * at the threshold does not rebuild on every add/remove). Every other change is incremental.
 */
export class EmbeddingIndex {
  private migrationCount = 0;
  private retiredRebuilds = 0;
  // After a failed migration, do not retry on every add: only once the pool crossed back.
  private migrationBlocked = false;

  private constructor(
    private readonly config: ResolvedPoolConfig,
    readonly dim: number,
    private current: VectorIndex,
    private currentKind: "exact" | "hnsw",
  ) {}

  static create(config: ResolvedPoolConfig, dim: number): DreamResult<EmbeddingIndex> {
    const kind = config.index === "hnsw" ? "hnsw" : "exact";
    const index = createIndex(config, dim, kind);
    if (!index.ok) return index;
    return ok(new EmbeddingIndex(config, dim, index.value, kind));
  }

  get kind(): "exact" | "hnsw" {
    return this.currentKind;
  }
  get mode(): IndexChoice {
    return this.config.index;
  }
  get size(): number {
    return this.current.size;
  }
  get migrations(): number {
    return this.migrationCount;
  }

  add(id: string, vector: Float32Array): DreamResult<void> {
    return this.current.add(id, vector);
  }

  remove(id: string): boolean {
    return this.current.remove(id);
  }

  has(id: string): boolean {
    return this.current.has(id);
  }

  search(query: Float32Array, k: number, filter?: (id: string) => boolean): DreamResult<Hit[]> {
    return this.current.search(query, k, filter ? { filter } : undefined);
  }

  /**
   * Applies the auto policy after the live count changed. Returns true when the index kind changed.
   * A failed migration leaves the current index answering (nothing is lost).
   */
  maybeMigrate(source: VectorSource): boolean {
    if (this.config.index !== "auto") return false;
    const size = this.current.size;
    const threshold = this.config.autoHnswThreshold;
    if (this.currentKind === "exact" && size < threshold) this.migrationBlocked = false;
    if (this.currentKind === "hnsw" && size >= threshold / 2) this.migrationBlocked = false;
    if (this.migrationBlocked) return false;
    if (this.currentKind === "exact" && size >= threshold) return this.migrate("hnsw", source);
    if (this.currentKind === "hnsw" && size < threshold / 2) return this.migrate("exact", source);
    return false;
  }

  /** Empties the index; auto mode starts again from exact. */
  clear(): void {
    if (this.config.index === "auto" && this.currentKind === "hnsw") {
      const fresh = createIndex(this.config, this.dim, "exact");
      if (fresh.ok) {
        this.retire();
        this.current = fresh.value;
        this.currentKind = "exact";
        return;
      }
    }
    this.current.clear();
  }

  stats(): PoolIndexStats {
    const s = this.current.stats();
    return {
      mode: this.config.index,
      kind: this.currentKind,
      dim: this.dim,
      live: s.size,
      tombstones: s.tombstones,
      rebuilds: this.retiredRebuilds + s.rebuilds,
      migrations: this.migrationCount,
    };
  }

  private migrate(kind: "exact" | "hnsw", source: VectorSource): boolean {
    const next = createIndex(this.config, this.dim, kind);
    if (!next.ok) {
      this.migrationBlocked = true;
      return false;
    }
    for (const [id, vector] of source()) {
      if (!next.value.add(id, vector).ok) {
        this.migrationBlocked = true;
        return false;
      }
    }
    this.retire();
    this.current = next.value;
    this.currentKind = kind;
    this.migrationCount++;
    return true;
  }

  private retire(): void {
    this.retiredRebuilds += this.current.stats().rebuilds;
  }
}

function createIndex(
  config: ResolvedPoolConfig,
  dim: number,
  kind: "exact" | "hnsw",
): DreamResult<VectorIndex> {
  if (kind === "exact") return ExactIndex.create({ dim, metric: "cosine", initialCapacity: 64 });
  const { m, efConstruction, ef, compactionThreshold, seed } = config.hnsw;
  // Room for the live entries plus the tombstones allowed before compaction, so a full pool
  // under churn never has to grow the graph.
  const slots =
    compactionThreshold < 1 ? Math.ceil(config.maxSize / (1 - compactionThreshold)) + 2 : Infinity;
  return HnswIndex.create({
    dim,
    metric: "cosine",
    m,
    efConstruction,
    ef,
    compactionThreshold,
    seed,
    initialCapacity: Math.min(slots, MAX_INITIAL_HNSW_SLOTS),
  });
}
