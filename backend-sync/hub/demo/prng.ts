/**
 * A small seeded PRNG (mulberry32) so the demo makes the same codes, names and numbers on every
 * machine, and docs/demo.md can list codes that stay true.
 */
import type { RandomSource } from '../services/common';

export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  bytes: RandomSource;
}

export function seededPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (maxExclusive: number): number => Math.floor(next() * maxExclusive);
  return {
    next,
    int,
    pick: (items) => items[int(items.length)]!,
    bytes: (n) => Uint8Array.from({ length: n }, () => int(256)),
  };
}
