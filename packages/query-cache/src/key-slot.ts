import { fmix32 } from "./tensor-digest.js";

/**
 * The 32-bit FNV-1a hash of a string, remembered for the last string seen: a key's strings (the
 * fingerprint, a class hint, a spectral field name) are usually the same object call after call,
 * so a lookup compares one reference instead of hashing the text again.
 */
export class StringHash {
  private last = "";
  private hash = 0x811c9dc5;

  of(text: string): number {
    if (text !== this.last) {
      let h = 0x811c9dc5;
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
      this.hash = h;
      this.last = text;
    }
    return this.hash;
  }
}

const fingerprints = new StringHash();

/**
 * The LRU slot of a key: 31 bits (a small integer for V8) of `contentHash` mixed with the
 * fingerprint. Both key kinds (tensor and signature) use it; an entry keeps what its slot was
 * hashed from, and a hit must match all of it, so two keys sharing a slot replace each other.
 */
export function slotOf(contentHash: number, fingerprint: string): number {
  return fmix32(contentHash ^ fingerprints.of(fingerprint)) >> 1;
}
