/**
 * redemption.create: a claim redeemed at a till, usually already confirmed to the customer.
 *
 * The device decided validity offline from its synced data; the hub does not second-guess it (a
 * confirmed redemption must never be lost). The hub's one job is the single-use rule: when two
 * devices redeemed the same claim, the earliest CORRECTED time wins (the device's time bounded by
 * what the hub knows: realtime/deviceClock.ts), ties going to the smaller device id. The raw
 * device time is kept beside it; a correction beyond the tolerance flags the redemption. The loser is answered `conflict` — or, when the earlier one arrives second, the
 * claim moves to it and the previous holder becomes a conflict. Every redemption row created or
 * changed is replicated (see redemptions.ts), so both branches see the conflict; the claim's own
 * change still tells every device who holds it (docs/protocol.md, "Conflicts").
 */
import { branchScope, couponScopes } from '../../db/changes';
import { claimForDevices, toClaimRow, toRedemptionRow } from '../../db/rows';
import { claimOf, updateClaim, type ClaimEntry } from './claims';
import { recordRedemptionChange } from './redemptions';
import {
  applied,
  FLUSH_FIRST,
  recordEvent,
  rejected,
  staffOf,
  type ApplyContext,
  type Applier,
} from './types';

interface Holder {
  redeemedAt: string;
  deviceId: string;
  branchId: string;
  staffId: string;
  staffName: string | null;
}

type Row = Record<string, unknown>;

/** Does redemption `a` win over `b`? Earliest corrected time; same instant → smaller device id. */
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

  // Claim, coupon and customer name come from the push's one join (claims.ts), which on
  // PostgreSQL also holds the claim's row lock.
  const entry = await claimOf(ctx, mutation);
  if (!entry) return rejected('CLAIM_NOT_FOUND', 'No such claim in this brand.');
  const { claim, coupon } = entry;
  if (claim.coupon_id !== couponId)
    return rejected('CLAIM_COUPON_MISMATCH', 'The claim belongs to another coupon.');
  if (!coupon) return rejected('COUPON_NOT_FOUND', 'No such coupon in this brand.');
  if (coupon.branchIds.length > 0 && !coupon.branchIds.includes(device.branchId)) {
    return rejected('BRANCH_MISMATCH', 'This coupon cannot be redeemed at this branch.');
  }
  const staff = await staffOf(ctx, staffId);
  if (!staff) return rejected('STAFF_NOT_FOUND', 'No such staff member in this brand.');
  // As for every mutation made at a till: its branch's staff, or brand-wide roles (branch null).
  if (staff.branch_id != null && staff.branch_id !== device.branchId) {
    return rejected('STAFF_NOT_IN_BRANCH', 'This staff member belongs to another branch.');
  }

  const deviceTime = new Date(mutation.deviceTime).toISOString();
  const correctedTime = ctx.time ? new Date(ctx.time.correctedMs).toISOString() : deviceTime;
  const mine: Holder = {
    redeemedAt: correctedTime,
    deviceId: device.id,
    branchId: device.branchId,
    staffId,
    staffName: String(staff.display_name),
  };
  const redemption = {
    id: mutation.id,
    claim_id: claimId,
    coupon_id: couponId,
    device_id: device.id,
    branch_id: device.branchId,
    staff_id: staffId,
    scanned_code: scannedCode,
    device_time: deviceTime,
    corrected_time: correctedTime,
    time_flag: ctx.time?.flag ?? null,
    received_at: ctx.clock.now().toISOString(),
  };

  if (!claim.redeemed_at) {
    insertRedemption(ctx, { ...redemption, status: 'applied', winner_id: null }, []);
    tagCustomerOnRedeem(ctx, mutation.id, entry, staffId);
    takeClaim(ctx, entry, mine, mutation.id);
    return applied(true);
  }

  const holder: Holder = {
    redeemedAt: String(claim.redeemed_at),
    deviceId: String(claim.redeemed_device_id ?? ''),
    branchId: String(claim.redeemed_branch_id ?? ''),
    staffId: String(claim.redeemed_staff_id ?? ''),
    staffName: claim.redeemed_staff_name ? String(claim.redeemed_staff_name) : null,
  };
  const holderId = claim.redemption_id ? String(claim.redemption_id) : null;
  if (!winsOver(mine, holder)) {
    // The holder's branch is the claim's redeemed branch: it sees this conflict too.
    const winnerBranch = holderId && holder.branchId ? [holder.branchId] : [];
    insertRedemption(ctx, { ...redemption, status: 'conflict', winner_id: holderId }, winnerBranch);
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

  // An earlier redemption arrived late (rare): it takes the claim, and every open conflict of the
  // claim (the previous holder included) now names it as the winner. The customer was tagged when
  // the claim was first redeemed, so no second tag. Rows are read back here (not worth tuning),
  // so what earlier mutations of the push buffered must be written first.
  if (ctx.push.hasPendingWrites) return FLUSH_FIRST;
  await trx('redemptions').insert({ ...redemption, status: 'applied', winner_id: null });
  if (holderId) await trx('redemptions').where({ id: holderId }).update({ status: 'conflict' });
  const losers = (await trx('redemptions')
    .where({ claim_id: claimId, status: 'conflict' })
    .pluck('id')) as string[];
  if (losers.length > 0) await trx('redemptions').whereIn('id', losers).update({ winner_id: mutation.id });
  await recordRedemptionChange(ctx, mutation.id);
  // The old winner's branch saw these conflicts; it must see them move on.
  for (const id of losers) await recordRedemptionChange(ctx, id, [holder.branchId].filter(Boolean));
  takeClaim(ctx, entry, mine, mutation.id);
  return applied(true);
};

