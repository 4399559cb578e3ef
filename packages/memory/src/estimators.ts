import {
  ARRAY_HEADER_BYTES,
  ARRAY_SLOT_BYTES,
  BACKING_STORE_NATIVE_BYTES,
  DOUBLING_SLACK,
  HEAP_NUMBER_BYTES,
  HNSW_FIXED_BYTES,
  HNSW_LABEL_LOOKUP_BYTES,
  HNSW_SLOT_OVERHEAD_BYTES,
  MALLOC_CHUNK_OVERHEAD_BYTES,
  MAP_ENTRY_BYTES,
  OBJECT_HEADER_BYTES,
  ON_HEAP_TYPED_ARRAY_MAX_BYTES,
  ON_HEAP_TYPED_ARRAY_OBJECT_BYTES,
  POINTER_BYTES,
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

/** A chroma triple held as a JS array of three doubles. */
export const chromaBytes = (): number => ARRAY_HEADER_BYTES + 3 * (POINTER_BYTES + HEAP_NUMBER_BYTES);

/**
 * SpectralFeatures: six fields, five boxed doubles and the dominantFrequency triple
 * (`{ entropy, dominantFrequency: [f, f, f], lowEnergy, midEnergy, highEnergy, meanPsd }`).
 */
export const spectralBytes = (): number => objectBytes(6, 5) + chromaBytes();

/**
 * A JSON-like value: objects, arrays, strings, numbers, booleans, null. Property names are counted
 * once per object as pointers (V8 shares the name strings between objects of one shape); a cycle is
 * counted once. Functions, symbols and bigints count as one pointer.
 */
export function metadataBytes(meta: unknown): number {
  return valueBytes(meta, new Set<object>());
}

function valueBytes(value: unknown, seen: Set<object>): number {
  switch (typeof value) {
    case "number":
      return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 0 : HEAP_NUMBER_BYTES;
    case "string":
      return stringBytes(value.length, isLatin1(value));
    case "object": {
      if (value === null || seen.has(value)) return 0;
      seen.add(value);
      if (ArrayBuffer.isView(value)) return typedArrayBytes(value.byteLength);
      if (Array.isArray(value)) {
        let total = ARRAY_HEADER_BYTES + POINTER_BYTES * value.length;
        for (const item of value) total += valueBytes(item, seen);
        return total;
      }
      const values = Object.values(value);
      let total = objectBytes(values.length);
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
 * Native per-slot cost of an hnswlib graph of dimension `dim` and link parameter `m`: the level-0
 * record ((2m·4 + 4) link bytes, 4·dim vector, 8-byte label), slot bookkeeping (mutex, level,
 * upper-list pointer, visited mark), the label → slot hash entry, and upper-layer link lists,
 * which a point has with probability 1/m (expected m/(m-1) levels of (m·4 + 4) bytes each).
 * hnswlib reserves the per-slot part for every slot up to maxElements, filled or not.
 */
export function hnswBytesPerVector(dim: number, m: number): number {
  const d = count(dim);
  const links = Math.max(2, count(m));
  const level0 = 2 * links * 4 + 4 + 4 * d + 8;
  const upperLevels =
    (1 / links) * (links / (links - 1)) * (links * 4 + 4) + MALLOC_CHUNK_OVERHEAD_BYTES / links;
  return Math.round(level0 + HNSW_SLOT_OVERHEAD_BYTES + HNSW_LABEL_LOOKUP_BYTES + upperLevels);
}

/** The once-per-index native cost of hnswlib (label-operation locks), independent of size. */
export const hnswFixedBytes = (): number => HNSW_FIXED_BYTES;

/** The per-vector JS bookkeeping of an id-mapping wrapper around hnswlib (label → id, id → label). */
export const hnswWrapperBytesPerVector = (): number => ARRAY_SLOT_BYTES + MAP_ENTRY_BYTES;

/** A chroma row in a growable Float32Array (3 floats, doubling slack). */
export const chromaIndexBytesPerVector = (): number => Math.round(12 * DOUBLING_SLACK);

/**
 * A pool entry's own object and the pool's Map entry for it: id string ("d" + counter), the entry
 * object (id, tensor, result, chroma, classLabel, spectral, embedding, utility, usageCount,
 * createdAt, lastUsedAt, bytes, meta), its utility record { mean, count } and the
 * SolverResult { energy, coherence, violation, grad?, mask?, meta } without grad and meta.
 */
export function entryOverheadBytes(): number {
  const id = stringBytes(8);
  const entry = objectBytes(13, 2);
  const utility = objectBytes(2, 1);
  const solverResult = objectBytes(6, 3) + objectBytes(0);
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
        ? hnswBytesPerVector(input.embeddingDim, input.index.m) + hnswWrapperBytesPerVector()
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
