import type { ColorClass } from "@dreampool/tensor";
import type { EntryRecord } from "./entry-record.js";

/** What the bounds read of an entry. */
export type ScoredTerms = Pick<EntryRecord, "classLabel" | "utilityMean">;

/**
 * Pool-wide upper bounds on the utility and class-match terms of a live entry's score, kept
 * up to date on insert, remove and feedback (O(1) each). Soft retrieval uses them to rule a
 * candidate out without reading its record (see considerWinnable in retrieval.ts): with the
 * loose bounds (utility 1, class match 1) a pool without feedback reads about twice as many
 * records as it returns; with these, a pool whose entries all score the same on those terms
 * reads one record per result.
 */
export class ScoreTermBounds {
  private readonly perClass = new Map<ColorClass, number>();
  private unlabelled = 0;
  private live = 0;
  private withUtility = 0;
  /** >= the mean utility of every live entry with feedback (never lowered while one remains). */
  private utilityCeiling = -1;

  insert(record: ScoredTerms): void {
    this.live++;
    const label = record.classLabel;
    if (label === null) this.unlabelled++;
    else this.perClass.set(label, (this.perClass.get(label) ?? 0) + 1);
    if (record.utilityMean !== null) this.noteUtility(record.utilityMean, true);
  }

  remove(record: ScoredTerms): void {
    this.live--;
    const label = record.classLabel;
    if (label === null) this.unlabelled--;
    else this.perClass.set(label, (this.perClass.get(label) ?? 1) - 1);
    if (record.utilityMean !== null && --this.withUtility === 0) this.utilityCeiling = -1;
  }

  /** After feedback: `hadUtility` says whether the entry had a mean before this one. */
  utilityChanged(record: ScoredTerms, hadUtility: boolean): void {
    if (record.utilityMean !== null) this.noteUtility(record.utilityMean, !hadUtility);
  }

  clear(): void {
    this.perClass.clear();
    this.unlabelled = 0;
    this.live = 0;
    this.withUtility = 0;
    this.utilityCeiling = -1;
  }

  /**
   * The most the normalised utility u = (mean + 1) / 2 (0.5 without feedback) can be for a live
   * entry; computed like scoring computes u, so it is >= each entry's u in floating point too.
   */
  maxUtility(): number {
    if (this.withUtility === 0) return 0.5;
    const withFeedback = (this.utilityCeiling + 1) / 2;
    return this.withUtility < this.live ? Math.max(0.5, withFeedback) : withFeedback;
  }

  /** The most the class match (1 same class, 0 other class, 0.5 unknown) can be for a live entry. */
  maxClassMatch(queryClass: ColorClass | null): number {
    if (queryClass === null) return 0.5;
    if ((this.perClass.get(queryClass) ?? 0) > 0) return 1;
    return this.unlabelled > 0 ? 0.5 : 0;
  }

  /**
   * The class match every live entry gets when it is the same for all of them (the query has no
   * class, or the entries are all of its class, all unlabelled, or all of other classes); else null.
   */
  uniformClassMatch(queryClass: ColorClass | null): number | null {
    if (queryClass === null) return 0.5;
    const same = this.perClass.get(queryClass) ?? 0;
    if (same === this.live) return 1;
    if (this.unlabelled === this.live) return 0.5;
    return same === 0 && this.unlabelled === 0 ? 0 : null;
  }

  /** True when some live entry has feedback (utility terms may then differ). */
  get anyFeedback(): boolean {
    return this.withUtility > 0;
  }

  private noteUtility(mean: number, isNew: boolean): void {
    if (isNew) this.withUtility++;
    if (mean > this.utilityCeiling) this.utilityCeiling = mean;
  }
}
