/**
 * Database rows (snake_case, JSON as text) ↔ protocol rows (camelCase, parsed). One mapper per
 * replicated entity, used by the admin API, the demo seed and the sync handlers alike.
 */
import { maskName } from '../../domain/maskName';
import type {
  BrandRow,
  BranchRow,
  ClaimRow,
  CouponRow,
  CustomerRow,
  DeviceRow,
  RedemptionRow,
  StaffRow,
} from '../../protocol';

type Db = Record<string, unknown>;

/** English dates day first, as a Hong Kong / Taiwan brand writes them (migration 022's default). */
export const DEFAULT_ENGLISH_LOCALE = 'en-HK';

const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
/** SQLite returns 0/1 for booleans, PostgreSQL true/false. */
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';

export const toBrandRow = (r: Db): BrandRow => ({
  id: str(r.id),
  name: str(r.name),
  timeZone: str(r.time_zone),
  verifyMaxAttempts: Number(r.verify_max_attempts),
  verifyLockSeconds: Number(r.verify_lock_seconds),
  offlineRedeemLimitHours: Number(r.offline_redeem_limit_hours),
  phoneRegion: r.phone_region == null ? 'HK' : str(r.phone_region),
  conversationUrls: {
    line: strOrNull(r.conversation_url_line),
    whatsapp: strOrNull(r.conversation_url_whatsapp),
  },
  updates: {
    rolloutPercent: r.update_rollout_percent == null ? 100 : Number(r.update_rollout_percent),
    window: {
      start: r.update_window_start == null ? '03:00' : str(r.update_window_start),
      end: r.update_window_end == null ? '05:00' : str(r.update_window_end),
    },
  },
  englishLocale: r.english_locale == null ? DEFAULT_ENGLISH_LOCALE : str(r.english_locale),
});

export const toBranchRow = (r: Db): BranchRow => ({
  id: str(r.id),
  brandId: str(r.brand_id),
  name: str(r.name),
  code: str(r.code),
});

export const toStaffRow = (r: Db): StaffRow => ({
  id: str(r.id),
  brandId: str(r.brand_id),
  branchId: strOrNull(r.branch_id),
  role: str(r.role) as StaffRow['role'],
  staffCode: str(r.staff_code),
  displayName: str(r.display_name),
  pinHash: str(r.pin_hash),
  active: bool(r.active),
});

export const toCouponRow = (r: Db): CouponRow => ({
  id: str(r.id),
  brandId: str(r.brand_id),
  name: str(r.name),
  type: str(r.type) as CouponRow['type'],
  status: str(r.status) as CouponRow['status'],
  branchIds: JSON.parse(str(r.branch_ids)) as string[],
  validityMode: str(r.validity_mode) as CouponRow['validityMode'],
  validFrom: strOrNull(r.valid_from),
  validUntil: strOrNull(r.valid_until),
  durationDays: numOrNull(r.duration_days),
  usageRules: str(r.usage_rules),
  barcodeType: str(r.barcode_type) as CouponRow['barcodeType'],
  fixedCode: strOrNull(r.fixed_code),
  verificationCodeHash: strOrNull(r.verification_code_hash),
  redeemTag: strOrNull(r.redeem_tag),
});

export const toClaimRow = (r: Db, customerName: string | null = null): ClaimRow => ({
  id: str(r.id),
  brandId: str(r.brand_id),
  couponId: str(r.coupon_id),
  customerId: strOrNull(r.customer_id),
  customerName,
  code: str(r.code),
  claimToken: str(r.claim_token),
  claimedAt: str(r.claimed_at),
  openedAt: strOrNull(r.opened_at),
  redeemedAt: strOrNull(r.redeemed_at),
  redeemedBranchId: strOrNull(r.redeemed_branch_id),
  redeemedDeviceId: strOrNull(r.redeemed_device_id),
  redeemedStaffId: strOrNull(r.redeemed_staff_id),
  redeemedStaffName: strOrNull(r.redeemed_staff_name),
});

/**
 * A claim as it replicates to devices (brand-wide, signed in or not): the customer's name masked
 * (domain/maskName.ts). The admin API shows the full row; a device learns who a customer is only
 * from the lists a signed-in staff member's session receives.
 */
export const claimForDevices = (claim: ClaimRow): ClaimRow => ({
  ...claim,
  customerName: maskName(claim.customerName),
});

export const toCustomerRow = (r: Db): CustomerRow => ({
  id: str(r.id),
  brandId: str(r.brand_id),
  channel: str(r.channel) as CustomerRow['channel'],
  displayName: str(r.display_name),
  phone: strOrNull(r.phone),
  avatarUrl: strOrNull(r.avatar_url),
  boundStaffId: strOrNull(r.bound_staff_id),
  boundBranchId: strOrNull(r.bound_branch_id),
  boundAt: strOrNull(r.bound_at),
  ...(r.channel_user_id == null ? {} : { channelUserId: str(r.channel_user_id) }),
});

export const toDeviceRow = (r: Db): DeviceRow => ({
  id: str(r.id),
  brandId: str(r.brand_id),
  branchId: str(r.branch_id),
  name: str(r.name),
  updateChannel: r.update_channel === 'beta' ? 'beta' : 'stable',
});

/** The redemptions table has no brand column (its claim has); callers pass the brand they scoped by. */
export const toRedemptionRow = (r: Db, brandId: string): RedemptionRow => ({
  id: str(r.id),
  brandId,
  claimId: str(r.claim_id),
  couponId: str(r.coupon_id),
  branchId: str(r.branch_id),
  deviceId: str(r.device_id),
  staffId: str(r.staff_id),
  scannedCode: str(r.scanned_code),
  deviceTime: str(r.device_time),
  receivedAt: str(r.received_at),
  correctedTime: str(r.corrected_time ?? r.device_time),
  timeFlag: strOrNull(r.time_flag) as RedemptionRow['timeFlag'],
  status: str(r.status) as RedemptionRow['status'],
  winnerId: strOrNull(r.winner_id),
  resolution: strOrNull(r.resolution) as RedemptionRow['resolution'],
  resolvedBy: strOrNull(r.resolved_by),
  resolvedAt: strOrNull(r.resolved_at),
});
