// UTF-8 for snapshot ids, written out because pure packages target the ES library only (no
// TextEncoder in their types). The decoder is strict: overlong forms, surrogates, code points
// above U+10FFFF and truncated sequences are rejected, so a damaged id cannot decode to another.

/** Byte length of `s` in UTF-8 (`s` must be well-formed: no lone surrogates). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Writes `s` at `offset`; returns the offset after it. */
export function writeUtf8(s: string, out: Uint8Array, offset: number): number {
  let o = offset;
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
    }
    if (cp < 0x80) out[o++] = cp;
    else if (cp < 0x800) {
      out[o++] = 0xc0 | (cp >> 6);
      out[o++] = 0x80 | (cp & 0x3f);
    } else if (cp < 0x10000) {
      out[o++] = 0xe0 | (cp >> 12);
      out[o++] = 0x80 | ((cp >> 6) & 0x3f);
      out[o++] = 0x80 | (cp & 0x3f);
    } else {
      out[o++] = 0xf0 | (cp >> 18);
      out[o++] = 0x80 | ((cp >> 12) & 0x3f);
      out[o++] = 0x80 | ((cp >> 6) & 0x3f);
      out[o++] = 0x80 | (cp & 0x3f);
    }
  }
  return o;
}

/** Decodes bytes[start, end) strictly; null when they are not valid UTF-8. */
export function readUtf8(bytes: Uint8Array, start: number, end: number): string | null {
  if (end - start <= 4096) {
    let ascii = true;
    for (let i = start; i < end && ascii; i++) ascii = (bytes[i] as number) < 0x80;
    // Plain ASCII (the usual id) decodes in one call.
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  const units: number[] = [];
  let i = start;
  while (i < end) {
    const b0 = bytes[i] as number;
    let cp: number;
    let extra: number;
    let min: number;
    if (b0 < 0x80) {
      cp = b0;
      extra = 0;
      min = 0;
    } else if ((b0 & 0xe0) === 0xc0) {
      cp = b0 & 0x1f;
      extra = 1;
      min = 0x80;
    } else if ((b0 & 0xf0) === 0xe0) {
      cp = b0 & 0x0f;
      extra = 2;
      min = 0x800;
    } else if ((b0 & 0xf8) === 0xf0) {
      cp = b0 & 0x07;
      extra = 3;
      min = 0x10000;
    } else return null;
    if (i + 1 + extra > end) return null;
    for (let j = 1; j <= extra; j++) {
      const b = bytes[i + j] as number;
      if ((b & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
    if (cp >= 0x10000) {
      const v = cp - 0x10000;
      units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
    } else units.push(cp);
    i += 1 + extra;
  }
  let s = "";
  // Chunked so very long ids do not overflow the argument limit of fromCharCode.
  for (let c = 0; c < units.length; c += 8192) s += String.fromCharCode(...units.slice(c, c + 8192));
  return s;
}
