/**
 * The hub's check of a PIN typed at a till (realtime/session.ts, session:open).
 *
 * The staff row's scrypt hash is what tills check offline, and it is deliberately slow: ~60 ms of
 * CPU each here, so 300 tills signing in at opening hour would cost 18 s of CPU. The hub therefore
 * also keeps per staff member a keyed check, HMAC-SHA256 under a key derived from the hub's secret
 * key (HUB_SECRET_KEY, channels/secretBox.ts) over the staff id, the current PIN hash and the PIN:
 * - without the key it tells nothing to someone holding the database (the scrypt hash, which every
 *   till holds anyway, remains the weaker link);
 * - bound to the PIN hash, so a new PIN voids it; naming its key, so a rotated key voids it;
 * - written whenever the hub learns a PIN: set or reset in the admin API (staff.ts), or a
 *   sign-in checked by scrypt, which runs on libuv's thread pool, off the event loop.
 * A check that does not match (a wrong PIN, another key) falls back to scrypt, which decides;
 * wrong PINs are rate-limited before they get here (realtime/pinGuard.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { verifySecretAsync } from '../../domain/secrets';
import { derivedKey } from '../channels/secretBox';

type Row = Record<string, unknown>;

const VERSION = 'hmac1';

/** The keyed check of `pin` for a staff member whose PIN hash is `pinHash` (null: no hub key). */
export function pinCheckFor(staffId: string, pinHash: string, pin: string): string | null {
  const key = derivedKey('staff-pin-check');
  if (!key) return null;
  const mac = createHmac('sha256', key.bytes)
    .update(`${staffId}\u0000${pinHash}\u0000${pin.normalize('NFKC')}`, 'utf8')
    .digest('base64url');
  return [VERSION, key.id, mac].join('$');
}

const sameCheck = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

export async function verifyStaffPin(db: Knex, staff: Row, pin: string): Promise<boolean> {
  const staffId = String(staff.id);
  const pinHash = String(staff.pin_hash);
  const expected = pinCheckFor(staffId, pinHash, pin);
  if (expected && typeof staff.pin_check === 'string' && sameCheck(staff.pin_check, expected)) return true;
  if (!(await verifySecretAsync(pin, pinHash))) return false;
  // Only while the PIN is still the one just checked.
  if (expected) await db('staff').where({ id: staffId, pin_hash: pinHash }).update({ pin_check: expected });
  return true;
}
