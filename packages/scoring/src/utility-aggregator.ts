import {
  type DreamResult,
  err,
  invalidParameter,
  ok,
  requireInRange,
  requirePositiveInteger,
} from "@dreampool/errors";
import { COLOR_CLASSES, type ColorClass, isColorClass } from "@dreampool/tensor";
import { checkFeedbackRecord, type FeedbackRecord } from "./feedback.js";

/** Count and mean utility of the records of one class. */
export interface ClassUtility {
  readonly classLabel: ColorClass;
  readonly count: number;
  readonly meanUtility: number;
}

/**
 * Collects feedback records and answers: mean utility overall and per class, the most helpful and the
 * most harmful records. Per-class sums are kept as records arrive, so the statistics are O(classes).
 * Keeps every record (for top-k and filters); `clear()` forgets them.
 */
export class UtilityAggregator {
  private readonly all: FeedbackRecord[] = [];
  private readonly sums = new Map<ColorClass, { count: number; sum: number }>();
  private total = 0;

  /** Adds a record made by `createFeedbackRecord`; anything else gives InvalidParameter. */
  add(record: FeedbackRecord): DreamResult<void> {
    const problem = checkFeedbackRecord(record);
    if (problem) return err(problem);
    this.all.push(record);
    this.total += record.utility;
    if (record.classLabel !== null) {
      const entry = this.sums.get(record.classLabel) ?? { count: 0, sum: 0 };
      entry.count++;
      entry.sum += record.utility;
      this.sums.set(record.classLabel, entry);
    }
    return ok(undefined);
  }

  /** Adds many; stops at the first bad record (the ones before it stay added) and reports its index. */
  addAll(records: Iterable<FeedbackRecord>): DreamResult<number> {
    let index = 0;
    for (const record of records) {
      const problem = checkFeedbackRecord(record, `records[${index}]`);
      if (problem) return err(problem);
      this.add(record);
      index++;
    }
    return ok(index);
  }

  get count(): number {
    return this.all.length;
  }

  /** The records in arrival order. */
  get records(): readonly FeedbackRecord[] {
    return this.all;
  }

  /** Mean utility of every record, or null when there are none. */
  get meanUtility(): number | null {
    return this.all.length === 0 ? null : this.total / this.all.length;
  }

  /** Mean utility of the records of `cls`, or null when it has none. */
  classMean(cls: ColorClass): number | null {
    const entry = this.sums.get(cls);
    return entry ? entry.sum / entry.count : null;
  }

  /** Per class with records: count and mean, in the fixed COLOR_CLASSES order. */
  classUtilities(): ClassUtility[] {
    const out: ClassUtility[] = [];
    for (const cls of COLOR_CLASSES) {
      const entry = this.sums.get(cls);
      if (entry) out.push({ classLabel: cls, count: entry.count, meanUtility: entry.sum / entry.count });
    }
    return out;
  }

  /** Up to n helpful records (utility > 0), most helpful first; ties keep arrival order. */
  topHelpful(n: number): DreamResult<FeedbackRecord[]> {
    return this.top(
      n,
      (r) => r.utility > 0,
      (a, b) => b.utility - a.utility,
    );
  }

  /** Up to n harmful records (utility < 0), most harmful first; ties keep arrival order. */
  topHarmful(n: number): DreamResult<FeedbackRecord[]> {
    return this.top(
      n,
      (r) => r.utility < 0,
      (a, b) => a.utility - b.utility,
    );
  }

  /** Records with utility >= min. */
  filterByUtility(min: number): DreamResult<FeedbackRecord[]> {
    const problem = requireInRange("min", min, -1, 1);
    return problem ? err(problem) : ok(this.all.filter((r) => r.utility >= min));
  }

  /** Records of class `cls`. */
  filterByClass(cls: ColorClass): DreamResult<FeedbackRecord[]> {
    if (!isColorClass(cls)) return err(invalidParameter("cls", cls, "must be a ColorClass"));
    return ok(this.all.filter((r) => r.classLabel === cls));
  }

  clear(): void {
    this.all.length = 0;
    this.sums.clear();
    this.total = 0;
  }

  private top(
    n: number,
    keep: (r: FeedbackRecord) => boolean,
    order: (a: FeedbackRecord, b: FeedbackRecord) => number,
  ): DreamResult<FeedbackRecord[]> {
    const problem = requirePositiveInteger("n", n);
    if (problem) return err(problem);
    // Array.prototype.sort is stable, so equal utilities keep arrival order.
    return ok(this.all.filter(keep).sort(order).slice(0, n));
  }
}
