/**
 * Error codes the till answers with (the renderer turns each into words). A refused redemption
 * carries the reason as its code and the facts a cashier needs in `details`.
 */
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import type { Verdict } from '../../../backend-sync/domain/verdict';

export const TillErrorCode = {
  COUPON_NOT_YET_VALID: 'COUPON_NOT_YET_VALID',
  COUPON_EXPIRED: 'COUPON_EXPIRED',
  ALREADY_REDEEMED: 'ALREADY_REDEEMED',
  BRANCH_MISMATCH: 'BRANCH_MISMATCH',
  COUPON_DRAFT: 'COUPON_DRAFT',
  OFFLINE_TOO_LONG: 'OFFLINE_TOO_LONG',
  /** The wall clock was set back while the app was closed: no time to judge by until the hub answers. */
  CLOCK_UNTRUSTED: 'CLOCK_UNTRUSTED',
  VERIFICATION_REQUIRED: 'VERIFICATION_REQUIRED',
  VERIFICATION_WRONG: 'VERIFICATION_WRONG',
  VERIFICATION_LOCKED: 'VERIFICATION_LOCKED',
  /** attention.resolve on a redemption that is not (or no longer) an open conflict. */
  CONFLICT_NOT_OPEN: 'CONFLICT_NOT_OPEN',
} as const;

/** Why a claim that is not `valid` cannot be redeemed, as an error value. */
export function verdictError(verdict: Exclude<Verdict, { kind: 'valid' }>): AppError {
  switch (verdict.kind) {
    case 'not_yet_valid':
      return new AppError(TillErrorCode.COUPON_NOT_YET_VALID, 'This coupon is not valid yet.', {
        startsAt: verdict.startsAt.toISOString(),
      });
    case 'expired':
      return new AppError(TillErrorCode.COUPON_EXPIRED, 'This coupon has expired.', {
        endedAt: verdict.endedAt.toISOString(),
      });
    case 'already_redeemed':
      return new AppError(TillErrorCode.ALREADY_REDEEMED, 'This coupon has already been redeemed.', {
        redeemedAt: verdict.redeemedAt.toISOString(),
        branchId: verdict.branchId,
        deviceId: verdict.deviceId,
        staffId: verdict.staffId,
      });
    case 'wrong_branch':
      return new AppError(TillErrorCode.BRANCH_MISMATCH, 'This coupon cannot be redeemed at this branch.', {
        branchIds: verdict.branchIds,
      });
    case 'draft':
      return new AppError(TillErrorCode.COUPON_DRAFT, 'This coupon is still a draft.');
  }
}

export const notFound = (what: string): AppError => new AppError(ErrorCode.NOT_FOUND, `${what} not found.`);
