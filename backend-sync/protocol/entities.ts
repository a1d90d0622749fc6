/**
 * Sync protocol v1, the replicated entities: the rows the hub's change log carries, as full rows
 * ("upsert") or tombstones ("delete"), and the `Change` that wraps them. Part of the protocol's
 * single source (index.ts re-exports it); prose in docs/protocol.md.
 */
import { z } from 'zod';
import { isoDateTime } from './base';

export const Role = z.enum([
  'admin',
  'supervisor',
  'cs_manager',
  'cs_agent',
  'sales_manager',
  'sales_associate',
]);
export type Role = z.infer<typeof Role>;

export const WhatsappTemplateRef = z.object({
  name: z.string(),
  language: z.string(),
  preview: z.string(),
});
export type WhatsappTemplateRef = z.infer<typeof WhatsappTemplateRef>;

/** The update channel a device follows (back office, per device). */
export const UpdateChannel = z.enum(['stable', 'beta']);
export type UpdateChannel = z.infer<typeof UpdateChannel>;

/** A time of day, HH:mm (24-hour), in the brand's time zone. */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:mm');

/**
 * How the brand's tills take app updates: the share of devices that take a new version
 * (staged rollout, 0–100) and the window outside opening hours in which a till may restart into
 * a downloaded update (start to end, may cross midnight). Optional: older hubs send none and the
 * console uses 100 % and 03:00–05:00.
 */
export const BrandUpdateSettings = z.object({
  rolloutPercent: z.number().int().min(0).max(100),
  window: z.object({ start: ClockTime, end: ClockTime }),
});
export type BrandUpdateSettings = z.infer<typeof BrandUpdateSettings>;

export const BrandRow = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  /** Wrong verification codes before the coupon locks on a device. */
  verifyMaxAttempts: z.number().int().positive(),
  verifyLockSeconds: z.number().int().positive(),
  /** Redemption is refused when the device has been offline longer than this. */
  offlineRedeemLimitHours: z.number().int().positive(),
  /**
   * What a console needs to draw an associate's binding QR codes: the brand's channel
   * handles (never secrets or tokens) and the binding message's prefix and suffix. Optional so a
   * hub without channels configured, and older hubs, still replicate brands.
   */
  channels: z
    .object({
      /** LINE Official Account basic id, with its '@' (line.me/R/oaMessage/{basicId}/?…). */
      line: z.object({ basicId: z.string() }).nullable(),
      /** WhatsApp business number in international format, digits only (wa.me/{phoneNumber}). */
      whatsapp: z
        .object({
          phoneNumber: z.string(),
          /** Approved message templates a broadcast may use (names, languages, preview text). */
          templates: z.array(WhatsappTemplateRef).optional(),
        })
        .nullable(),
      /** Binding message = prefix + staff code + suffix; defaults 聯絡專員 and ''. */
      bindingPrefix: z.string(),
      bindingSuffix: z.string(),
    })
    .optional(),
  /** ISO 3166 region for phone numbers typed without a country code (default HK: +852). */
  phoneRegion: z.string().length(2).optional(),
  /**
   * Where a console opens a customer's conversation (customer details), per channel: a URL with
   * {userId} (the channel's user id) and {phone} (E.164 digits); null when the brand has none.
   */
  conversationUrls: z.object({ line: z.string().nullable(), whatsapp: z.string().nullable() }).optional(),
  updates: BrandUpdateSettings.optional(),
  /**
   * The locale of English screens' dates (en-HK day first, en-US month first, …); zh-TW screens
   * stay zh-TW. Optional: older hubs send none and the console uses en-HK.
   */
  englishLocale: z.string().optional(),
});
export type BrandRow = z.infer<typeof BrandRow>;
export type BrandChannels = NonNullable<BrandRow['channels']>;

export const BranchRow = z.object({
  id: z.string(),
  brandId: z.string(),
  name: z.string(),
  code: z.string(),
});
export type BranchRow = z.infer<typeof BranchRow>;

