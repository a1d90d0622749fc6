/**
 * The admin services' inputs and outputs as zod schemas: the services validate with them, the admin API
 * passes request bodies straight to the services, and the OpenAPI document is generated from the
 * very same objects, so the three can never disagree.
 */
import { isSupportedCountry, isValidPhoneNumber } from 'libphonenumber-js';
import { z } from 'zod';
import { BRANCH_ROLES } from '../../domain/roles';
import {
  BarcodeType,
  BranchRow,
  BrandRow,
  Channel,
  ClaimRow,
  ClockTime,
  CouponRow,
  CouponType,
  CustomerRow,
  isoDateTime,
  Role,
  StaffRow,
  UpdateChannel,
  ValidityMode,
} from '../../protocol';
import { codeProblem } from '../readableCodes';

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const name = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().trim().min(1).max(100);

// ---------------------------------------------------------------------------------------------
// Inputs

/** A brand's till settings, with their bounds: set at creation, changed by PATCH …/settings. */
const conversationTemplate = z
  .string()
  .trim()
  .max(500)
  .regex(/^https:\/\/[^\s]+$/, 'must be an https URL')
  .refine((t) => t.includes('{userId}') || t.includes('{phone}'), 'must contain {userId} or {phone}');

export const BrandTillSettingsFields = {
  verifyMaxAttempts: z
    .number()
    .int()
    .min(1)
    .max(20)
    .meta({ description: 'Wrong verification codes before the coupon locks on a device (default 5)' }),
  verifyLockSeconds: z
    .number()
    .int()
    .min(30)
    .max(86_400)
    .meta({ description: 'How long the coupon stays locked on that device (default 300)' }),
  offlineRedeemLimitHours: z
    .number()
    .int()
    .min(1)
    .max(720)
    .meta({ description: 'A device offline longer than this refuses to redeem (default 72)' }),
  phoneRegion: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isSupportedCountry, 'not a region libphonenumber knows (e.g. HK, TW)')
    .meta({ description: 'Region for phone numbers typed without a country code (default HK, +852)' }),
  conversationUrls: z
    .strictObject({
      line: conversationTemplate.nullable().optional(),
      whatsapp: conversationTemplate.nullable().optional(),
    })
    .meta({
      description:
        'Where consoles open a customer conversation, per channel: an https URL with {userId} and/or {phone}; null removes it',
    }),
  englishLocale: z
    .string()
    .trim()
    .regex(/^en-[A-Za-z]{2}$/, 'must be English with a region, such as en-HK, en-GB or en-US')
    .transform((tag) => `en-${tag.slice(3).toUpperCase()}`)
    .refine((tag) => isSupportedCountry(tag.slice(3)), 'not a region libphonenumber knows (e.g. HK, GB, US)')
    .meta({
      description:
        'Locale of dates on English screens: en-HK (default, day first), en-GB, en-US (month first), …; zh-TW screens stay zh-TW',
    }),
  updates: z
    .strictObject({
      rolloutPercent: z.number().int().min(0).max(100).optional(),
      window: z
        .strictObject({ start: ClockTime, end: ClockTime })
        .refine((w) => w.start !== w.end, 'start and end must differ')
        .optional(),
    })
    .meta({
      description:
        "How tills take app updates: the share of devices that take a new version (staged rollout, 0-100, default 100) and the window outside opening hours in which a till may restart into it (HH:mm in the brand's time zone, default 03:00-05:00)",
    }),
};

/** A brand's name and time zone: set at creation, changed by PATCH …/settings. */
export const BrandIdentityFields = {
  name: name(100),
  timeZone: z
    .string()
    .trim()
    .max(64)
    .refine(isTimeZone, 'must be an IANA time zone such as Asia/Taipei')
    .meta({
      description: "The brand's time zone: every time on consoles and in the back office is shown in it",
    }),
};

export const UpdateDeviceInput = z.strictObject({
  updateChannel: UpdateChannel.meta({
    description: 'The update channel the device follows: stable (default) or beta',
  }),
});
export type UpdateDeviceInput = z.input<typeof UpdateDeviceInput>;

export const CreateBrandInput = z.strictObject({
  name: BrandIdentityFields.name,
  timeZone: BrandIdentityFields.timeZone.default('Asia/Taipei'),
  verifyMaxAttempts: BrandTillSettingsFields.verifyMaxAttempts.default(5),
  verifyLockSeconds: BrandTillSettingsFields.verifyLockSeconds.default(300),
  offlineRedeemLimitHours: BrandTillSettingsFields.offlineRedeemLimitHours.default(72),
});
export type CreateBrandInput = z.input<typeof CreateBrandInput>;

export const CreateBranchInput = z.strictObject({
  name: name(50),
  /** Short code shown on screens and in demo pairing codes, e.g. TPE. */
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{2,10}$/, 'must be 2 to 10 letters or digits')
    .toUpperCase(),
});
export type CreateBranchInput = z.input<typeof CreateBranchInput>;

