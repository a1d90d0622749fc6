/**
 * Ids shaped like the platforms' own: LINE webhook event ids are ULIDs, message ids long digit
 * strings, reply and quote tokens opaque; WhatsApp message ids start with 'wamid.'. Randomness
 * comes from node:crypto; time from the injected clock (ULIDs sort by it).
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function ulid(timeMs: number): string {
  let time = '';
  let t = timeMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i]! % 32]!;
  return time + rand;
}

/** LINE message ids are 18-digit decimal strings. */
export const lineMessageId = (): string =>
  `5${String(randomInt(10 ** 8, 10 ** 9 - 1))}${String(randomInt(10 ** 8, 10 ** 9 - 1))}`;

export const opaqueToken = (bytes = 24): string => randomBytes(bytes).toString('hex');

export const wamid = (): string =>
  `wamid.${Buffer.from(`emulator.${randomUUID()}`).toString('base64').replace(/=+$/, '')}`;

export const requestId = (): string => randomUUID();