export const StaffRow = z.object({
  id: z.string(),
  brandId: z.string(),
  /** null for brand-wide roles (admin, supervisor, customer service). */
  branchId: z.string().nullable(),
  role: Role,
  staffCode: z.string(),
  displayName: z.string(),
  /** Salted scrypt hash (see domain/secrets.ts); never the PIN itself. */
  pinHash: z.string(),
  active: z.boolean(),
  /**
   * Locked at the hub for wrong PINs (on any device) until then: tills refuse the sign-in with
   * SIGNIN_LOCKED until this time. Absent or null: not locked.
   */
  signInLockedUntil: isoDateTime.nullable().optional(),
});
export type StaffRow = z.infer<typeof StaffRow>;

export const CouponType = z.enum(['sales', 'marketing', 'customer_service']);
export const ValidityMode = z.enum(['fixed', 'from_claim', 'from_open']);
export type ValidityMode = z.infer<typeof ValidityMode>;
export const BarcodeType = z.enum(['QR', 'CODE_39', 'CODE_128', 'EAN_13', 'NONE']);
export type BarcodeType = z.infer<typeof BarcodeType>;

export const CouponRow = z.object({
  id: z.string(),
  brandId: z.string(),
  name: z.string(),
  type: CouponType,
  status: z.enum(['draft', 'published']),
  /** Empty means every branch of the brand. */
  branchIds: z.array(z.string()),
  validityMode: ValidityMode,
  /** fixed: the window; from_claim / from_open: optional outer bounds of use. */
  validFrom: isoDateTime.nullable(),
  validUntil: isoDateTime.nullable(),
  /** from_claim / from_open: how long a claim stays valid once its countdown starts. */
  durationDays: z.number().int().positive().nullable(),
  usageRules: z.string().max(1000),
  barcodeType: BarcodeType,
  /** Same code for every customer (固定序號); null when every claim has its own pack code. */
  fixedCode: z.string().nullable(),
  /** Salted scrypt hash of the staff verification code (驗證碼), or null when none is needed. */
  verificationCodeHash: z.string().nullable(),
  redeemTag: z.string().nullable(),
});
export type CouponRow = z.infer<typeof CouponRow>;

