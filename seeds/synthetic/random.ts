/**
 * Randomness for the synthetic portfolio: mulberry32 seeded from a hash of the seed, so any safe integer is a good
 * seed, with the few draws the generator makes of it (whole numbers, coin flips, picks, weighted picks, a normal
 * deviate, shuffles and samples). Each part of the data draws from its own named stream.
 */

export type Rng = () => number;

function hashSeed(text: string): number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^= h >>> 16) >>> 0;
}

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An independent stream for one part of the data, so adding draws to one part never shifts another. */
export const stream = (seed: number, name: string): Rng => mulberry32(hashSeed(`${seed}:${name}`));

export const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
export const chance = (rng: Rng, p: number) => rng() < p;
export const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];

export function normal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function weighted<T>(entries: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  return (rng) => {
    let r = rng() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1][0];
  };
}

/** Shuffles `list` in place (Fisher–Yates) and returns it; an Int32Array as well as an array. */
export function shuffle<List extends { length: number; [index: number]: unknown }>(rng: Rng, list: List): List {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

export function sample<T>(rng: Rng, list: readonly T[], n: number): T[] {
  return shuffle(rng, [...list]).slice(0, Math.min(n, list.length));
}
