/**
 * Salted, slow hashes for staff PINs and coupon verification codes. The hub stores and syncs only
 * these strings, so a console can check a PIN or a code offline without ever holding it in plain.
 * Format: `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>`. Also the device token's hash and the
 * hub's proof of holding it (both ends compute them).
 */
import { createHash, createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

export function hashSecret(secret: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(secret.normalize('NFKC'), salt, KEY_LENGTH, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function verifySecret(secret: string, stored: string): boolean {
  const parsed = parseStored(stored);
  if (!parsed) return false;
  const actual = scryptSync(secret.normalize('NFKC'), parsed.salt, parsed.expected.length, parsed.cost);
  return timingSafeEqual(actual, parsed.expected);
}

/**
 * The same hashes computed on libuv's thread pool, for a server: each scrypt is tens of
 * milliseconds of CPU, and done synchronously a burst of sign-ins would stall every other request.
 */
const scryptAsync = (
  secret: string,
  salt: Buffer,
  length: number,
  cost: { N: number; r: number; p: number },
) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(secret, salt, length, cost, (err, key) => (err ? reject(err) : resolve(key))),
  );

export async function hashSecretAsync(secret: string, salt: Buffer = randomBytes(16)): Promise<string> {
  const hash = await scryptAsync(secret.normalize('NFKC'), salt, KEY_LENGTH, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifySecretAsync(secret: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) return false;
  const actual = await scryptAsync(
    secret.normalize('NFKC'),
    parsed.salt,
    parsed.expected.length,
    parsed.cost,
  );
  return timingSafeEqual(actual, parsed.expected);
}

function parseStored(stored: string) {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, saltB64, hashB64] = parts as [string, string, string, string, string, string];
  return {
    salt: Buffer.from(saltB64, 'base64'),
    expected: Buffer.from(hashB64, 'base64'),
    cost: { N: Number(n), r: Number(r), p: Number(p) },
  };
}

/** What the hub keeps of a device token: its sha256, hex (a random 256-bit token needs no salt). */
export const deviceTokenHash = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * The hub's answer to "are you the hub that enrolled me?": an HMAC of the console's random nonce
 * keyed with the token hash only that hub holds. The console computes the same from its token;
 * the token itself never travels to a hub that has not proved itself.
 */
export const deviceIdentityProof = (tokenHash: string, nonce: string): string =>
  createHmac('sha256', tokenHash).update(nonce, 'utf8').digest('hex');

/**
 * A console's record that it checked a staff member's PIN against `pinHash` for the sign-in
 * `signInId`, offline as well. The hub recomputes it from the member's current hash: a sign-in
 * made with a PIN the hub has since replaced does not match and is flagged. It proves knowledge
 * of the hash, which the device holds, not of the PIN (docs/protocol.md says what that is worth).
 */
export const signInProof = (pinHash: string, signInId: string, staffId: string): string =>
  createHmac('sha256', pinHash).update(`${signInId}:${staffId}`, 'utf8').digest('hex');

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
