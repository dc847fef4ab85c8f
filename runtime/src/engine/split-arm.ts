/**
 * Which arm of a weighted split a subject lands in: a pure hash of subject, journey and
 * step, so the same subject always gets the same arm (on replay, on re-entry, on every
 * worker) and the arms fill in proportion to their weights.
 */

/** 32-bit FNV-1a over the UTF-16 code units, finished with a murmur3-style avalanche so near-identical keys spread. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Index of the arm for `key`: the hash scaled into [0, sum of weights), then the arm whose range holds it. */
export function splitArm(key: string, weights: readonly number[], totalWeight: number): number {
  const point = (fnv1a32(key) / 0x1_0000_0000) * totalWeight;
  let upTo = 0;
  for (let i = 0; i < weights.length; i++) {
    upTo += weights[i]!;
    if (point < upTo) return i;
  }
  return weights.length - 1; // rounding at the very top
}
