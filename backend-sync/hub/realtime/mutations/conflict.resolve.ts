/**
 * conflict.resolve: a manager acknowledges or voids a redemption that lost its claim to an
 * earlier one (sales manager, supervisor, admin; a sales manager only for conflicts that
 * involve their own branch).
 *
 * Only a redemption in status `conflict` can be resolved. The winner cannot be voided here:
 * voiding it would have to release the claim or hand it to the next redemption, changing what
 * every till says about that code — a separate, deliberate feature, not a side effect of tidying
 * the "needs attention" list. `acknowledge` keeps the conflict on record as seen; `void` marks it
 * `voided` so it never counts as a use. An acknowledged conflict may still be voided later; a
 * voided one is final.
 */
import { canResolveConflicts } from '../../../domain/roles';
import { ErrorCode } from '../../../domain/errors';
import type { Role } from '../../../protocol';
import { involvedBranches, recordRedemptionChange } from './redemptions';
import { applied, FLUSH_FIRST, recordEvent, rejected, staffOf, type Applier } from './types';

const isActive = (v: unknown): boolean => v === true || v === 1 || v === '1';

export const applyConflictResolve: Applier<'conflict.resolve'> = async (mutation, ctx) => {
  const { trx, device } = ctx;
  const { redemptionId, staffId, decision, note } = mutation.payload;

  const staff = await staffOf(ctx, staffId);
  if (!staff || !isActive(staff.active) || !canResolveConflicts(String(staff.role) as Role)) {
    return rejected(
      ErrorCode.FORBIDDEN,
      'Only an active sales manager, supervisor or admin may resolve conflicts.',
    );
  }

  // Reads redemptions back: what earlier mutations of the push buffered must be written first.
  if (ctx.push.hasPendingWrites) return FLUSH_FIRST;
  // The redemptions table has no brand column: its claim says which brand it belongs to.
  const query = trx('redemptions as r')
    .join('claims as c', 'c.id', 'r.claim_id')
    .where({ 'r.id': redemptionId, 'c.brand_id': device.brandId })
    .first('r.*');
  const redemption = (await (ctx.dbKind === 'postgres' ? query.forUpdate() : query)) as
    Record<string, unknown> | undefined;
  if (!redemption) return rejected('REDEMPTION_NOT_FOUND', 'No such redemption in this brand.');

  const branches = await involvedBranches(ctx, redemption);
  if (staff.role === 'sales_manager' && !branches.includes(String(staff.branch_id))) {
    return rejected(ErrorCode.FORBIDDEN, 'A sales manager may only resolve conflicts of their own branch.');
  }
  if (redemption.status === 'voided') {
    return rejected('CONFLICT_ALREADY_RESOLVED', 'This redemption has already been voided.');
  }
  if (redemption.status !== 'conflict') {
    return rejected('REDEMPTION_NOT_IN_CONFLICT', 'Only a redemption that lost its claim can be resolved.');
  }
  if (redemption.resolution === 'acknowledged' && decision === 'acknowledge') {
    return rejected('CONFLICT_ALREADY_RESOLVED', 'This conflict has already been acknowledged.');
  }

  const resolvedAt = ctx.clock.now().toISOString();
  await trx('redemptions')
    .where({ id: redemptionId })
    .update(
      decision === 'void'
        ? { status: 'voided', resolution: 'voided', resolved_by: staffId, resolved_at: resolvedAt }
        : { resolution: 'acknowledged', resolved_by: staffId, resolved_at: resolvedAt },
    );
  recordEvent(ctx, 'conflict.resolve', staffId, {
    mutationId: mutation.id,
    redemptionId,
    claimId: String(redemption.claim_id),
    decision,
    ...(note ? { note } : {}),
    deviceTime: mutation.deviceTime,
  });
  await recordRedemptionChange(ctx, redemptionId);
  return applied(true);
};
