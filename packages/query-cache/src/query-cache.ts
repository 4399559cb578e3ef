import {
  type DreamResult,
  err,
  invalidConfiguration,
  invalidParameter,
  ok,
  requireInteger,
} from "@dreampool/errors";
import { LRUCache } from "lru-cache";
import { type CacheableQuery, describeKey } from "./query-key.js";
import { SignatureKey, signatureKeyOf } from "./signature-key.js";
import { bitsKeyOf, type CacheableTensor, checkTensorShape, TensorKey, tensorKeyOf } from "./tensor-key.js";

export interface QueryCacheOptions {
  /** Most entries kept (least recently used go first). Default 128. */
  capacity?: number;
  /** Quantisation step of every numeric query field, in (0, 1]. Default 1e-3. */
  precision?: number;
  /** Optional cap on the bytes the cached vectors and keys take (estimated per entry). */
  maxBytes?: number;
}

export interface QueryCacheStats {
  hits: number;
  misses: number;
  /** hits / (hits + misses); 0 before any lookup. */
  hitRate: number;
  size: number;
  capacity: number;
  precision: number;
  /** Estimated bytes held (vectors, keys, per-entry bookkeeping). */
  bytes: number;
  maxBytes: number | null;
}

/** Bookkeeping per cached entry besides the vector's bytes and the key's characters: lru-cache's
 * slots, the Map entry, the Float32Array's objects. Used only for the optional byte cap. */
export const QUERY_CACHE_ENTRY_OVERHEAD_BYTES = 320;

const DEFAULT_CAPACITY = 128;
const DEFAULT_PRECISION = 1e-3;

/**
 * An LRU cache of query embeddings keyed on the whole query (chroma, class hint, spectral features,
 * utility prior, tensor digest), quantised to `precision`, and the encoder fingerprint, so a changed
 * mapper never serves a stale vector. Every returned vector is the caller's own copy: mutating it
 * cannot corrupt the cache.
 */
export class QueryCache {
  // Keys are 31-bit slots hashed from a query or a tensor; each entry carries the key it stands
  // for (a SignatureKey or a TensorKey), checked on every hit.
  private readonly lru: LRUCache<number, CachedVector>;
  // Exact-bits key slot → the slot of the entry those bits quantise to (at most one per entry,
  // removed with it): a tensor repeated bit for bit is found without the quantising pass.
  private readonly bitsAliases = new Map<number, number>();
  private readonly scale: number;
  private hitCount = 0;
  private missCount = 0;

  private constructor(
    readonly capacity: number,
    readonly precision: number,
    readonly maxBytes: number | null,
  ) {
    this.scale = 1 / precision;
    const dispose = (entry: CachedVector, key: number) => this.dropAlias(entry, key);
    this.lru = new LRUCache<number, CachedVector>(
      maxBytes === null
        ? { max: capacity, dispose }
        : {
            max: capacity,
            dispose,
            maxSize: maxBytes,
            sizeCalculation: (entry) => entryBytes(entry),
          },
    );
  }

  static create(options: QueryCacheOptions = {}): DreamResult<QueryCache> {
    if (typeof options !== "object" || options === null) {
      return err(invalidConfiguration("options", options, "must be { capacity?, precision?, maxBytes? }"));
    }
    const capacity = options.capacity ?? DEFAULT_CAPACITY;
    if (requireInteger("capacity", capacity, 1)) {
      return err(invalidConfiguration("capacity", capacity, "must be an integer >= 1"));
    }
    const precision = options.precision ?? DEFAULT_PRECISION;
    if (typeof precision !== "number" || !(precision > 0 && precision <= 1)) {
      return err(invalidConfiguration("precision", precision, "must be a finite number in (0, 1]"));
    }
    const maxBytes = options.maxBytes ?? null;
    if (maxBytes !== null && requireInteger("maxBytes", maxBytes, 1)) {
      return err(invalidConfiguration("maxBytes", maxBytes, "must be an integer >= 1 when given"));
    }
    return ok(new QueryCache(capacity, precision, maxBytes));
  }

  /**
   * The cache key of a query as text (for tests and diagnostics): two queries share an entry
   * exactly when their texts are equal. InvalidParameter for bad fields.
   */
  keyOf(query: CacheableQuery, fingerprint: string): DreamResult<string> {
    const key = signatureKeyOf(query, fingerprint, this.scale);
    return key instanceof SignatureKey ? ok(describeKey(key)) : err(key);
  }

  /**
   * Returns the cached embedding of `query` under `fingerprint`, or runs `compute`, caches a copy of
   * its vector and returns it. A failed compute is counted as a miss, not cached, and its error is
   * returned. An invalid query changes nothing and returns InvalidParameter.
   *
   * The key is built in the pass that validates the query: every field quantised to `precision`,
   * hashed into a 31-bit slot; the entry keeps the quantised fields and a hit must equal them all
   * (no string built, no key allocated; a slot shared by two queries is replaced, never served).
   */
  getOrCompute(
    query: CacheableQuery,
    fingerprint: string,
    compute: () => DreamResult<Float32Array>,
  ): DreamResult<Float32Array> {
    const key = signatureKeyOf(query, fingerprint, this.scale);
    if (!(key instanceof SignatureKey)) return err(key);
    if (typeof compute !== "function") return err(badCompute(compute));
    const cached = this.lru.get(key.slot);
    if (cached?.key instanceof SignatureKey && cached.key.equals(key)) {
      this.hitCount++;
      return ok(cached.vector.slice());
    }
    return this.computeAndStore(key.slot, key.stored(), compute, null);
  }

  /**
   * The same for a query that is a tensor: keyed on its shape and every colour quantised to
   * `precision`, plus the fingerprint — no string built; a hit allocates the returned copy, its
   * result and an int32 view of the colours, nothing else. The key is a 64-bit hash of the
   * quantised colours; each entry keeps what it was hashed from (shape, fingerprint, both hash
   * words) and a hit must match all of it. A tensor
   * repeated bit for bit is found first through a cheaper hash of its exact bits (an alias of the
   * entry, checked the same way). InvalidParameter for a bad shape or a non-finite colour (named
   * by index).
   */
  getOrComputeForTensor(
    tensor: CacheableTensor,
    fingerprint: string,
    compute: () => DreamResult<Float32Array>,
  ): DreamResult<Float32Array> {
    const shapeError = checkTensorShape(tensor);
    if (shapeError) return err(shapeError);
    if (typeof fingerprint !== "string" || fingerprint.length === 0) {
      return err(invalidParameter("fingerprint", fingerprint, "must be a non-empty string"));
    }
    if (typeof compute !== "function") return err(badCompute(compute));
    // Fast path: these exact bits were seen, and the entry they led to is still cached.
    const bits = bitsKeyOf(tensor, fingerprint);
    if (bits !== null) {
      const slot = this.bitsAliases.get(bits.slot);
      const aliased = slot === undefined ? undefined : this.lru.get(slot);
      if (aliased?.bitsKey?.equals(bits)) {
        this.hitCount++;
        return ok(aliased.vector.slice());
      }
    }
    const stored = bits?.stored() ?? null;
    const key = tensorKeyOf(tensor, fingerprint, this.scale);
    if (!(key instanceof TensorKey)) return err(key);
    const cached = this.lru.get(key.slot);
    if (cached?.key instanceof TensorKey && cached.key.equals(key)) {
      // Equal after quantisation but other bits: point the alias at this entry from now on.
      this.setAlias(cached, key.slot, stored);
      this.hitCount++;
      return ok(cached.vector.slice());
    }
    // A different tensor in this slot (a 31-bit slot collision) is replaced, never served.
    return this.computeAndStore(key.slot, key.stored(), compute, stored);
  }

  private setAlias(entry: CachedVector, slot: number, bits: TensorKey | null): void {
    this.dropAlias(entry, slot);
    entry.bitsKey = bits;
    if (bits !== null) this.bitsAliases.set(bits.slot, slot);
  }

  /** Removes an entry's alias, unless another entry's bits took that alias slot since. */
  private dropAlias(entry: CachedVector, slot: number): void {
    const bits = entry.bitsKey;
    if (bits !== null && this.bitsAliases.get(bits.slot) === slot) this.bitsAliases.delete(bits.slot);
  }

  /** A miss: runs the caller's compute, caches a copy of a valid vector, returns the result. */
  private computeAndStore(
    slot: number,
    key: TensorKey | SignatureKey,
    compute: () => DreamResult<Float32Array>,
    bitsKey: TensorKey | null,
  ): DreamResult<Float32Array> {
    this.missCount++;
    // The callback is the caller's code: a throw or a non-result must not escape as an exception.
    let computed: DreamResult<Float32Array>;
    try {
      computed = compute();
    } catch (thrown) {
      const message = thrown instanceof Error ? thrown.message : String(thrown);
      return err(invalidParameter("compute", "[function]", `must not throw (it threw: ${message})`));
    }
    if (typeof computed !== "object" || computed === null || typeof computed.ok !== "boolean") {
      return err(invalidParameter("compute()", computed, "must return a DreamResult<Float32Array>"));
    }
    if (!computed.ok) return computed;
    if (!(computed.value instanceof Float32Array)) {
      return err(invalidParameter("compute()", computed.value, "must return a Float32Array"));
    }
    const entry: CachedVector = { vector: computed.value.slice(), key, bitsKey: null };
    this.lru.set(slot, entry);
    // Only once stored: set() disposes the slot's previous entry and, with it, that entry's alias.
    if (bitsKey !== null && this.lru.peek(slot) === entry) this.setAlias(entry, slot, bitsKey);
    return computed;
  }

  get hits(): number {
    return this.hitCount;
  }

  get misses(): number {
    return this.missCount;
  }

  get hitRate(): number {
    const lookups = this.hitCount + this.missCount;
    return lookups === 0 ? 0 : this.hitCount / lookups;
  }

  get size(): number {
    return this.lru.size;
  }

  /** Drops every entry and zeroes the counters. */
  clear(): void {
    this.lru.clear();
    this.bitsAliases.clear();
    this.hitCount = 0;
    this.missCount = 0;
  }

  stats(): QueryCacheStats {
    let bytes = 0;
    for (const entry of this.lru.values()) bytes += entryBytes(entry);
    return {
      hits: this.hitCount,
      misses: this.missCount,
      hitRate: this.hitRate,
      size: this.lru.size,
      capacity: this.capacity,
      precision: this.precision,
      bytes,
      maxBytes: this.maxBytes,
    };
  }
}

/**
 * A cached vector; `key` is what its slot was hashed from, `bitsKey` the exact-bits key aliased to
 * this entry (tensor entries only), if any.
 */
interface CachedVector {
  readonly vector: Float32Array;
  readonly key: TensorKey | SignatureKey;
  bitsKey: TensorKey | null;
}

const badCompute = (compute: unknown) =>
  invalidParameter("compute", compute, "must be a function returning DreamResult<Float32Array>");

/**
 * Estimated bytes of one cached entry: the vector, the key (a query's quantised fields; for a
 * tensor, its two key records, the alias and the fingerprint), bookkeeping.
 */
function entryBytes(entry: CachedVector): number {
  const key = entry.key;
  const keyBytes = key instanceof SignatureKey ? key.bytes() : TENSOR_KEYS_BYTES + 2 * key.fingerprint.length;
  return entry.vector.byteLength + keyBytes + QUERY_CACHE_ENTRY_OVERHEAD_BYTES;
}

/** Two TensorKey records (quantised and exact bits: header and seven fields each) and an alias Map entry. */
const TENSOR_KEYS_BYTES = 2 * 72 + 32;
