import {
  ARRAY_HEADER_BYTES,
  ARRAY_SLOT_BYTES,
  BACKING_STORE_NATIVE_BYTES,
  DOUBLING_SLACK,
  EMPTY_OBJECT_BYTES,
  HEAP_NUMBER_BYTES,
  HNSW_FILLED_SLOT_BYTES,
  HNSW_FIXED_BYTES,
  HNSW_LABEL_LOOKUP_BYTES,
  HNSW_RESERVED_SLOT_BYTES,
  MALLOC_CHUNK_OVERHEAD_BYTES,
  MAP_ENTRY_BYTES,
  OBJECT_HEADER_BYTES,
  ON_HEAP_TYPED_ARRAY_MAX_BYTES,
  ON_HEAP_TYPED_ARRAY_OBJECT_BYTES,
  POINTER_BYTES,
  SHARED_STRING_MAX_LENGTH,
  STRING_HEADER_BYTES,
  TYPED_ARRAY_OBJECT_BYTES,
} from "./cost-model.js";

// Size estimators, in bytes of process memory (V8 heap + off-heap buffers + native bookkeeping).
// They never throw: a shape that is not a valid size counts as 0 bytes, so the caller validates
// its inputs first (the pool does: its tensors and dims are already checked).

/** A tensor shape, structurally compatible with @dreampool/tensor's TensorDims. */
export interface TensorShape {
  readonly rows: number;
  readonly cols: number;
  readonly layers: number;
}

const count = (n: number): number => (Number.isSafeInteger(n) && n > 0 ? n : 0);
const roundUp8 = (n: number): number => Math.ceil(n / 8) * 8;

/** A plain object with `fields` in-object properties, `boxedDoubles` of them non-integer numbers. */
export const objectBytes = (fields: number, boxedDoubles = 0): number =>
  OBJECT_HEADER_BYTES + POINTER_BYTES * count(fields) + HEAP_NUMBER_BYTES * count(boxedDoubles);

/** A typed array owning `byteLength` bytes (its own buffer, not a view into a shared one). */
export function typedArrayBytes(byteLength: number): number {
  const n = count(byteLength);
  if (n <= ON_HEAP_TYPED_ARRAY_MAX_BYTES) return ON_HEAP_TYPED_ARRAY_OBJECT_BYTES + roundUp8(n);
  return TYPED_ARRAY_OBJECT_BYTES + n + BACKING_STORE_NATIVE_BYTES;
}

/** A string of `length` UTF-16 code units (Latin-1 strings take one byte per character). */
export const stringBytes = (length: number, oneByte = true): number =>
  roundUp8(STRING_HEADER_BYTES + count(length) * (oneByte ? 1 : 2));

/** A ChromaticTensor: the object (5 fields) + colours (3 floats per cell) + certainty (1 per cell). */
export function tensorBytes(dims: TensorShape): number {
  const cells = cellCount(dims);
  return objectBytes(5) + typedArrayBytes(12 * cells) + typedArrayBytes(4 * cells);
}

/** A gradient or mask laid out like the colours (3 floats per cell). */
export function gradientBytes(dims: TensorShape): number {
  return typedArrayBytes(12 * cellCount(dims));
}

function cellCount(dims: TensorShape): number {
  if (typeof dims !== "object" || dims === null) return 0;
  return count(dims.rows) * count(dims.cols) * count(dims.layers);
}

/** An embedding held in its own Float32Array. */
export const embeddingBytes = (dim: number): number => typedArrayBytes(4 * count(dim));

/** A JS array of `length` doubles (packed: the doubles are stored unboxed). */
export const doubleArrayBytes = (length: number): number => ARRAY_HEADER_BYTES + 8 * count(length);

/** A chroma triple held as a JS array of three doubles. */
export const chromaBytes = (): number => doubleArrayBytes(3);

/**
 * SpectralFeatures: six fields, five boxed doubles and the dominantFrequency triple
 * (`{ entropy, dominantFrequency: [f, f, f], lowEnergy, midEnergy, highEnergy, meanPsd }`).
 */
