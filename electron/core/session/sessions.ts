/**
 * Staff sign-in on an enrolled device: staff code (case-insensitive) + PIN, checked against the
 * synced `staff` mirror with the salted hash the hub replicated, so it works offline. Only active
 * staff of this device's branch, or brand-wide staff (no branch), may sign in.
 *
 * A wrong PIN and an unknown code get the same SIGNIN_FAILED (and the same scrypt work) so the
 * screen never tells which staff codes exist. After MAX_FAILURES wrong attempts for one staff
 * code on this device, that code is locked for LOCK_MS (kept on disk: restarting the app does not
 * unlock it). A successful sign-in is recorded in `signins` and queued for the hub as a
 * `staff.signin` mutation, in one transaction.
 */
import type { Knex } from 'knex';
import type { Clock, IdGenerator } from '../../../backend-sync/domain/clock';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import { hashSecret, signInProof, verifySecret } from '../../../backend-sync/domain/secrets';
import { StaffRow } from '../../../backend-sync/protocol';
import type { SignedInStaff } from '../consoleApi/contract';
import { enqueue } from '../outbox/outbox';
import type { HubProof } from './hubProof';
import { getMeta } from '../store/meta';
import { staffCodeKey } from '../store/mirrors';
import { writeTransaction } from '../store/transaction';

export const MAX_FAILURES = 5;
export const LOCK_MS = 5 * 60 * 1000;

export interface SessionDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  /** Called after the sign-in (and its outbox mutation) committed, and after sign-out. */
  onChanged: (session: SignedInStaff | null) => void;
  onOutboxChanged: () => void;
  /** Told of every sign-in (with the PIN) and sign-out, to open the session at the hub. */
  hubProof?: HubProof;
}

let dummyHash: string | null = null;
/** Checked when no staff matches, so an unknown code costs the same time as a wrong PIN. */
const dummyPinHash = (): string => (dummyHash ??= hashSecret('no-such-staff'));

export function createSessions(deps: SessionDeps) {
  let current: SignedInStaff | null = null;

  async function findEligibleStaff(key: string, brandId: string, branchId: string): Promise<StaffRow | null> {
    const rows = (await deps.db('staff').where({ staff_code_key: key, active: 1 }).select('data')) as {
      data: string;
    }[];
    for (const row of rows) {
      const staff = StaffRow.safeParse(JSON.parse(row.data));
      if (!staff.success) continue;
      const s = staff.data;
      if (s.active && s.brandId === brandId && (s.branchId === null || s.branchId === branchId)) return s;
    }
    return null;
  }

  function lockedError(until: Date): AppError {
    return new AppError(
      ErrorCode.SIGNIN_LOCKED,
      'Too many wrong PINs for this staff code; try again later.',
      {
        retryAt: until.toISOString(),
      },
    );
  }

  async function recordFailure(key: string): Promise<AppError> {
    const now = deps.clock.now();
    return writeTransaction(deps.db, async (trx) => {
      const row = (await trx('signin_attempts').where({ staff_code_key: key }).first()) as
        { failures: number; locked_until: string | null } | undefined;
      // A lock that has run out starts a fresh count.
      const expired = row?.locked_until != null && new Date(row.locked_until) <= now;
      const failures = (row && !expired ? row.failures : 0) + 1;
      const lockedUntil = failures >= MAX_FAILURES ? new Date(now.getTime() + LOCK_MS) : null;
      await trx('signin_attempts')
        .insert({ staff_code_key: key, failures, locked_until: lockedUntil?.toISOString() ?? null })
        .onConflict('staff_code_key')
        .merge();
      return lockedUntil
        ? lockedError(lockedUntil)
        : new AppError(ErrorCode.SIGNIN_FAILED, 'Staff code or PIN is not correct.');
    });
  }

  async function signIn(input: { staffCode: string; pin: string }): Promise<SignedInStaff> {
    const brandId = await getMeta(deps.db, 'brandId');
    const branchId = await getMeta(deps.db, 'branchId');
    if (!brandId || !branchId)
      throw new AppError(ErrorCode.NOT_ENROLLED, 'This console is not enrolled yet.');
    const key = staffCodeKey(input.staffCode);

    const attempts = (await deps.db('signin_attempts').where({ staff_code_key: key }).first()) as
      { locked_until: string | null } | undefined;
    if (attempts?.locked_until && new Date(attempts.locked_until) > deps.clock.now()) {
      throw lockedError(new Date(attempts.locked_until));
    }

    const staff = await findEligibleStaff(key, brandId, branchId);
    // Locked at the hub for wrong PINs on any device: refused here too, before the PIN is tried.
    if (staff?.signInLockedUntil && new Date(staff.signInLockedUntil) > deps.clock.now()) {
      throw lockedError(new Date(staff.signInLockedUntil));
    }
    const pinMatches = verifySecret(input.pin, staff?.pinHash ?? dummyPinHash());
    if (!staff || !pinMatches) throw await recordFailure(key);

    const signedInAt = deps.clock.now().toISOString();
    // The sign-in's id is its staff.signin mutation's: every mutation made under it names it.
    const signInId = deps.ids();
    await writeTransaction(deps.db, async (trx) => {
      await trx('signin_attempts').where({ staff_code_key: key }).delete();
      const mutation = await enqueue(
        trx,
        'staff.signin',
        { staffId: staff.id, signedInAt, pinProof: signInProof(staff.pinHash, signInId, staff.id) },
        { clock: deps.clock, ids: () => signInId },
      );
      await trx('signins').insert({
        id: deps.ids(),
        staff_id: staff.id,
        staff_code: staff.staffCode,
        signed_in_at: signedInAt,
        mutation_id: mutation.id,
      });
    });
    deps.hubProof?.signedIn(staff.id, input.pin, signInId);
    current = {
      id: staff.id,
      staffCode: staff.staffCode,
      displayName: staff.displayName,
      role: staff.role,
      branchId: staff.branchId,
      signedInAt,
      signInId,
    };
    deps.onOutboxChanged();
    deps.onChanged(current);
    return current;
  }

  function signOut(): null {
    const had = current !== null;
    current = null;
    deps.hubProof?.signedOut();
    if (had) deps.onChanged(null);
    return null;
  }

  return { signIn, signOut, current: (): SignedInStaff | null => current };
}

export type Sessions = ReturnType<typeof createSessions>;
