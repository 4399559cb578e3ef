// Little-endian float32 arrays to and from bytes. On little-endian hosts (all mainstream ones) the
// bytes are copied as they are; elsewhere each value goes through a DataView. Both paths are
// exported so that the tests can check they agree bit for bit.

/** True when the host stores numbers little-endian, so float bytes can be copied as they are. */
export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Writes `values` as little-endian float32s into `target` at byte `offset` (caller checked the room). */
export function writeFloat32LE(
  values: Float32Array,
  target: Uint8Array,
  offset: number,
  copyBytes = LITTLE_ENDIAN_HOST,
): void {
  if (copyBytes) {
    target.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    return;
  }
  const view = new DataView(target.buffer, target.byteOffset + offset, values.byteLength);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i]!, true);
}

/** Reads `count` little-endian float32s from `bytes` at byte `start` into a fresh array. */
export function readFloat32LE(
  bytes: Uint8Array,
  start: number,
  count: number,
  copyBytes = LITTLE_ENDIAN_HOST,
): Float32Array {
  if (copyBytes) {
    // Copy into a fresh, aligned buffer (a Node Buffer's slice() would share its pool instead).
    const copy = new Uint8Array(4 * count);
    copy.set(bytes.subarray(start, start + 4 * count));
    return new Float32Array(copy.buffer);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, 4 * count);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}
