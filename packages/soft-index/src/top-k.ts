/** One entry kept by {@link TopK}: a score, the caller's handle (e.g. a row number) and its id. */
export interface Ranked {
  readonly score: number;
  readonly handle: number;
  readonly id: string;
}

/**
 * A bounded "best k" collection: a binary min-heap whose root is the worst kept entry, so a
 * candidate costs one comparison unless it beats the root (O(n log k) for n candidates, no full
 * sort). Order is total and deterministic: higher score first, then id ascending (UTF-16 code
 * unit order, as `<` compares strings).
 */
export class TopK {
  private limit = 0;
  private scores: Float64Array;
  private handles: Float64Array;
  private idsByPos: string[];
  private count = 0;

  /** `capacity` (how many to keep) must be a non-negative integer; callers validate user input. */
  constructor(capacity: number) {
    this.scores = new Float64Array(0);
    this.handles = new Float64Array(0);
    this.idsByPos = [];
    this.reset(capacity);
  }

  /** How many entries are kept. */
  get capacity(): number {
    return this.limit;
  }

  /** Empties the collection and sets a new capacity, reusing its storage when it is big enough. */
  reset(capacity: number): void {
    this.limit = Math.max(0, Math.floor(capacity));
    this.count = 0;
    if (this.scores.length < this.limit) {
      this.scores = new Float64Array(this.limit);
      this.handles = new Float64Array(this.limit);
      this.idsByPos = new Array<string>(this.limit).fill("");
    }
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.limit;
  }

  /**
   * Scores below this can never enter (the worst kept score once full, else -Infinity). A score
   * equal to it may still enter with a smaller id: check with {@link accepts}.
   */
  get threshold(): number {
    return this.count >= this.limit
      ? this.limit === 0
        ? Number.POSITIVE_INFINITY
        : (this.scores[0] as number)
      : Number.NEGATIVE_INFINITY;
  }

  /** Whether an entry with this score and id would be kept by {@link push} right now. */
  accepts(score: number, id: string): boolean {
    if (this.count < this.limit) return true;
    if (this.limit === 0) return false;
    const worst = this.scores[0] as number;
    return score > worst || (score === worst && id < (this.idsByPos[0] as string));
  }

  /** Offers an entry; returns whether it was kept. NaN scores are never kept. */
  push(score: number, handle: number, id: string): boolean {
    if (Number.isNaN(score) || !this.accepts(score, id)) return false;
    if (this.count < this.limit) {
      this.siftUp(this.count++, score, handle, id);
    } else {
      this.siftDown(0, score, handle, id);
    }
    return true;
  }

  /** Empties the collection, keeping its capacity. */
  clear(): void {
    this.count = 0;
  }

  /** The kept entries, best first; leaves the collection empty. */
  drain(): Ranked[] {
    const out: Ranked[] = [];
    for (let i = 0; i < this.count; i++) {
      out.push({
        score: this.scores[i] as number,
        handle: this.handles[i] as number,
        id: this.idsByPos[i] as string,
      });
    }
    this.count = 0;
    out.sort(compareRanked);
    return out;
  }

  // a is worse than b: lower score, or equal score and larger id.
  private worse(scoreA: number, idA: string, pos: number): boolean {
    const scoreB = this.scores[pos] as number;
    return scoreA < scoreB || (scoreA === scoreB && idA > (this.idsByPos[pos] as string));
  }

  private place(pos: number, score: number, handle: number, id: string): void {
    this.scores[pos] = score;
    this.handles[pos] = handle;
    this.idsByPos[pos] = id;
  }

  private move(from: number, to: number): void {
    this.place(to, this.scores[from] as number, this.handles[from] as number, this.idsByPos[from] as string);
  }

  private siftUp(pos: number, score: number, handle: number, id: string): void {
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      if (!this.worse(score, id, parent)) break;
      this.move(parent, pos);
      pos = parent;
    }
    this.place(pos, score, handle, id);
  }

  private siftDown(pos: number, score: number, handle: number, id: string): void {
    const n = this.count;
    for (;;) {
      const left = 2 * pos + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.worseAt(right, left)) child = right;
      if (!this.childWorse(child, score, id)) break;
      this.move(child, pos);
      pos = child;
    }
    this.place(pos, score, handle, id);
  }

  private worseAt(a: number, b: number): boolean {
    return this.worse(this.scores[a] as number, this.idsByPos[a] as string, b);
  }

  // Whether the entry at `child` is worse than the entry being sifted down.
  private childWorse(child: number, score: number, id: string): boolean {
    const c = this.scores[child] as number;
    return c < score || (c === score && (this.idsByPos[child] as string) > id);
  }
}

/** Best first: higher score, then id ascending. */
export function compareRanked(a: { score: number; id: string }, b: { score: number; id: string }): number {
  if (a.score !== b.score) return a.score > b.score ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
