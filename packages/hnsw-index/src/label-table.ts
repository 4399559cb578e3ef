const PAGE_BITS = 10;
const PAGE_SIZE = 1 << PAGE_BITS;
const OFFSET_MASK = PAGE_SIZE - 1;

/**
 * label -> id for one native index. Every search maps its k hits back through this, right after
 * hnswlib has walked the graph and evicted whatever the wrapper last touched, so each lookup is a
 * cache miss: a Map<number, LiveEntry> costs two or three (hash bucket, entry, entry.id), a page
 * slot one (bench/wrapper-overhead.bench.ts measures both, suite hnsw-wrapper). Labels are issued
 * in increasing order and never reused in one native index, so the table is paged (1024 labels a
 * page) and a page whose labels are all dead is dropped: churn (upserts take fresh labels) does not
 * grow it without bound.
 */
export class LabelTable {
  private readonly pages: ((string | undefined)[] | undefined)[] = [];
  private readonly livePerPage: number[] = [];
  private count = 0;

  /** Live labels. */
  get size(): number {
    return this.count;
  }

  /** Pages currently allocated (for tests: dead pages must be released). */
  get pageCount(): number {
    let allocated = 0;
    for (const page of this.pages) if (page !== undefined) allocated++;
    return allocated;
  }

  get(label: number): string | undefined {
    const page = this.pages[label >>> PAGE_BITS];
    return page === undefined ? undefined : page[label & OFFSET_MASK];
  }

  has(label: number): boolean {
    return this.get(label) !== undefined;
  }

  set(label: number, id: string): void {
    const at = label >>> PAGE_BITS;
    while (this.pages.length <= at) {
      this.pages.push(undefined);
      this.livePerPage.push(0);
    }
    let page = this.pages[at];
    if (page === undefined) {
      page = new Array<string | undefined>(PAGE_SIZE).fill(undefined);
      this.pages[at] = page;
    }
    const offset = label & OFFSET_MASK;
    if (page[offset] === undefined) {
      this.livePerPage[at] = (this.livePerPage[at] as number) + 1;
      this.count++;
    }
    page[offset] = id;
  }

  delete(label: number): boolean {
    const at = label >>> PAGE_BITS;
    const page = this.pages[at];
    const offset = label & OFFSET_MASK;
    if (page === undefined || page[offset] === undefined) return false;
    page[offset] = undefined;
    this.count--;
    const live = (this.livePerPage[at] as number) - 1;
    this.livePerPage[at] = live;
    if (live === 0) this.pages[at] = undefined;
    return true;
  }
}
