/**
 * The seed of a fault suite: FAULT_SEED from the environment (to replay a failure or explore new
 * plans), else a fixed default so `npm test` runs the same plan every time.
 */
export function chooseSeed(fallback: number): number {
  const given = process.env.FAULT_SEED;
  return given && /^\d+$/.test(given) ? Number(given) : fallback;
}
