/**
 * redemption.create: a claim redeemed at a till, usually already confirmed to the customer.
 *
 * The device decided validity offline from its synced data; the hub does not second-guess it (a
 * confirmed redemption must never be lost). The hub's one job is the single-use rule: when two
 * devices redeemed the same claim, the earliest device time wins, ties going to the smaller
 * device id. The loser is answered `conflict` — or, when the earlier one arrives second, the
 * claim moves to it, the previous redemption is marked 'conflict', and the claim's change tells
 * the device that lost (see docs/protocol.md, "Conflicts").
 */
import { scopesForBranches, recordChange } from '../../db/changes';
import { toClaimRow } from '../../db/rows';
import { applied, rejected, type ApplyContext, type Applier } from './types';

interface Holder {
  redeemedAt: string;
  deviceId: string;
  branchId: string;
  staffId: string;
}

/** Does redemption `a` win over `b`? Earliest device time; same instant → smaller device id. */
export function winsOver(
  a: Pick<Holder, 'redeemedAt' | 'deviceId'>,
  b: Pick<Holder, 'redeemedAt' | 'deviceId'>,
) {
  const ta = Date.parse(a.redeemedAt);
  const tb = Date.parse(b.redeemedAt);
  if (ta !== tb) return ta < tb;
  return a.deviceId < b.deviceId;
}

export const applyRedemptionCreate: Applier<'redemption.create'> = async (mutation, ctx) => {
  const { trx, device } = ctx;
  const { claimId, couponId, staffId, scannedCode } = mutation.payload;

  const claimQuery = trx('claims').where({ id: claimId, brand_id: device.brandId }).first();
  // Row lock on PostgreSQL so two redemptions of one claim are decided one after the other.
  const claim = await (ctx.dbKind === 'postgres' ? claimQuery.forUpdate() : claimQuery);
  if (!claim) return rejected('CLAIM_NOT_FOUND', 'No such claim in this brand.');
  if (claim.coupon_id !== couponId)
    return rejected('CLAIM_COUPON_MISMATCH', 'The claim belongs to another coupon.');

  const coupon = await trx('coupons').where({ id: couponId, brand_id: device.brandId }).first();
  if (!coupon) return rejected('COUPON_NOT_FOUND', 'No such coupon in this brand.');
  const branchIds = JSON.parse(String(coupon.branch_ids)) as string[];
  if (branchIds.length > 0 && !branchIds.includes(device.branchId)) {
    return rejected('BRANCH_MISMATCH', 'This coupon cannot be redeemed at this branch.');
  }
  const staff = await trx('staff').where({ id: staffId, brand_id: device.brandId }).first();
  if (!staff) return rejected('STAFF_NOT_FOUND', 'No such staff member in this brand.');

  const mine: Holder = {
    redeemedAt: new Date(mutation.deviceTime).toISOString(),
    deviceId: device.id,
    branchId: device.branchId,
    staffId,
  };
  const redemption = {
    id: mutation.id,
    claim_id: claimId,
    coupon_id: couponId,
    device_id: device.id,
    branch_id: device.branchId,
    staff_id: staffId,
    scanned_code: scannedCode,
    device_time: mine.redeemedAt,
    received_at: ctx.clock.now().toISOString(),
  };

  if (claim.redeemed_at) {
    const holder: Holder = {
      redeemedAt: String(claim.redeemed_at),
      deviceId: String(claim.redeemed_device_id ?? ''),
      branchId: String(claim.redeemed_branch_id ?? ''),
      staffId: String(claim.redeemed_staff_id ?? ''),
    };
    if (!winsOver(mine, holder)) {
      await trx('redemptions').insert({ ...redemption, status: 'conflict' });
      return {
        outcome: {
          status: 'conflict',
          code: 'ALREADY_REDEEMED',
          message: 'This claim was redeemed earlier on another till.',
          details: { ...holder, claimId },
        },
        changed: false,
      };
    }
    if (claim.redemption_id) {
      await trx('redemptions').where({ id: claim.redemption_id }).update({ status: 'conflict' });
    }
  }

  await trx('redemptions').insert({ ...redemption, status: 'applied' });
  await trx('claims').where({ id: claimId }).update({
    redeemed_at: mine.redeemedAt,
    redeemed_branch_id: mine.branchId,
    redeemed_device_id: mine.deviceId,
    redeemed_staff_id: mine.staffId,
    redemption_id: mutation.id,
  });
  await recordClaimChange(ctx, claimId, branchIds);
  return applied(true);
};

async function recordClaimChange(ctx: ApplyContext, claimId: string, branchIds: string[]): Promise<void> {
  const row = await ctx.trx('claims').where({ id: claimId }).first();
  const customer = row.customer_id
    ? await ctx.trx('customers').where({ id: row.customer_id }).first('display_name')
    : undefined;
  await recordChange(ctx.trx, {
    brandId: ctx.device.brandId,
    scopes: scopesForBranches(branchIds),
    entity: 'claim',
    id: claimId,
    op: 'upsert',
    data: toClaimRow(row, customer ? String(customer.display_name) : null),
    at: ctx.clock.now(),
  });
}
