/**
 * Every constant the size estimators use, in one place, with where it comes from.
 *
 * Platform: Node 20 (V8 11.3), 64-bit, no pointer compression (Node's default build), glibc malloc.
 * Tagged fields are 8 bytes; a JS object costs a 24-byte header (map, properties, elements) plus
 * 8 bytes per in-object field; doubles stored in object fields are boxed HeapNumbers (16 bytes).
 *
 * The values were measured with benchmarks/src/memory-calibration.bench.ts, which builds 10,000
 * realistic entries and compares each estimator with process.memoryUsage() after GC
 * (heapUsed + external; arrayBuffers is part of external) and with the resident-set growth, which
 * also sees native memory that V8 does not report: malloc headers of ArrayBuffer backing stores
 * and hnswlib's graph. Re-run it after a Node upgrade; the figures move with V8.
 */

/** Bytes of one tagged pointer / field slot. */
export const POINTER_BYTES = 8;

/** JS object header: map, properties and elements pointers. */
export const OBJECT_HEADER_BYTES = 24;

/** A boxed double (HeapNumber): map + 8-byte value. */
export const HEAP_NUMBER_BYTES = 16;

/**
 * A JS array besides its 8-byte elements: JSArray (map, properties, elements, length), the elements
 * store's header (map, length) and alignment. Measured: 80 bytes for a literal of three doubles.
 */
export const ARRAY_HEADER_BYTES = 56;

/** An empty object literal `{}` reserves four in-object property slots. */
export const EMPTY_OBJECT_BYTES = OBJECT_HEADER_BYTES + 4 * POINTER_BYTES;

/** A sequential string: header (map, hash, length) rounded; payload 1 byte per Latin-1 char, else 2. */
export const STRING_HEADER_BYTES = 16;

/**
 * Strings up to this length in metadata are assumed shared: V8 internalizes source literals and
 * JSON.parse internalizes string values of up to 10 characters, so equal short strings are stored
 * once. Longer strings are counted in full for every entry.
 */
export const SHARED_STRING_MAX_LENGTH = 10;

/**
 * The JS side of a typed array whose bytes live off-heap (> 64 bytes): the JSTypedArray and its
 * JSArrayBuffer objects. Measured: 184 bytes of heapUsed per Float32Array of 64, 256 and 768 floats.
 */
export const TYPED_ARRAY_OBJECT_BYTES = 184;

/**
 * Native cost of an off-heap backing store beyond its bytes, invisible to heapUsed and external:
 * the v8::BackingStore, its shared_ptr control block, the ArrayBufferExtension and glibc chunk
 * headers. Measured from resident-set growth over 200,000 arrays, independent of their length:
 * 184–188 bytes in the calibration bench, 210–217 in a bare `node` process.
 */
export const BACKING_STORE_NATIVE_BYTES = 186;

/** Typed arrays of at most this many bytes keep their data on the V8 heap (v8 flag typed_array_max_size_in_heap). */
export const ON_HEAP_TYPED_ARRAY_MAX_BYTES = 64;

/** The JS side of an on-heap typed array: JSTypedArray + JSArrayBuffer + ByteArray header. */
export const ON_HEAP_TYPED_ARRAY_OBJECT_BYTES = 216;

/** One entry of a Map (OrderedHashMap: key, value, chain slots + bucket), with average growth slack. */
export const MAP_ENTRY_BYTES = 48;

/** One slot of a growable JS array of references, with average growth slack (capacity grows by 1.5x). */
export const ARRAY_SLOT_BYTES = 10;

/**
 * Average slack of a buffer that doubles when full: over one doubling cycle (n from C/2 to C) the mean
 * of capacity / n is 2·ln 2 ≈ 1.386.
 */
export const DOUBLING_SLACK = 2 * Math.LN2;

/**
 * hnswlib: bookkeeping every reserved slot (up to maxElements) touches whether filled or not:
 * the std::mutex in link_list_locks_ and the element_levels_ int are constructed for all slots, the
 * visited-list marks (unsigned short) are zeroed on first search. The level-0 block is malloc'd for
 * all slots too, but its pages become resident only as slots fill.
 */
export const HNSW_RESERVED_SLOT_BYTES =
  40 + // std::mutex (glibc pthread_mutex_t)
  4 + // element_levels_ int
  2; // visited-list mark

/** hnswlib: the linkLists_ pointer of a filled slot (its page is written when the slot fills). */
export const HNSW_FILLED_SLOT_BYTES = 8;

/** hnswlib: unordered_map<size_t, unsigned> node (malloc'd 24 → 32 bytes) + bucket pointer. */
export const HNSW_LABEL_LOOKUP_BYTES = 40;

/** hnswlib: 65,536 label-operation mutexes allocated once per index (40 bytes each). */
export const HNSW_FIXED_BYTES = 65_536 * 40;

/** glibc malloc chunk header / rounding for a small allocation (upper-level link lists). */
export const MALLOC_CHUNK_OVERHEAD_BYTES = 16;
