/**
 * mulberry32: a tiny seeded PRNG, so a fault run's plan (which point, which hit) is reproducible
 * from the seed the test prints. Not for anything but tests.
 */
export interface Prng {
  /** [0, 1) */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

export function mulberry32(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/**
 * The seed of a fault suite: FAULT_SEED from the environment (to replay a failure or explore new
 * plans), else a fixed default so `npm test` runs the same plan every time.
 */
export function chooseSeed(fallback: number): number {
  const given = process.env.FAULT_SEED;
  return given && /^\d+$/.test(given) ? Number(given) : fallback;
}