/**
 * A new redemption, inserted with the push's others, and its change from the row in hand (nothing
 * read back).
 */
function insertRedemption(
  ctx: ApplyContext,
  row: Row & { branch_id: string },
  alsoToBranches: string[],
): void {
  ctx.push.insertRedemption(row);
  const full = { resolution: null, resolved_by: null, resolved_at: null, ...row };
  ctx.push.recordChange({
    brandId: ctx.device.brandId,
    scopes: [row.branch_id, ...alsoToBranches].map(branchScope),
    entity: 'redemption',
    id: String(row.id),
    op: 'upsert',
    data: toRedemptionRow(full, ctx.device.brandId),
    at: ctx.clock.now(),
  });
}

function takeClaim(ctx: ApplyContext, entry: ClaimEntry, holder: Holder, redemptionId: string): void {
  const changes = {
    redeemed_at: holder.redeemedAt,
    redeemed_branch_id: holder.branchId,
    redeemed_device_id: holder.deviceId,
    redeemed_staff_id: holder.staffId,
    redeemed_staff_name: holder.staffName,
    redemption_id: redemptionId,
  };
  const next = updateClaim(ctx, entry, changes);
  ctx.push.recordChange({
    brandId: ctx.device.brandId,
    scopes: couponScopes(),
    entity: 'claim',
    id: String(entry.claim.id),
    op: 'upsert',
    data: claimForDevices(toClaimRow(next.claim, next.customerName)),
    at: ctx.clock.now(),
  });
}

/**
 * "Tag on redeem": the customer gets the coupon's redeem tag when the claim is first
 * redeemed. The hub has no customer-tags table yet, so this event is the record. A claim issued to
 * nobody has no one to tag.
 */
function tagCustomerOnRedeem(
  ctx: ApplyContext,
  redemptionId: string,
  entry: ClaimEntry,
  staffId: string,
): void {
  const { claim, coupon } = entry;
  if (!coupon?.redeemTag || !claim.customer_id) return;
  recordEvent(ctx, 'tag.redeem', staffId, {
    customerId: String(claim.customer_id),
    tag: coupon.redeemTag,
    claimId: String(claim.id),
    couponId: coupon.id,
    redemptionId,
  });
}
