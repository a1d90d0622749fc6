/**
 * scan → verdict, from local data only. Every scan — wedge, HID POS reader, manual entry — goes
 * through `judgeScan`. Lookups are by indexed column (claim token, pack code, fixed code, ids);
 * nothing here reads more than a handful of rows.
 */
import type { Knex } from 'knex';
import type { Clock } from '../../../backend-sync/domain/clock';
import { parseScan } from '../../../backend-sync/domain/scan';
import { judgeClaim } from '../../../backend-sync/domain/verdict';
import { validityWindow } from '../../../backend-sync/domain/validity';
import type { ClaimRow, CouponRow } from '../../../backend-sync/protocol';
import type { TillVerdict } from '../consoleApi/contract';
import {
  claimByCode,
  claimByToken,
  couponByFixedCode,
  couponById,
  loadNames,
  offlineSince,
  verificationLockedUntil,
} from './lookups';
import { isOfflineTooLong } from './rules';
import { cachedRules, requireIdentity } from './cache';

export type ScanOrigin = TillVerdict['origin'];

export interface ScanDeps {
  db: Knex;
  clock: Clock;
}

/** What the cashier scanned, as echoed back: without the scanner's suffix key or stray spaces. */
export const cleanInput = (raw: string): string => raw.replace(/[\r\n\t]+$/g, '').trim();

export async function judgeScan(deps: ScanDeps, raw: string, origin: ScanOrigin): Promise<TillVerdict> {
  const { db } = deps;
  const now = deps.clock.now();
  const me = await requireIdentity(db);
  const [rules, offline] = await Promise.all([cachedRules(db, me.brandId), offlineSince(db)]);
  const base: TillVerdict = {
    input: cleanInput(raw).slice(0, 200),
    origin,
    verdict: 'unknown_code',
    problem: null,
    coupon: null,
    claim: null,
    validFrom: null,
    validUntil: null,
    redeemed: null,
    branchNames: [],
    offlineTooLong: isOfflineTooLong(offline, now, rules),
  };

  const parsed = parseScan(raw);
  if (parsed.kind === 'invalid') return { ...base, verdict: 'invalid_input', problem: parsed.problem };

  const claim =
    parsed.kind === 'claim_token' ? await claimByToken(db, parsed.token) : await claimByCode(db, parsed.code);
  if (!claim) {
    const fixed = parsed.kind === 'code' ? await couponByFixedCode(db, parsed.code) : null;
    if (!fixed) return base;
    return { ...base, verdict: 'needs_claim_qr', coupon: await tillCoupon(deps, fixed, now) };
  }
  const coupon = await couponById(db, claim.couponId);
  // A claim whose coupon has not synced (or was withdrawn) cannot be judged: treat as unknown.
  if (!coupon) return base;

  const verdict = judgeClaim({ coupon, claim, branchId: me.branchId, now, timeZone: rules.timeZone });
  const window = validityWindow(coupon, claim, now, rules.timeZone);
  const found: TillVerdict = {
    ...base,
    verdict: verdict.kind,
    coupon: await tillCoupon(deps, coupon, now),
    claim: claimView(claim),
    validFrom: window.from?.toISOString() ?? null,
    validUntil: window.until?.toISOString() ?? null,
  };

  if (verdict.kind === 'wrong_branch') {
    const names = await loadNames(db, { branches: verdict.branchIds });
    return { ...found, branchNames: verdict.branchIds.map((id) => names.branch(id) ?? id) };
  }
  if (verdict.kind === 'already_redeemed') {
    const names = await loadNames(db, {
      branches: [verdict.branchId],
      devices: [verdict.deviceId],
      staff: [verdict.staffId],
    });
    const mine = verdict.deviceId === me.deviceId;
    // This device's own redemption of the claim, not yet taken by the hub.
    const queued = mine
      ? await db('till_redemptions').where({ claim_id: claim.id, own: 1, state: 'queued' }).first('id')
      : undefined;
    return {
      ...found,
      redeemed: {
        at: verdict.redeemedAt.toISOString(),
        branchName: names.branch(verdict.branchId) ?? verdict.branchId,
        deviceName: names.device(verdict.deviceId) ?? verdict.deviceId,
        // Staff of other branches are not synced here; the claim carries the name.
        staffName: names.staff(verdict.staffId) ?? claim.redeemedStaffName ?? verdict.staffId,
        pendingSync: queued !== undefined,
      },
    };
  }
  return found;
}

async function tillCoupon(
  deps: ScanDeps,
  coupon: CouponRow,
  now: Date,
): Promise<NonNullable<TillVerdict['coupon']>> {
  const needsVerificationCode = coupon.verificationCodeHash !== null;
  return {
    id: coupon.id,
    name: coupon.name,
    usageRules: coupon.usageRules,
    barcodeType: coupon.barcodeType,
    needsVerificationCode,
    lockedUntil: needsVerificationCode ? await verificationLockedUntil(deps.db, coupon.id, now) : null,
  };
}

const claimView = (claim: ClaimRow): NonNullable<TillVerdict['claim']> => ({
  id: claim.id,
  code: claim.code,
  customerName: claim.customerName,
  claimedAt: claim.claimedAt,
  openedAt: claim.openedAt,
});
