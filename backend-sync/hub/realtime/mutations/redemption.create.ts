/**
 * redemption.create: a claim redeemed at a till, usually already confirmed to the customer.
 *
 * The device decided validity offline from its synced data; the hub does not second-guess it (a
 * confirmed redemption must never be lost). The hub's one job is the single-use rule: when two
 * devices redeemed the same claim, the earliest device time wins, ties going to the smaller
 * device id. The loser is answered `conflict` — or, when the earlier one arrives second, the
 * claim moves to it and the previous holder becomes a conflict. Every redemption row created or
 * changed is replicated (see redemptions.ts), so both branches see the conflict; the claim's own
 * change still tells every device who holds it (docs/protocol.md, "Conflicts").
 */
import { scopesForBranches, recordChange } from '../../db/changes';
import { toClaimRow } from '../../db/rows';
import { recordRedemptionChange } from './redemptions';
import { applied, recordEvent, rejected, type ApplyContext, type Applier } from './types';

interface Holder {
  redeemedAt: string;
  deviceId: string;
  branchId: string;
  staffId: string;
}

type Row = Record<string, unknown>;

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
  const claim = (await (ctx.dbKind === 'postgres' ? claimQuery.forUpdate() : claimQuery)) as Row | undefined;
  if (!claim) return rejected('CLAIM_NOT_FOUND', 'No such claim in this brand.');
  if (claim.coupon_id !== couponId)
    return rejected('CLAIM_COUPON_MISMATCH', 'The claim belongs to another coupon.');

  const coupon = (await trx('coupons').where({ id: couponId, brand_id: device.brandId }).first()) as
    Row | undefined;
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

  if (!claim.redeemed_at) {
    await trx('redemptions').insert({ ...redemption, status: 'applied', winner_id: null });
    await recordRedemptionChange(ctx, mutation.id);
    await tagCustomerOnRedeem(ctx, mutation.id, claim, coupon, staffId);
    await takeClaim(ctx, claimId, mine, mutation.id, branchIds);
    return applied(true);
  }

  const holder: Holder = {
    redeemedAt: String(claim.redeemed_at),
    deviceId: String(claim.redeemed_device_id ?? ''),
    branchId: String(claim.redeemed_branch_id ?? ''),
    staffId: String(claim.redeemed_staff_id ?? ''),
  };
  const holderId = claim.redemption_id ? String(claim.redemption_id) : null;
  if (!winsOver(mine, holder)) {
    await trx('redemptions').insert({ ...redemption, status: 'conflict', winner_id: holderId });
    await recordRedemptionChange(ctx, mutation.id);
    return {
      outcome: {
        status: 'conflict',
        code: 'ALREADY_REDEEMED',
        message: 'This claim was redeemed earlier on another till.',
        details: { ...holder, claimId, redemptionId: holderId },
      },
      changed: true,
    };
  }

  // An earlier redemption arrived late: it takes the claim, and every open conflict of the claim
  // (the previous holder included) now names it as the winner. The customer was tagged when the
  // claim was first redeemed, so no second tag.
  await trx('redemptions').insert({ ...redemption, status: 'applied', winner_id: null });
  if (holderId) await trx('redemptions').where({ id: holderId }).update({ status: 'conflict' });
  const losers = (await trx('redemptions')
    .where({ claim_id: claimId, status: 'conflict' })
    .pluck('id')) as string[];
  if (losers.length > 0) await trx('redemptions').whereIn('id', losers).update({ winner_id: mutation.id });
  await recordRedemptionChange(ctx, mutation.id);
  // The old winner's branch saw these conflicts; it must see them move on.
  for (const id of losers) await recordRedemptionChange(ctx, id, [holder.branchId].filter(Boolean));
  await takeClaim(ctx, claimId, mine, mutation.id, branchIds);
  return applied(true);
};

async function takeClaim(
  ctx: ApplyContext,
  claimId: string,
  holder: Holder,
  redemptionId: string,
  branchIds: string[],
): Promise<void> {
  await ctx.trx('claims').where({ id: claimId }).update({
    redeemed_at: holder.redeemedAt,
    redeemed_branch_id: holder.branchId,
    redeemed_device_id: holder.deviceId,
    redeemed_staff_id: holder.staffId,
    redemption_id: redemptionId,
  });
  const row = (await ctx.trx('claims').where({ id: claimId }).first()) as Row;
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

/**
 * "Tag on redeem" (SPEC §3.3): the customer gets the coupon's redeem tag when the claim is first
 * redeemed. The hub has no customer-tags table yet, so this event is the record. A claim issued to
 * nobody has no one to tag.
 */
async function tagCustomerOnRedeem(
  ctx: ApplyContext,
  redemptionId: string,
  claim: Row,
  coupon: Row,
  staffId: string,
): Promise<void> {
  if (!coupon.redeem_tag || !claim.customer_id) return;
  await recordEvent(ctx, 'tag.redeem', staffId, {
    customerId: String(claim.customer_id),
    tag: String(coupon.redeem_tag),
    claimId: String(claim.id),
    couponId: String(coupon.id),
    redemptionId,
  });
}
