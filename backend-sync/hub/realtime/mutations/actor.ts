/**
 * Who made a mutation, decided by the hub for every kind before its applier runs. The person is
 * the one of the console sign-in the mutation names (`payload.signInId`, recorded by its
 * `staff.signin` mutation or by a session:open with the PIN), never the payload's word: a payload
 * naming someone else is refused (`STAFF_MISMATCH`), and so is an unknown sign-in. Then the
 * member must be active, allowed on this device (its branch, or a brand-wide role) and of a role
 * that may make this kind (domain/roles.ts MUTATION_ROLES).
 */
import { mayMake } from '../../../domain/roles';
import { ErrorCode } from '../../../domain/errors';
import type { Mutation, MutationOutcome, Role } from '../../../protocol';
import { staffOf, type ApplyContext } from './types';

type Row = Record<string, unknown>;

export const STAFF_MISMATCH = 'STAFF_MISMATCH';
export const SIGNIN_UNKNOWN = 'SIGNIN_UNKNOWN';

const refuse = (code: string, message: string): MutationOutcome => ({ status: 'rejected', code, message });

/** The sign-in `id` of this device, read once per push (a staff.signin of the push adds its own). */
export const signInOf = (ctx: ApplyContext, id: string): Promise<Row | undefined> =>
  ctx.push.lookup(`signIn:${id}`, () =>
    ctx.trx('sign_ins').where({ id }).whereIn('device_id', ctx.device.lineage).first(),
  );

/**
 * A console older than `signInId` named only the person: its mutation was made under that
 * person's latest sign-in on this device (the till acts only for whoever is signed in), so it is
 * attributed to it — and still refused when the hub knows no sign-in of theirs here.
 */
const latestSignInOf = (ctx: ApplyContext, staffId: string): Promise<Row | undefined> =>
  ctx.push.lookup(`latestSignIn:${staffId}`, () =>
    ctx
      .trx('sign_ins')
      .where({ staff_id: staffId })
      .whereIn('device_id', ctx.device.lineage)
      .orderBy('recorded_at', 'desc')
      .first(),
  );

/** null when the mutation's person may make it; else the rejection to store and answer. */
export async function checkActor(ctx: ApplyContext, mutation: Mutation): Promise<MutationOutcome | null> {
  const { staffId } = mutation.payload;
  if (mutation.kind !== 'staff.signin') {
    const { signInId } = mutation.payload;
    const signIn = signInId ? await signInOf(ctx, signInId) : await latestSignInOf(ctx, staffId);
    if (!signIn) return refuse(SIGNIN_UNKNOWN, 'The hub has no record of the sign-in this was made under.');
    if (signIn.staff_id !== staffId) {
      return refuse(STAFF_MISMATCH, 'The mutation names someone other than the signed-in staff member.');
    }
  }
  const staff = await staffOf(ctx, staffId);
  if (!staff) return refuse('STAFF_NOT_FOUND', 'No such staff member in this brand.');
  if (!(staff.active === true || staff.active === 1)) {
    return refuse('STAFF_INACTIVE', 'This staff member is no longer active.');
  }
  if (staff.branch_id !== null && staff.branch_id !== ctx.device.branchId) {
    return refuse('STAFF_NOT_IN_BRANCH', 'This staff member belongs to another branch.');
  }
  if (!mayMake(mutation.kind, String(staff.role) as Role)) {
    return refuse(ErrorCode.FORBIDDEN, `A ${String(staff.role)} may not make ${mutation.kind}.`);
  }
  return null;
}
