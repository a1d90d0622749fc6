/**
 * Time and ids are injected so rules stay pure functions and tests never sleep.
 */
import { v7 as uuidv7 } from 'uuid';

export interface Clock {
  now(): Date;
}

/**
 * A device's own clocks: the wall clock (`now`, which anyone may set) and a monotonic one
 * (milliseconds from an arbitrary origin, never set back, restarting with the process), which
 * tells how much time really passed while the wall clock may have been moved.
 */
export interface DeviceClock extends Clock {
  monotonicMs(): number;
}

export const systemClock: DeviceClock = { now: () => new Date(), monotonicMs: () => performance.now() };

/**
 * A clock a test moves by hand: `advance` is time passing (wall and monotonic), `set` is someone
 * changing the wall clock (the monotonic clock does not move).
 */
export function manualClock(
  start: Date | string,
): DeviceClock & { set(t: Date | string): void; advance(ms: number): void } {
  let current = new Date(start);
  let monotonic = 0;
  return {
    now: () => new Date(current),
    monotonicMs: () => monotonic,
    set: (t) => {
      current = new Date(t);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
      monotonic += ms;
    },
  };
}

export type IdGenerator = () => string;

/**
 * Random bytes for ids, drawn 4 KiB at a time. Why: uuid's v7() calls crypto.getRandomValues
 * for every id, a cost a redemption's commit path notices; a slice of a pooled fill costs a
 * fraction of it.
 * Web Crypto, so the same code runs in Node and in the browser.
 */
const ID_RANDOM = new Uint8Array(16 * 256);
let randomOffset = ID_RANDOM.length;

function nextRandom16(): Uint8Array {
  if (randomOffset === ID_RANDOM.length) {
    globalThis.crypto.getRandomValues(ID_RANDOM);
    randomOffset = 0;
  }
  const bytes = ID_RANDOM.subarray(randomOffset, randomOffset + 16);
  randomOffset += 16;
  return bytes;
}

/**
 * The millisecond and counter of the last id, as uuid's own v7() keeps them (RFC 9562 §6.2,
 * method 1): ids made in the same millisecond count up from a random start, so they still sort
 * in the order they were made. uuid keeps that state only when it also draws the randomness.
 */
const last = { msecs: -Infinity, seq: 0 };

/** Time-ordered UUIDv7: sorts by creation, unique without coordination. */
export const uuidV7: IdGenerator = () => {
  const random = nextRandom16();
  const now = Date.now();
  if (now > last.msecs) {
    last.msecs = now;
    last.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    last.seq = (last.seq + 1) | 0;
    if (last.seq === 0) last.msecs += 1;
  }
  return uuidv7({ random, msecs: last.msecs, seq: last.seq });
};
