/**
 * The till's verdict on a found claim: a pure function of the synced coupon and claim, the
 * device's branch and the time. The order of checks follows what helps a cashier most: a draft
 * or another branch's coupon is never redeemable here; a redeemed claim says when and where
 * even if it has expired since; only then do dates matter.
 */
import type { ClaimRow, CouponRow } from '../protocol';
import { validityAt, type ValidityWindow } from './validity';

export type Verdict =
  | { kind: 'valid'; window: ValidityWindow }
  | { kind: 'not_yet_valid'; startsAt: Date }
  | { kind: 'expired'; endedAt: Date }
  | {
      kind: 'already_redeemed';
      redeemedAt: Date;
      branchId: string | null;
      deviceId: string | null;
      staffId: string | null;
    }
  | { kind: 'wrong_branch'; branchIds: string[] }
  | { kind: 'draft' };

export type VerdictKind = Verdict['kind'];

export interface VerdictInput {
  coupon: Pick<
    CouponRow,
    'status' | 'branchIds' | 'validityMode' | 'validFrom' | 'validUntil' | 'durationDays'
  >;
  claim: Pick<
    ClaimRow,
    'claimedAt' | 'openedAt' | 'redeemedAt' | 'redeemedBranchId' | 'redeemedDeviceId' | 'redeemedStaffId'
  >;
  branchId: string;
  now: Date;
  timeZone: string;
}

export function judgeClaim({ coupon, claim, branchId, now, timeZone }: VerdictInput): Verdict {
  if (coupon.status === 'draft') return { kind: 'draft' };
  if (coupon.branchIds.length > 0 && !coupon.branchIds.includes(branchId)) {
    return { kind: 'wrong_branch', branchIds: coupon.branchIds };
  }
  if (claim.redeemedAt !== null) {
    return {
      kind: 'already_redeemed',
      redeemedAt: new Date(claim.redeemedAt),
      branchId: claim.redeemedBranchId,
      deviceId: claim.redeemedDeviceId,
      staffId: claim.redeemedStaffId,
    };
  }
  const validity = validityAt(coupon, claim, now, timeZone);
  switch (validity.state) {
    case 'not_yet_valid':
      return { kind: 'not_yet_valid', startsAt: validity.startsAt };
    case 'expired':
      return { kind: 'expired', endedAt: validity.endedAt };
    case 'valid':
      return { kind: 'valid', window: validity.window };
  }
}
