import type { SpectralFeatures } from "@dreampool/embedding";
import type { ChromaticTensor, ColorClass, Rgb, SolverResult } from "@dreampool/tensor";
import type { DreamEntry, Meta, UtilityStats } from "./types.js";

/** The pool's own record of an entry; handed out typed as the read-only `DreamEntry`. */
export class EntryRecord implements DreamEntry {
  usageCount = 0;
  lastUsedAt: number;
  // Utility is kept in flat fields (read for every retrieval candidate: one object fewer to load).
  utilityMean: number | null = null;
  utilityCount = 0;

  constructor(
    readonly id: string,
    /** Insertion sequence number: the age order used by fifo and by tie-breaks. */
    readonly seq: number,
    readonly tensor: ChromaticTensor,
    readonly result: SolverResult,
    readonly chroma: Rgb,
    readonly classLabel: ColorClass | null,
    readonly spectral: SpectralFeatures,
    readonly embedding: Float32Array,
    readonly bytes: number,
    readonly meta: Meta,
    readonly createdAt: number,
  ) {
    this.lastUsedAt = createdAt;
  }

  get utility(): UtilityStats {
    return { mean: this.utilityMean, count: this.utilityCount };
  }

  /** Folds one feedback utility into the running mean. */
  addUtility(utility: number): void {
    this.utilityMean = ((this.utilityMean ?? 0) * this.utilityCount + utility) / (this.utilityCount + 1);
    this.utilityCount++;
  }

  /** The eviction key of "lowest-utility": entries without feedback count as neutral (0). */
  get utilityKey(): number {
    return this.utilityMean ?? 0;
  }
}
