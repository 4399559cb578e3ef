import type { SpectralFeatures } from "@dreampool/embedding";
import type { ChromaticTensor, ColorClass, Rgb, SolverResult } from "@dreampool/tensor";
import type { DreamEntry, Meta, UtilityStats } from "./types.js";

/** The pool's own record of an entry; handed out typed as the read-only `DreamEntry`. */
export class EntryRecord implements DreamEntry {
  // Field order is layout: what ranking reads for every retrieval candidate (class, embedding,
  // utility, last use) sits right after the id, on the object's first cache line.
  readonly id: string;
  readonly classLabel: ColorClass | null;
  readonly embedding: Float32Array;
  // Utility is kept in flat fields (one object fewer to load per candidate).
  utilityMean: number | null = null;
  lastUsedAt: number;
  usageCount = 0;
  utilityCount = 0;
  /** Insertion sequence number: the age order used by fifo and by tie-breaks. */
  readonly seq: number;
  readonly tensor: ChromaticTensor;
  readonly result: SolverResult;
  readonly chroma: Rgb;
  readonly spectral: SpectralFeatures;
  readonly bytes: number;
  readonly meta: Meta;
  readonly createdAt: number;

  constructor(
    id: string,
    seq: number,
    tensor: ChromaticTensor,
    result: SolverResult,
    chroma: Rgb,
    classLabel: ColorClass | null,
    spectral: SpectralFeatures,
    embedding: Float32Array,
    bytes: number,
    meta: Meta,
    createdAt: number,
  ) {
    this.id = id;
    this.classLabel = classLabel;
    this.embedding = embedding;
    this.lastUsedAt = createdAt;
    this.seq = seq;
    this.tensor = tensor;
    this.result = result;
    this.chroma = chroma;
    this.spectral = spectral;
    this.bytes = bytes;
    this.meta = meta;
    this.createdAt = createdAt;
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
