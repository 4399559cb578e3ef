import type { SpectralFeatures } from "@dreampool/embedding";
import type { ChromaticTensor, ColorClass, Rgb, SolverResult } from "@dreampool/tensor";
import type { DreamEntry, Meta } from "./types.js";

/** The pool's own record of an entry; handed out typed as the read-only `DreamEntry`. */
export class EntryRecord implements DreamEntry {
  usageCount = 0;
  lastUsedAt: number;
  readonly utility: { mean: number | null; count: number } = { mean: null, count: 0 };

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

  /** The eviction key of "lowest-utility": entries without feedback count as neutral (0). */
  get utilityKey(): number {
    return this.utility.mean ?? 0;
  }
}
