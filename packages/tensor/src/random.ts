/**
 * SplitMix32-style seeded generator (mulberry32). Unlike the reference's linear ramp, neighbouring
 * seeds give unrelated streams.
 */
export function seededRandom(seed: number): () => number {
  // Mix the seed first so that seeds 0, 1, 2… start far apart.
  let a = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