const pin = z.string().regex(/^\d{4,8}$/, 'must be 4 to 8 digits');

/** A branch role belongs to one branch; a brand-wide role to none. */
function staffBranchRule(
  v: { role?: Role | undefined; branchId?: string | null | undefined },
  ctx: z.RefinementCtx,
) {
  if (v.role === undefined) return;
  const needsBranch = BRANCH_ROLES.includes(v.role);
  if (needsBranch && !v.branchId) {
    ctx.addIssue({ code: 'custom', path: ['branchId'], message: `a ${v.role} belongs to a branch` });
  }
  if (!needsBranch && v.branchId) {
    ctx.addIssue({
      code: 'custom',
      path: ['branchId'],
      message: `a ${v.role} is brand-wide and has no branch`,
    });
  }
}

export const CreateStaffInput = z
  .strictObject({
    role: Role,
    /** Required for sales_manager / sales_associate; null or absent for brand-wide roles. */
    branchId: id.nullable().optional(),
    /** Unique per brand whatever the letter case; stored upper case. */
    staffCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{2,16}$/, 'must be 2 to 16 letters or digits')
      .toUpperCase(),
    displayName: name(50),
    /** Sign-in PIN, 4–8 digits. Write-only: stored as a salted hash and never returned. */
    pin,
  })
  .superRefine(staffBranchRule);
export type CreateStaffInput = z.input<typeof CreateStaffInput>;

/** Changes to a staff member; `active: false` deactivates (no sign-in on any console). */
export const UpdateStaffInput = z
  .strictObject({
    role: Role.optional(),
    branchId: id.nullable().optional(),
    displayName: name(50).optional(),
    active: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    message: 'give at least one field to change',
  });

/** The role and branch as they will be stored, checked together. */
export const StaffRoleBranch = z.object({ role: Role, branchId: id.nullable() }).superRefine(staffBranchRule);

export const ResetPinInput = z.strictObject({ pin });

/** A new name for a branch, or closing (true) / reopening (false) it. */
export const UpdateBranchInput = z
  .strictObject({
    name: name(50).optional(),
    closed: z.boolean().optional().meta({
      description:
        'true closes the branch (refused while it has active staff or devices not revoked); false reopens it',
    }),
  })
  .refine((v) => v.name !== undefined || v.closed !== undefined, {
    message: 'give a name, closed, or both',
  });

export const CreateDeviceInput = z.strictObject({
  branchId: id,
  name: name(100),
  /** How long the one-time pairing code stays usable. */
  pairingValidDays: z.number().int().min(1).max(90).default(7),
});
export type CreateDeviceInput = z.input<typeof CreateDeviceInput>;

/** A new pairing code for a device whose till lost its credentials (devices/reenroll.ts). */
export const ReenrollDeviceInput = z.strictObject({
  pairingValidDays: z.number().int().min(1).max(90).default(7),
});

const nullableDate = isoDateTime.nullable().optional();

export const CreateCouponInput = z
  .strictObject({
    name: name(100),
    type: CouponType,
    /** Branches of the brand where the coupon may be redeemed; empty = every branch. */
    branchIds: z.array(id).max(500).default([]),
    validityMode: ValidityMode,
    /** fixed: required window start. Countdown modes: optional outer bound. */
    validFrom: nullableDate,
    validUntil: nullableDate,
    /** from_claim / from_open: required, 1–3650 days. */
    durationDays: z.number().int().min(1).max(3650).nullable().optional(),
    usageRules: z.string().max(1000).default(''),
    barcodeType: BarcodeType.default('QR'),
    /** 固定序號: the same code for every customer. */
    fixedCode: z.string().trim().nullable().optional(),
    /** 驗證碼 the cashier types to redeem, 4–12 letters or digits. Write-only (stored hashed). */
    verificationCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{4,12}$/, 'must be 4 to 12 letters or digits')
      .nullable()
      .optional(),
    /** Tag put on the customer when the coupon is redeemed; needs a barcode. */
    redeemTag: z.string().trim().min(1).max(50).nullable().optional(),
    status: z.enum(['draft', 'published']).default('draft'),
  })
  .superRefine((v, ctx) => {
    const from = v.validFrom ? Date.parse(v.validFrom) : null;
    const until = v.validUntil ? Date.parse(v.validUntil) : null;
    if (v.validityMode === 'fixed') {
      if (from === null)
        ctx.addIssue({ code: 'custom', path: ['validFrom'], message: 'a fixed window needs validFrom' });
      if (until === null)
        ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'a fixed window needs validUntil' });
      if (v.durationDays != null) {
        ctx.addIssue({ code: 'custom', path: ['durationDays'], message: 'a fixed window has no duration' });
      }
    } else if (v.durationDays == null) {
      ctx.addIssue({
        code: 'custom',
        path: ['durationDays'],
        message: `${v.validityMode} needs durationDays (1–3650)`,
      });
    }
    if (from !== null && until !== null && from >= until) {
      ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'validUntil must be after validFrom' });
    }
    if (v.fixedCode) {
      const problem = codeProblem(v.fixedCode, v.barcodeType);
      if (problem) ctx.addIssue({ code: 'custom', path: ['fixedCode'], message: problem });
    }
    if (v.redeemTag && v.barcodeType === 'NONE') {
      ctx.addIssue({
        code: 'custom',
        path: ['redeemTag'],
        message: 'a redeem tag needs a barcode type other than NONE',
      });
    }
    if (new Set(v.branchIds).size !== v.branchIds.length) {
      ctx.addIssue({ code: 'custom', path: ['branchIds'], message: 'branches are listed twice' });
    }
  });