export const spectralBytes = (): number => objectBytes(6, 5) + doubleArrayBytes(3);

/**
 * A JSON-like value: objects, arrays, strings, numbers, booleans, null. Property names cost a
 * pointer (V8 shares name strings between objects); strings of up to SHARED_STRING_MAX_LENGTH
 * characters are assumed shared (literals and JSON.parse values are internalized), longer ones are
 * counted in full; a cycle is counted once; functions, symbols and bigints cost their pointer only.
 */
export function metadataBytes(meta: unknown): number {
  return valueBytes(meta, new Set<object>());
}

function valueBytes(value: unknown, seen: Set<object>): number {
  switch (typeof value) {
    case "number":
      return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 0 : HEAP_NUMBER_BYTES;
    case "string":
      return value.length <= SHARED_STRING_MAX_LENGTH ? 0 : stringBytes(value.length, isLatin1(value));
    case "object": {
      if (value === null || seen.has(value)) return 0;
      seen.add(value);
      if (ArrayBuffer.isView(value)) return typedArrayBytes(value.byteLength);
      if (Array.isArray(value)) {
        // An array of numbers only stores them unboxed (8 bytes each).
        if (value.every((item) => typeof item === "number")) return doubleArrayBytes(value.length);
        let total = ARRAY_HEADER_BYTES + POINTER_BYTES * value.length;
        for (const item of value) total += valueBytes(item, seen);
        return total;
      }
      const values = Object.values(value);
      let total = values.length === 0 ? EMPTY_OBJECT_BYTES : objectBytes(values.length);
      for (const item of values) total += valueBytes(item, seen);
      return total;
    }
    default:
      return 0;
  }
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

/**
 * Per-vector cost of an exact index: the Float32Array slab row with the average slack of a
 * doubling buffer, plus the slot → id array and the id → slot Map (the id strings are shared with
 * the pool's entries, so they are not counted again).
 */
export const exactIndexBytesPerVector = (dim: number): number =>
  Math.round(4 * count(dim) * DOUBLING_SLACK) + POINTER_BYTES + MAP_ENTRY_BYTES;

/** An exact-index slab of `capacity` rows (when the capacity is known, e.g. in a calibration). */
export const exactSlabBytes = (capacity: number, dim: number): number =>
  typedArrayBytes(4 * count(capacity) * count(dim));

/**
 * Native cost per vector of an hnswlib graph of dimension `dim` and link parameter `m`: the level-0
 * record ((2m·4 + 4) link bytes, 4·dim vector, 8-byte label), the label → slot hash entry, the
 * upper-layer link lists (a point has them with probability 1/m, expected m/(m-1) levels of
 * (m·4 + 4) bytes each), and the bookkeeping of reserved slots (mutex, level, visited mark), which
 * a capacity that doubles when full holds for 2·ln 2 slots per vector on average.
 */
export function hnswBytesPerVector(dim: number, m: number): number {
  return Math.round(hnswFilledSlotBytes(dim, m) + HNSW_RESERVED_SLOT_BYTES * DOUBLING_SLACK);
}

function hnswFilledSlotBytes(dim: number, m: number): number {
  const links = Math.max(2, count(m));
  const level0 = 2 * links * 4 + 4 + 4 * count(dim) + 8;
  const upperLevels = (links * 4 + 4 + MALLOC_CHUNK_OVERHEAD_BYTES) / (links - 1);
  return level0 + HNSW_FILLED_SLOT_BYTES + HNSW_LABEL_LOOKUP_BYTES + upperLevels;
}

/** Native cost of an hnswlib graph holding `vectors` in `capacity` slots (when both are known). */
export function hnswNativeBytes(vectors: number, capacity: number, dim: number, m: number): number {
  return Math.round(
    HNSW_FIXED_BYTES +
      count(vectors) * hnswFilledSlotBytes(dim, m) +
      count(capacity) * HNSW_RESERVED_SLOT_BYTES,
  );
}

/** The once-per-index native cost of hnswlib (label-operation locks), independent of size. */
export const hnswFixedBytes = (): number => HNSW_FIXED_BYTES;

/**
 * The per-vector JS side of @dreampool/hnsw-index's HnswIndex: a live-entry record
 * { id, label, vector, position }, its own copy of the vector (for exact fallback and compaction),
 * a slot in the entry list and the id → entry and label → entry Maps.
 */
export const hnswWrapperBytesPerVector = (dim: number): number =>
  objectBytes(4) + typedArrayBytes(4 * count(dim)) + ARRAY_SLOT_BYTES + 2 * MAP_ENTRY_BYTES;

/** A chroma row in a growable Float32Array (3 floats, doubling slack). */
export const chromaIndexBytesPerVector = (): number => Math.round(12 * DOUBLING_SLACK);

/**
 * A pool entry's own object and the pool's Map entry for it: id string ("d" + counter), the entry
 * object (id, tensor, result, chroma, classLabel, spectral, embedding, utility, usageCount,
 * createdAt, lastUsedAt, bytes, meta), its utility record { mean, count } and the
 * SolverResult { energy, coherence, violation, grad?, mask?, meta } with an empty meta (grad, mask
 * and metadata are counted by their own estimators).
 */
export function entryOverheadBytes(): number {
  const id = stringBytes(8);
  const entry = objectBytes(13, 2);
  const utility = objectBytes(2, 1);
  const solverResult = objectBytes(6, 3) + EMPTY_OBJECT_BYTES;
  return id + entry + utility + solverResult + MAP_ENTRY_BYTES;
}

export type IndexCost = { kind: "exact" } | { kind: "hnsw"; m: number } | { kind: "none" };

export interface EntrySizeInput {
  dims: TensorShape;
  embeddingDim: number;
  index: IndexCost;
  /** Whether the pool keeps a chroma row for hard-mode scans. Default true. */
  chromaIndex?: boolean;
  /** The entry's metadata (and the solver result's meta), counted as JSON-like data. */
  meta?: unknown;
  /** Whether the solver result carries a gradient (3 floats per cell). */
  hasGrad?: boolean;
  /** Whether the solver result carries a mask (3 floats per cell). */
  hasMask?: boolean;
}

/** Itemised estimate of one entry, in bytes; `total` is what the pool should charge. */
export interface EntrySizeBreakdown {
  tensor: number;
  solverArrays: number;
  embedding: number;
  spectral: number;
  chroma: number;
  metadata: number;
  entry: number;
  index: number;
  chromaIndex: number;
  total: number;
}

/** Everything one pool entry costs: itemised. */
export function estimateEntryBreakdown(input: EntrySizeInput): EntrySizeBreakdown {
  const kind = input.index?.kind;
  const index =
    kind === "exact"
      ? exactIndexBytesPerVector(input.embeddingDim)
      : kind === "hnsw" && input.index.kind === "hnsw"
        ? hnswBytesPerVector(input.embeddingDim, input.index.m) +
          hnswWrapperBytesPerVector(input.embeddingDim)
        : 0;
  const parts = {
    tensor: tensorBytes(input.dims),
    solverArrays:
      (input.hasGrad ? gradientBytes(input.dims) : 0) + (input.hasMask ? gradientBytes(input.dims) : 0),
    embedding: embeddingBytes(input.embeddingDim),
    spectral: spectralBytes(),
    chroma: chromaBytes(),
    metadata: input.meta === undefined ? 0 : metadataBytes(input.meta),
    entry: entryOverheadBytes(),
    index,
    chromaIndex: input.chromaIndex === false ? 0 : chromaIndexBytesPerVector(),
  };
  const total = Object.values(parts).reduce((a, b) => a + b, 0);
  return { ...parts, total };
}

/** Everything one pool entry costs, in bytes: what the pool charges its MemoryBudget. */
export const estimateEntryBytes = (input: EntrySizeInput): number => estimateEntryBreakdown(input).total;
