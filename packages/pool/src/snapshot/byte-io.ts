import { type DreamResult, err, indexCorrupted, ok } from "@dreampool/errors";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** A growable little-endian byte buffer. */
export class ByteWriter {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  get offset(): number {
    return this.length;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.reserve(1);
    this.view.setUint8(this.length, v);
    this.length += 1;
  }
  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buffer.set(b, this.length);
    this.length += b.length;
  }
  /** A u32 byte length, then the bytes. */
  block(b: Uint8Array): void {
    this.u32(b.length);
    this.bytes(b);
  }
  string(s: string): void {
    this.block(encoder.encode(s));
  }
  float32s(a: Float32Array): void {
    this.reserve(4 * a.length);
    for (let i = 0; i < a.length; i++) this.view.setFloat32(this.length + 4 * i, a[i] as number, true);
    this.length += 4 * a.length;
  }
  /** Overwrites a u32 written earlier (e.g. a length known only at the end). */
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/**
 * Reads what ByteWriter wrote. Every read checks the bytes left first, so a hostile length can
 * never make it allocate more than the input holds; failures are IndexCorrupted naming `what`.
 */
export class ByteReader {
  private position = 0;
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get offset(): number {
    return this.position;
  }
  get remaining(): number {
    return this.data.length - this.position;
  }

  need(bytes: number, what: string): DreamResult<void> {
    if (bytes > this.remaining) {
      return err(
        indexCorrupted(
          `snapshot truncated: ${what} needs ${bytes} bytes at offset ${this.position}, ${this.remaining} left`,
        ),
      );
    }
    return ok(undefined);
  }
  u8(what: string): DreamResult<number> {
    const n = this.need(1, what);
    if (!n.ok) return n;
    return ok(this.view.getUint8(this.position++));
  }
  u32(what: string): DreamResult<number> {
    const n = this.need(4, what);
    if (!n.ok) return n;
    const v = this.view.getUint32(this.position, true);
    this.position += 4;
    return ok(v);
  }
  f64(what: string): DreamResult<number> {
    const n = this.need(8, what);
    if (!n.ok) return n;
    const v = this.view.getFloat64(this.position, true);
    this.position += 8;
    return ok(v);
  }
  /** A view of the next `length` bytes (not a copy). */
  bytes(length: number, what: string): DreamResult<Uint8Array> {
    const n = this.need(length, what);
    if (!n.ok) return n;
    const out = this.data.subarray(this.position, this.position + length);
    this.position += length;
    return ok(out);
  }
  block(what: string): DreamResult<Uint8Array> {
    const length = this.u32(`${what} length`);
    if (!length.ok) return length;
    return this.bytes(length.value, what);
  }
  string(what: string): DreamResult<string> {
    const b = this.block(what);
    if (!b.ok) return b;
    try {
      return ok(decoder.decode(b.value));
    } catch {
      return err(indexCorrupted(`snapshot ${what} is not valid UTF-8`));
    }
  }
  float32s(count: number, what: string): DreamResult<Float32Array> {
    const n = this.need(4 * count, what);
    if (!n.ok) return n;
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.view.getFloat32(this.position + 4 * i, true);
    this.position += 4 * count;
    return ok(out);
  }
}