export type CreateCouponInput = z.input<typeof CreateCouponInput>;

export const CreateClaimInput = z.strictObject({
  customerId: id.nullable().optional(),
  /** The claim's own code; generated when absent (EAN-13 for EAN_13 coupons). */
  code: z.string().trim().min(1).max(64).optional(),
});
export type CreateClaimInput = z.input<typeof CreateClaimInput>;

export const BulkClaimsInput = z.strictObject({
  claims: z.array(CreateClaimInput).min(1).max(10_000),
});
export type BulkClaimsInput = z.input<typeof BulkClaimsInput>;

export const CreateCustomerInput = z.strictObject({
  channel: Channel,
  /** LINE user id or WhatsApp id, unique per brand and channel. */
  channelUserId: z.string().trim().min(1).max(100),
  displayName: name(100),
  /** International form, e.g. +85291234567 or +886 912 345 678; stored as E.164. */
  phone: z
    .string()
    .trim()
    .refine(
      (p) => /^\+[\d\s()-]{6,24}$/.test(p) && isValidPhoneNumber(p),
      'must be a valid phone number with its country code (+85291234567)',
    )
    .nullable()
    .optional(),
  avatarUrl: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .optional(),
  /** Bind at once to this associate (sales_associate or sales_manager). */
  boundStaffId: id.nullable().optional(),
});
export type CreateCustomerInput = z.input<typeof CreateCustomerInput>;

export const BindCustomerInput = z.strictObject({
  customerId: id,
  staffId: id,
  /** Where the binding came from: a QR message, the console, the admin API, the demo. */
  source: z.enum(['qr', 'console', 'admin', 'demo']).default('admin'),
});
export type BindCustomerInput = z.input<typeof BindCustomerInput>;

export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

// ---------------------------------------------------------------------------------------------
// Outputs (what the admin API returns: never a PIN, a PIN hash, a verification code or its hash,
// nor a device token)

export const BrandView = BrandRow.extend({ createdAt: isoDateTime });
export type BrandView = z.infer<typeof BrandView>;

export const BranchView = BranchRow.extend({
  /** Set while the branch is closed: it keeps its history but takes no new staff or devices. */
  closedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
export type BranchView = z.infer<typeof BranchView>;

export const StaffView = StaffRow.omit({ pinHash: true }).extend({ createdAt: isoDateTime });
export type StaffView = z.infer<typeof StaffView>;

export const DeviceState = z.enum(['unused', 'expired', 'enrolled', 'revoked']);
export const DeviceView = z.object({
  id: z.string(),
  brandId: z.string(),
  branchId: z.string(),
  name: z.string(),
  /** unused: the pairing code still works; expired: it no longer does; enrolled: it was used. */
  state: DeviceState,
  pairingExpiresAt: isoDateTime.nullable(),
  enrolledAt: isoDateTime.nullable(),
  lastSeenAt: isoDateTime.nullable(),
  /**
   * Hub time minus the device's clock at its last `sync:ping` (ms; positive: the device is
   * behind); null until it pinged. The hub corrects its mutation times by it (docs/protocol.md).
   */
  clockOffsetMs: z.number().int().nullable(),
  updateChannel: UpdateChannel,
  /** What the console last reported (protocol device:status); null before its first report. */
  appVersion: z.string().nullable(),
  queuedMutations: z.number().int().nullable(),
  statusAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  /** Re-enrolled: the device whose lost credentials this one replaces (its queue is accepted). */
  replacesDeviceId: z.string().nullable(),
});
export type DeviceView = z.infer<typeof DeviceView>;

export const CreatedDeviceView = DeviceView.extend({
  /** One-time pairing code, shown once; typed with or without the hyphen. */
  pairingCode: z.string(),
});
export type CreatedDeviceView = z.infer<typeof CreatedDeviceView>;

export const CouponView = CouponRow.omit({ verificationCodeHash: true }).extend({
  requiresVerificationCode: z.boolean(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type CouponView = z.infer<typeof CouponView>;

export const ClaimView = ClaimRow;
export type ClaimView = z.infer<typeof ClaimView>;

export const CustomerView = CustomerRow.extend({ channelUserId: z.string(), createdAt: isoDateTime });
export type CustomerView = z.infer<typeof CustomerView>;

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });
