/**
 * PIN guessing at the hub (session:open with a PIN). Two limits, both checked before the PIN is:
 *
 * - Per device: at most DEVICE_PIN_ATTEMPTS PIN attempts in DEVICE_WINDOW_MS, whatever socket or
 *   staff member they name (in memory: a device reconnecting keeps its count; a hub restart
 *   forgets it, which the per-staff lock below does not).
 * - Per staff member, across sockets and devices: PIN_FAILURES_BEFORE_LOCK wrong PINs in a row
 *   lock the member for PIN_LOCK_BASE_MS, doubled for every further lock in a row (back-off) up
 *   to PIN_LOCK_MAX_MS. A locked member is refused without checking the PIN, so guessing during
 *   a lock learns nothing. A right PIN (outside a lock) clears the streak. The count is in
 *   `pin_failures`; every lock is kept in `pin_lockouts` (who, from which device, when, until)
 *   and replicated in the member's staff row (`signInLockedUntil`), so every till of the branch
 *   refuses the sign-in with SIGNIN_LOCKED as well, and the admin API lists it. Each lock also
 *   writes an audit row (`staffPinLocked`) in the same transaction. A manager's PIN reset
 *   (staff/staff.ts) lifts the lock.
 */
import type { Knex } from 'knex';
import { AppError, ErrorCode } from '../../domain/errors';
import { recordAudit } from '../audit';
import { branchScope, recordChange } from '../db/changes';
import { toStaffRow } from '../db/rows';

export const PIN_FAILURES_BEFORE_LOCK = 5;
export const PIN_LOCK_BASE_MS = 5 * 60_000;
export const PIN_LOCK_MAX_MS = 24 * 3_600_000;
export const DEVICE_PIN_ATTEMPTS = 10;
export const DEVICE_WINDOW_MS = 60_000;

export const RATE_LIMITED = 'RATE_LIMITED';

type Row = Record<string, unknown>;

export interface PinGuard {
  /** Counts a PIN attempt of the device; throws RATE_LIMITED (with retryAfterMs) past the limit. */
  admitDevice(deviceId: string, now: Date): void;
  /** Throws SIGNIN_LOCKED (with retryAt) while the staff member is locked. */
  assertNotLocked(db: Knex, staffId: string, now: Date): Promise<void>;
  /** A wrong PIN for the member; locks them at the limit. Returns the lock's end, if it locked. */
  failed(db: Knex, staff: Row, deviceId: string, now: Date): Promise<string | null>;
  /** A right PIN: the streak and the back-off start again. */
  succeeded(db: Knex, staffId: string): Promise<void>;
}

export const lockDurationMs = (lockCount: number): number =>
  Math.min(PIN_LOCK_MAX_MS, PIN_LOCK_BASE_MS * 2 ** Math.max(0, lockCount));

export const lockedError = (until: string): AppError =>
  new AppError(ErrorCode.SIGNIN_LOCKED, 'Too many wrong PINs for this staff member; try again later.', {
    retryAt: until,
  });

export function createPinGuard(): PinGuard {
  const attempts = new Map<string, number[]>();

  return {
    admitDevice(deviceId, now) {
      const since = now.getTime() - DEVICE_WINDOW_MS;
      const recent = (attempts.get(deviceId) ?? []).filter((t) => t > since);
      if (recent.length >= DEVICE_PIN_ATTEMPTS) {
        attempts.set(deviceId, recent);
        throw new AppError(RATE_LIMITED, 'Too many PIN attempts from this device; wait a moment.', {
          retryAfterMs: recent[0]! + DEVICE_WINDOW_MS - now.getTime(),
        });
      }
      recent.push(now.getTime());
      attempts.set(deviceId, recent);
    },

    async assertNotLocked(db, staffId, now) {
      const row = (await db('pin_failures').where({ staff_id: staffId }).first()) as Row | undefined;
      if (row?.locked_until && String(row.locked_until) > now.toISOString())
        throw lockedError(String(row.locked_until));
    },

    async failed(db, staff, deviceId, now) {
      return db.transaction(async (trx) => {
        const staffId = String(staff.id);
        const query = trx('pin_failures').where({ staff_id: staffId });
        // Two devices failing at once must both count: the row is locked while it is updated.
        const row = (await (trx.client.config.client === 'pg' ? query.forUpdate() : query).first()) as
          Row | undefined;
        const at = now.toISOString();
        const lockOver = row?.locked_until != null && String(row.locked_until) <= at;
        const failures = (row && !lockOver ? Number(row.failures) : 0) + 1;
        const lockCount = row ? Number(row.lock_count) : 0;
        if (row?.locked_until && !lockOver) return String(row.locked_until); // raced a lock
        const locks = failures >= PIN_FAILURES_BEFORE_LOCK;
        const lockedUntil = locks ? new Date(now.getTime() + lockDurationMs(lockCount)).toISOString() : null;
        const next = {
          staff_id: staffId,
          failures: locks ? 0 : failures,
          last_failed_at: at,
          locked_until: lockedUntil,
          lock_count: locks ? lockCount + 1 : lockCount,
        };
        await trx('pin_failures').insert(next).onConflict('staff_id').merge();
        if (!lockedUntil) return null;
        await trx('pin_lockouts').insert({
          brand_id: staff.brand_id,
          staff_id: staffId,
          device_id: deviceId,
          locked_at: at,
          locked_until: lockedUntil,
          failures,
        });
        // The back office's audit log, committed with the lock itself.
        await recordAudit(trx, {
          brandId: String(staff.brand_id),
          actor: { kind: 'system', id: null, label: 'pin-lockout' },
          action: 'staffPinLocked',
          entity: 'staff',
          entityId: staffId,
          after: { deviceId, lockedUntil, failures },
          at: now,
        });
        await recordChange(trx, {
          brandId: String(staff.brand_id),
          scopes: [staff.branch_id ? branchScope(String(staff.branch_id)) : 'brand'],
          entity: 'staff',
          id: staffId,
          op: 'upsert',
          data: { ...toStaffRow(staff), signInLockedUntil: lockedUntil },
          at: now,
        });
        return lockedUntil;
      });
    },

    async succeeded(db, staffId) {
      await db('pin_failures').where({ staff_id: staffId }).update({ failures: 0, lock_count: 0 });
    },
  };
}
