import type { ScoringCandidate } from "@dreampool/scoring";
import type { Hit } from "@dreampool/soft-index";
import { COLOR_CLASSES, type ColorClass } from "@dreampool/tensor";
import type { EntryRecord } from "./entry-record.js";
import type { PoolState } from "./pool-state.js";
import type { ResolvedRetrieveOptions } from "./retrieve-options.js";

/** Stands in for the vector of a candidate that only carries the minimum similarity (never read). */
const NO_VECTOR = new Float32Array(0);

/**
 * The candidates of one retrieval and their records, side by side (candidate i is record i), so
 * the ranked ids map back to records without a second lookup in the pool's entry map. Only hybrid
 * mode, whose two lists overlap, keeps an id → position map to de-duplicate. The one exception is
 * a floor candidate (addFloor), always last and without a record.
 */
export class CandidatePool {
  readonly candidates: ScoringCandidate[] = [];
  private readonly records: EntryRecord[] = [];
  private readonly seen: Map<string, number> | null;
  /** Set in hybrid mode: every candidate is then scored by its embedding cosine. */
  queryEmbedding: Float32Array | null = null;

  constructor(
    private readonly state: PoolState,
    private readonly mode: ResolvedRetrieveOptions["mode"],
    /** Only the duplicate penalty reads a candidate's vector: hard mode builds chroma rows for it then. */
    private readonly withDiversity: boolean,
    /**
     * Only recency reads a candidate's last use. The field is a boxed double, one more cold load
     * per candidate, so without recency it is not read (0 stands in; ranking ignores it then).
     */
    private readonly withRecency: boolean,
  ) {
    this.seen = mode === "hybrid" ? new Map() : null;
  }

  /**
   * Adds the live entry `id` as a candidate and returns its record (undefined: not live, or seen).
   * `looked` is its record when the caller looked it up already (lookAhead).
   */
  consider(id: string, score: number, looked?: EntryRecord): EntryRecord | undefined {
    if (this.seen?.has(id)) return undefined;
    const e = looked ?? this.state.entries.get(id);
    if (e === undefined) return undefined;
    this.seen?.set(id, this.records.length);
    this.records.push(e);
    const q = this.queryEmbedding;
    this.candidates.push({
      id,
      similarity: q !== null ? dot(q, e.embedding) : score,
      utility: e.utilityMean,
      classLabel: e.classLabel,
      lastUsedAt: this.withRecency ? e.lastUsedAt : 0,
      // The stored embedding itself (never copied); hard mode's chroma rows only for the penalty.
      vector: this.mode === "hard" && this.withDiversity ? Float32Array.from(e.chroma) : e.embedding,
    });
    return e;
  }

  /**
   * A candidate that carries only the minimum similarity of the fetched list, so the min-max
   * normalisation of the others is what the whole list gives, without reading its record. Its
   * other terms are the lowest possible (utility −1, class match 0, or 0.5 when the query has no
   * class, which every candidate then gets), so it scores no more than the real entry would.
   * Only for a hit that provably cannot make the top k (considerWinnable): ties go to the earlier
   * candidate, and it is last, so it is never ranked; if it were, recordOf finds no record for it.
   */
  addFloor(id: string, similarity: number, queryClass: ColorClass | null): void {
    this.candidates.push({
      id,
      similarity,
      utility: -1,
      classLabel: queryClass === null ? null : otherClass(queryClass),
      lastUsedAt: 0,
      vector: NO_VECTOR,
    });
  }

  /** The records of the first `count` hits, looked up together (lookUpRecords). */
  lookAhead(hits: readonly Hit[], count: number): (EntryRecord | undefined)[] {
    return lookUpRecords(this.state.entries, hits, count);
  }

  /** The record of a candidate id: a scan of at most k · overFetch ids (same string objects). */
  recordOf(id: string): EntryRecord | undefined {
    const at = this.seen?.get(id);
    if (at !== undefined) return this.records[at];
    const { candidates } = this;
    // records may be one shorter than candidates (a floor candidate): records[i] is then undefined.
    for (let i = 0; i < candidates.length; i++) {
      if ((candidates[i] as ScoringCandidate).id === id) return this.records[i];
    }
    return undefined;
  }
}

/**
 * The records of the first `count` hits, looked up before any is used. Each lookup is a chain of
 * cache misses (the id string's hash, the hash bucket, the map entry, the record), so one by one
 * they wait on each other; in three tight passes (ids, map, records) the CPU overlaps the
 * independent loads of different hits instead.
 */
export function lookUpRecords(
  entries: ReadonlyMap<string, EntryRecord>,
  hits: readonly Hit[],
  count: number,
): (EntryRecord | undefined)[] {
  const out: (EntryRecord | undefined)[] = new Array(count);
  let touched = 0;
  for (let i = 0; i < count; i++) touched += (hits[i] as Hit).id.length;
  for (let i = 0; i < count; i++) out[i] = entries.get((hits[i] as Hit).id);
  for (let i = 0; i < count; i++) touched += out[i]?.usageCount ?? 0;
  // `touched` only keeps the loads from being optimised away.
  if (touched < 0) out.length = 0;
  return out;
}

/** Some class other than `c` (a floor candidate's class: class match 0). */
function otherClass(c: ColorClass): ColorClass {
  return (COLOR_CLASSES[0] === c ? COLOR_CLASSES[1] : COLOR_CLASSES[0]) as ColorClass;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
