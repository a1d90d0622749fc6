/**
 * Time and ids are injected so rules stay pure functions and tests never sleep.
 */
import { v7 as uuidv7 } from 'uuid';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock a test moves by hand. */
export function manualClock(
  start: Date | string,
): Clock & { set(t: Date | string): void; advance(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (t) => {
      current = new Date(t);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

export type IdGenerator = () => string;

/** Time-ordered UUIDv7: sorts by creation, unique without coordination. */
export const uuidV7: IdGenerator = () => uuidv7();
