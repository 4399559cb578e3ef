import {
  type DreamError,
  type DreamResult,
  err,
  invalidConfiguration,
  invalidParameter,
  memoryExceeded,
  ok,
} from "@dreampool/errors";
import { formatBytes, parseByteLimit } from "./units.js";

export interface MemoryBudgetOptions {
  /**
   * The hard ceiling, in bytes (>= 1): a number, or a size string with its unit such as "64 MiB"
   * (see parseByteLimit; a bare "4096" is refused as ambiguous).
   */
  maxBytes: number | string;
  /** Fraction of maxBytes above which the owner should evict, in (0, 1]. Default 0.9. */
  evictionThreshold?: number;
}

/** What must leave the budget before an incoming entry is charged. */
export interface EvictionPlan {
  /** Bytes of live entries to release first (0 when nothing has to go). */
  bytesToFree: number;
  /** False when the incoming entry is larger than maxBytes: it can never be admitted. */
  fits: boolean;
  /** Usage once bytesToFree is released and the incoming entry charged (≤ thresholdBytes when possible). */
  targetUsed: number;
  /** Set (with fits = false) when incomingBytes is not a byte count; null otherwise. */
  error: DreamError | null;
}

/** A snapshot of a budget, as plain numbers. */
export interface MemoryBudgetStats {
  used: number;
  maxBytes: number;
  available: number;
  evictionThreshold: number;
  /** floor(maxBytes · evictionThreshold): usage above this needs eviction. */
  thresholdBytes: number;
  /** used / maxBytes. */
  usageRatio: number;
  entryCount: number;
  averageEntryBytes: number;
}

const DEFAULT_EVICTION_THRESHOLD = 0.9;

/**
 * Tracks the bytes charged by live entries against a hard ceiling. Each charge is one entry, each
 * release removes one. A charge that would cross maxBytes is refused (MemoryExceeded) and a release
 * of more than is charged is refused (InvalidParameter): the state never drifts from the truth.
 * Eviction is the owner's job; `planEviction` says how much must go so that an incoming entry fits
 * and usage ends at or under the threshold.
 */
export class MemoryBudget {
  private usedBytes = 0;
  private entries = 0;

  private constructor(
    readonly maxBytes: number,
    readonly evictionThreshold: number,
    /** floor(maxBytes · evictionThreshold). */
    readonly thresholdBytes: number,
  ) {}

  static create(options: MemoryBudgetOptions): DreamResult<MemoryBudget> {
    if (typeof options !== "object" || options === null) {
      return err(invalidConfiguration("options", options, "must be { maxBytes, evictionThreshold? }"));
    }
    const parsed = parseByteLimit("maxBytes", options.maxBytes);
    if (!parsed.ok) return parsed;
    const max = parsed.value;
    const threshold = options.evictionThreshold ?? DEFAULT_EVICTION_THRESHOLD;
    if (typeof threshold !== "number" || !(threshold > 0 && threshold <= 1)) {
      return err(invalidConfiguration("evictionThreshold", threshold, "must be a number in (0, 1]"));
    }
    return ok(new MemoryBudget(max, threshold, Math.floor(max * threshold)));
  }

  /** Bytes currently charged. */
  get used(): number {
    return this.usedBytes;
  }

  /** Bytes that can still be charged before maxBytes. */
  get available(): number {
    return this.maxBytes - this.usedBytes;
  }

  get entryCount(): number {
    return this.entries;
  }

  /** Mean bytes per live entry (0 when empty). */
  get averageEntryBytes(): number {
    return this.entries === 0 ? 0 : this.usedBytes / this.entries;
  }

  get usageRatio(): number {
    return this.usedBytes / this.maxBytes;
  }

  /** True when an entry of `bytes` can be charged without crossing maxBytes (false for invalid sizes). */
  canAdd(bytes: number): boolean {
    return isByteCount(bytes) && this.usedBytes + bytes <= this.maxBytes;
  }

  /** True when usage is strictly above the eviction threshold. */
  needsEviction(): boolean {
    return this.usedBytes > this.thresholdBytes;
  }

  /** Charges one entry of `bytes`; returns the new usage. Refused when it would cross maxBytes. */
  charge(bytes: number): DreamResult<number> {
    if (!isByteCount(bytes)) {
      return err(invalidParameter("bytes", bytes, "must be a non-negative safe integer"));
    }
    if (this.usedBytes + bytes > this.maxBytes) return err(memoryExceeded(bytes, this.available));
    this.usedBytes += bytes;
    this.entries++;
    return ok(this.usedBytes);
  }

  /** Releases one entry of `bytes`; returns the new usage. Refused when more than is charged. */
  release(bytes: number): DreamResult<number> {
    if (!isByteCount(bytes)) {
      return err(invalidParameter("bytes", bytes, "must be a non-negative safe integer"));
    }
    if (this.entries === 0) {
      return err(invalidParameter("bytes", bytes, "cannot be released: no entry is charged"));
    }
    if (bytes > this.usedBytes) {
      return err(invalidParameter("bytes", bytes, `must be at most the ${this.usedBytes} bytes charged`));
    }
    this.usedBytes -= bytes;
    this.entries--;
    return ok(this.usedBytes);
  }

  /** Forgets every charge. */
  reset(): void {
    this.usedBytes = 0;
    this.entries = 0;
  }

  /**
   * How many bytes must be released so that an entry of `incomingBytes` fits under maxBytes and
   * usage ends at or under the threshold. When the entry alone exceeds the threshold (but not
   * maxBytes) everything must go and usage still ends above the threshold; when it exceeds
   * maxBytes, `fits` is false and nothing should be evicted for it. An invalid size (negative,
   * fractional, NaN) gives fits = false with the InvalidParameter error in `error`.
   */
  planEviction(incomingBytes: number): EvictionPlan {
    if (!isByteCount(incomingBytes)) {
      const error = invalidParameter("incomingBytes", incomingBytes, "must be a non-negative safe integer");
      return { bytesToFree: 0, fits: false, targetUsed: this.usedBytes, error };
    }
    if (incomingBytes > this.maxBytes) {
      return { bytesToFree: 0, fits: false, targetUsed: this.usedBytes, error: null };
    }
    const excess = this.usedBytes + incomingBytes - this.thresholdBytes;
    const bytesToFree = Math.min(this.usedBytes, Math.max(0, excess));
    return { bytesToFree, fits: true, targetUsed: this.usedBytes - bytesToFree + incomingBytes, error: null };
  }

  stats(): MemoryBudgetStats {
    return {
      used: this.usedBytes,
      maxBytes: this.maxBytes,
      available: this.available,
      evictionThreshold: this.evictionThreshold,
      thresholdBytes: this.thresholdBytes,
      usageRatio: this.usageRatio,
      entryCount: this.entries,
      averageEntryBytes: this.averageEntryBytes,
    };
  }

  /** e.g. "50.00 MiB of 100.00 MiB (50.0%), 12 entries, average 4.17 MiB, evicts above 90.0%" */
  formatStats(): string {
    const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
    const noun = this.entries === 1 ? "entry" : "entries";
    return (
      `${formatBytes(this.usedBytes)} of ${formatBytes(this.maxBytes)} (${percent(this.usageRatio)}), ` +
      `${this.entries} ${noun}, average ${formatBytes(this.averageEntryBytes)}, ` +
      `evicts above ${percent(this.evictionThreshold)}`
    );
  }
}

function isByteCount(bytes: unknown): bytes is number {
  return typeof bytes === "number" && Number.isSafeInteger(bytes) && bytes >= 0;
}
