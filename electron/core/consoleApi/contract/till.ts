/**
 * Till (SPEC §2.1): scan → verdict → redeem, history, needs attention. A scan is judged into one
 * verdict with everything the till screen shows for it; a redemption is shown the same way in the
 * history, the needs-attention list and the verdict's follow-up, whichever device made it.
 */
import { z } from 'zod';
import { isoDateTime } from './base';

export const ScanOrigin = z.enum(['wedge', 'hid', 'manual']);

export const VerdictKind = z.enum([
  'valid',
  'not_yet_valid',
  'expired',
  'already_redeemed',
  'wrong_branch',
  'draft',
  'unknown_code',
  /** A fixed code (固定序號): the coupon is known, the customer's claim QR is needed. */
  'needs_claim_qr',
  /** Empty, overlong, unprintable, EAN-13 check digit, malformed claim QR: see `problem`. */
  'invalid_input',
]);
export type VerdictKind = z.infer<typeof VerdictKind>;

export const TillCoupon = z.object({
  id: z.string(),
  name: z.string(),
  usageRules: z.string(),
  barcodeType: z.string(),
  needsVerificationCode: z.boolean(),
  /** Set while this coupon is locked on this device after too many wrong verification codes. */
  lockedUntil: isoDateTime.nullable(),
});

export const TillVerdict = z.object({
  /** Echo of what was scanned (after trimming the suffix key). */
  input: z.string(),
  origin: ScanOrigin,
  verdict: VerdictKind,
  /** invalid_input: EMPTY · TOO_LONG · UNPRINTABLE · EAN13_CHECK_DIGIT · CLAIM_TOKEN_MALFORMED */
  problem: z.string().nullable(),
  coupon: TillCoupon.nullable(),
  claim: z
    .object({
      id: z.string(),
      code: z.string(),
      customerName: z.string().nullable(),
      claimedAt: isoDateTime,
      openedAt: isoDateTime.nullable(),
    })
    .nullable(),
  /** valid: the window it is valid in; not_yet_valid: startsAt; expired: endedAt. */
  validFrom: isoDateTime.nullable(),
  validUntil: isoDateTime.nullable(),
  /** already_redeemed: when, where, by whom (names as synced; ids when a name is unknown). */
  redeemed: z
    .object({
      at: isoDateTime,
      branchName: z.string().nullable(),
      deviceName: z.string().nullable(),
      staffName: z.string().nullable(),
      /** This device's own redemption still waiting to sync. */
      pendingSync: z.boolean(),
    })
    .nullable(),
  /** wrong_branch: where it can be used. */
  branchNames: z.array(z.string()),
  /** Redemption refused because the device has been offline longer than the brand allows. */
  offlineTooLong: z.boolean(),
});
export type TillVerdict = z.infer<typeof TillVerdict>;

export const RedemptionSyncState = z.enum(['queued', 'synced', 'conflict', 'rejected']);

export const RedemptionView = z.object({
  id: z.string(),
  claimId: z.string(),
  code: z.string(),
  couponName: z.string(),
  customerName: z.string().nullable(),
  redeemedAt: isoDateTime,
  branchName: z.string().nullable(),
  deviceName: z.string().nullable(),
  staffName: z.string().nullable(),
  /** Mine (this device) or another device of the branch (as synced from the hub). */
  ownDevice: z.boolean(),
  syncState: RedemptionSyncState,
  /** Conflict / void details in words-ready fields. */
  conflict: z
    .object({
      winnerAt: isoDateTime.nullable(),
      winnerBranchName: z.string().nullable(),
      winnerDeviceName: z.string().nullable(),
      winnerStaffName: z.string().nullable(),
      resolution: z.enum(['acknowledged', 'voided']).nullable(),
    })
    .nullable(),
});
export type RedemptionView = z.infer<typeof RedemptionView>;

export const HistoryQuery = z
  .object({
    scope: z.enum(['device', 'branch']),
    /** Code or customer name, partial. */
    search: z.string().trim().max(100).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();