export const ClaimRow = z.object({
  id: z.string(),
  brandId: z.string(),
  couponId: z.string(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  /** Unique pack code printed as the barcode. */
  code: z.string(),
  /** Opaque token carried by the claim QR on the customer's coupon page. */
  claimToken: z.string(),
  claimedAt: isoDateTime,
  openedAt: isoDateTime.nullable(),
  redeemedAt: isoDateTime.nullable(),
  redeemedBranchId: z.string().nullable(),
  redeemedDeviceId: z.string().nullable(),
  redeemedStaffId: z.string().nullable(),
  /** Who redeemed it, by name: staff of other branches are not replicated to this device. */
  redeemedStaffName: z.string().nullable().optional(),
});
export type ClaimRow = z.infer<typeof ClaimRow>;

export const Channel = z.enum(['line', 'whatsapp']);
export type Channel = z.infer<typeof Channel>;

export const BindingSource = z.enum(['webhook', 'phone']);
export const BindingHistoryRow = z.object({
  at: isoDateTime,
  source: BindingSource,
  fromStaffId: z.string().nullable(),
  fromStaffName: z.string().nullable(),
  toStaffId: z.string().nullable(),
  toStaffName: z.string().nullable(),
});
export type BindingHistoryRow = z.infer<typeof BindingHistoryRow>;

export const CustomerRow = z.object({
  id: z.string(),
  brandId: z.string(),
  channel: Channel,
  displayName: z.string(),
  phone: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  /** The associate the customer is bound to, with the branch, or null when unbound. */
  boundStaffId: z.string().nullable(),
  boundBranchId: z.string().nullable(),
  boundAt: isoDateTime.nullable(),
  /** The channel's user id (LINE userId, WhatsApp wa_id), for the conversation link. */
  channelUserId: z.string().optional(),
  /** Binding history, newest first (at most the last 20 changes). */
  history: z.array(BindingHistoryRow).optional(),
});
export type CustomerRow = z.infer<typeof CustomerRow>;

/** Device names, so a till can say which device redeemed a claim. Brand-wide. */
export const DeviceRow = z.object({
  id: z.string(),
  brandId: z.string(),
  branchId: z.string(),
  name: z.string(),
  /** Optional: older hubs send none, which means stable. */
  updateChannel: UpdateChannel.optional(),
});
export type DeviceRow = z.infer<typeof DeviceRow>;

export const RedemptionStatus = z.enum(['applied', 'conflict', 'voided']);
export type RedemptionStatus = z.infer<typeof RedemptionStatus>;

/**
 * Why the hub corrected a device's time by more than its tolerance (docs/protocol.md, "Time"):
 * ahead_of_hub — later than the hub received it; before_previous — earlier than the device's
 * previous mutation (its clock was set back); clock_skewed — the device's clock was off at its
 * last ping.
 */
export const TimeFlag = z.enum(['ahead_of_hub', 'before_previous', 'clock_skewed']);
export type TimeFlag = z.infer<typeof TimeFlag>;

/**
 * A redemption as the hub decided it, replicated to the branches involved so every device there
 * and the branch's managers see conflicts ("needs attention") and their resolution.
 */
export const RedemptionRow = z.object({
  /** = the device-made mutation id */
  id: z.string(),
  brandId: z.string(),
  claimId: z.string(),
  couponId: z.string(),
  branchId: z.string(),
  deviceId: z.string(),
  staffId: z.string(),
  scannedCode: z.string(),
  /** The time the device said. */
  deviceTime: isoDateTime,
  receivedAt: isoDateTime,
  /** The device time as the hub bounded it: what orders conflicts. Optional: older hubs send none. */
  correctedTime: isoDateTime.optional(),
  /** Set when the correction was larger than the tolerance: a manager should look. */
  timeFlag: TimeFlag.nullable().optional(),
  /** applied: holds the claim · conflict: lost to an earlier redemption · voided by a manager */
  status: RedemptionStatus,
  /** For a conflict: the redemption that holds the claim. */
  winnerId: z.string().nullable(),
  resolution: z.enum(['acknowledged', 'voided']).nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: isoDateTime.nullable(),
});
export type RedemptionRow = z.infer<typeof RedemptionRow>;

/** A broadcast to an associate's bound customers on one channel, and how its sending went. */
export const BroadcastRow = z.object({
  /** = the device-made mutation id */
  id: z.string(),
  brandId: z.string(),
  staffId: z.string(),
  channel: Channel,
  /** The text (LINE) or the template's name (WhatsApp). */
  summary: z.string(),
  state: z.enum(['sending', 'done']),
  total: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  requestedAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type BroadcastRow = z.infer<typeof BroadcastRow>;

export const EntityName = z.enum([
  'brand',
  'branch',
  'staff',
  'device',
  'coupon',
  'claim',
  'customer',
  'redemption',
  'broadcast',
]);
export type EntityName = z.infer<typeof EntityName>;

const change = <E extends EntityName, S extends z.ZodType>(entity: E, row: S) =>
  z.discriminatedUnion('op', [
    z.object({
      seq: z.number().int(),
      entity: z.literal(entity),
      op: z.literal('upsert'),
      id: z.string(),
      data: row,
    }),
    z.object({ seq: z.number().int(), entity: z.literal(entity), op: z.literal('delete'), id: z.string() }),
  ]);

/**
 * Discriminated by entity (then op), not a plain union: a first sync validates a million changes
 * at each end, and a plain union tries each entity's schema in turn (a customer change failed six
 * of them first) — 5 to 15 times the work.
 */
export const Change = z.discriminatedUnion('entity', [
  change('brand', BrandRow),
  change('branch', BranchRow),
  change('staff', StaffRow),
  change('device', DeviceRow),
  change('coupon', CouponRow),
  change('claim', ClaimRow),
  change('customer', CustomerRow),
  change('redemption', RedemptionRow),
  change('broadcast', BroadcastRow),
]);
export type Change = z.infer<typeof Change>;
