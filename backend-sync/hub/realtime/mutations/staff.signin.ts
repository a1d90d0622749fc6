/**
 * staff.signin: a sign-in made on the device (possibly offline). It records the sign-in the
 * device's later mutations name (actor.ts), with how the hub knows the person (migration 045):
 * already `hub_pin` when the console opened a session with this sign-in's PIN first; else
 * `offline_pin` when the console's proof matches the member's current PIN hash, or `unverified`
 * — kept, since what was done under it happened at the counter, and flagged for a manager by a
 * `signin.unverified` event. An id already recorded for another device or person is refused.
 */
import { sameDigest, signInProof } from '../../../domain/secrets';
import { STAFF_MISMATCH } from './actor';
import { applied, recordEvent, rejected, staffOf, type Applier } from './types';

export const applyStaffSignIn: Applier<'staff.signin'> = async (mutation, ctx) => {
  const { staffId, signedInAt, pinProof } = mutation.payload;
  // actor.ts checked the member before this runs.
  const staff = (await staffOf(ctx, staffId))!;
  const known = (await ctx.trx('sign_ins').where({ id: mutation.id }).first()) as
    Record<string, unknown> | undefined;
  if (known && (!ctx.device.lineage.includes(String(known.device_id)) || known.staff_id !== staffId)) {
    return rejected(STAFF_MISMATCH, 'This sign-in is recorded for another device or staff member.');
  }
  const row = known ?? {
    id: mutation.id,
    device_id: ctx.device.id,
    staff_id: staffId,
    proof:
      pinProof && sameDigest(pinProof, signInProof(String(staff.pin_hash), mutation.id, staffId))
        ? 'offline_pin'
        : 'unverified',
    signed_in_at: signedInAt,
    recorded_at: ctx.clock.now().toISOString(),
  };
  if (!known) await ctx.trx('sign_ins').insert(row);
  ctx.push.preload(`signIn:${mutation.id}`, row);
  recordEvent(ctx, 'staff.signin', staffId, {
    mutationId: mutation.id,
    signedInAt,
    deviceTime: mutation.deviceTime,
    proof: row.proof,
  });
  if (row.proof === 'unverified') {
    recordEvent(ctx, 'signin.unverified', staffId, { mutationId: mutation.id, deviceId: ctx.device.id });
  }
  return applied();
};
