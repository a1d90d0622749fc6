/**
 * Sync protocol v1: the wire contract between a console and the hub (SPEC §4).
 * Zod schemas are the single source; TypeScript types are inferred from them and both ends
 * validate what they receive. Nothing else lives here. Prose description: docs/protocol.md.
 */
import { z } from 'zod';

/** Bumped on any incompatible change. A hub accepts consoles one version behind. */
export const PROTOCOL_VERSION = 1;
export const MIN_SUPPORTED_PROTOCOL_VERSION = PROTOCOL_VERSION - 1;

/** socket.io event names, in one place. */
export const SyncEvent = {
  pull: 'sync:pull',
  push: 'sync:push',
  poke: 'sync:poke',
  /** Opens (or resumes) the signed-in staff member's session on this socket: see SessionOpen. */
  sessionOpen: 'session:open',
  sessionClose: 'session:close',
} as const;

export const isoDateTime = z.iso.datetime({ offset: true });

// ---------------------------------------------------------------------------------------------
// Enrollment (HTTP, POST /api/devices/enroll)

export const EnrollRequest = z.object({
  pairingCode: z
    .string()
    .trim()
    .min(4)
    .max(64)
    .transform((s) => s.toUpperCase()),
  deviceName: z.string().trim().min(1).max(100),
  protocolVersion: z.number().int(),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;

export const EnrollResponse = z.object({
  deviceId: z.string(),
  /** Secret the device presents on every connection; the hub stores only its hash. */
  deviceToken: z.string(),
  brand: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }),
  branch: z.object({ id: z.string(), name: z.string() }),
  protocolVersion: z.number().int(),
  hubTime: isoDateTime,
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

// ---------------------------------------------------------------------------------------------
// Connection handshake: socket.io `auth` payload, checked by the hub's middleware.

export const DeviceAuth = z.object({
  deviceId: z.string(),
  deviceToken: z.string(),
  protocolVersion: z.number().int(),
});
export type DeviceAuth = z.infer<typeof DeviceAuth>;

/** `connect_error` data sent by the hub when it refuses a connection. */
export const ConnectRefusal = z.object({
  code: z.enum(['AUTH_INVALID', 'DEVICE_REVOKED', 'PROTOCOL_UNSUPPORTED']),
  message: z.string(),
});
export type ConnectRefusal = z.infer<typeof ConnectRefusal>;

// ---------------------------------------------------------------------------------------------
// Replicated entities. The hub's change log carries full rows ("upsert") or tombstones ("delete").

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
   * What a console needs to draw an associate's binding QR codes (SPEC §2.3): the brand's channel
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
   * Where a console opens a customer's conversation (SPEC §2.2 details), per channel: a URL with
   * {userId} (the channel's user id) and {phone} (E.164 digits); null when the brand has none.
   */
  conversationUrls: z.object({ line: z.string().nullable(), whatsapp: z.string().nullable() }).optional(),
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
});
export type DeviceRow = z.infer<typeof DeviceRow>;

export const RedemptionStatus = z.enum(['applied', 'conflict', 'voided']);
export type RedemptionStatus = z.infer<typeof RedemptionStatus>;

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
  deviceTime: isoDateTime,
  receivedAt: isoDateTime,
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

// ---------------------------------------------------------------------------------------------
// pull(cursor)

/**
 * What a pull reads. 'device': brand-wide rows and the device's branch. A staff session's
 * streams (see SessionOpenResponse): 'staff:<id>' — that associate's own bound customers and
 * broadcasts; 'team:<branchId>' — customers bound to the branch's associates (sales managers).
 * Each stream has its own cursor.
 */
export const PullStream = z.union([
  z.literal('device'),
  z.templateLiteral(['staff:', z.string().min(1).max(100)]),
  z.templateLiteral(['team:', z.string().min(1).max(100)]),
]);
export type PullStream = z.infer<typeof PullStream>;

export const PullRequest = z.object({
  stream: PullStream.default('device'),
  /** Last change seq the device has stored for this stream; 0 at first. */
  cursor: z.number().int().nonnegative(),
  limit: z.number().int().positive().max(5000).default(1000),
});
export type PullRequest = z.infer<typeof PullRequest>;

export const PullResponse = z.object({
  changes: z.array(Change),
  /** Store this with the changes, in the same transaction. */
  cursor: z.number().int().nonnegative(),
  hasMore: z.boolean(),
  /** Changes in scope after `cursor` still to come, for the first-sync progress bar. */
  remaining: z.number().int().nonnegative(),
});
export type PullResponse = z.infer<typeof PullResponse>;

// ---------------------------------------------------------------------------------------------
// push(mutations)

export const RedeemPayload = z.object({
  claimId: z.string(),
  couponId: z.string(),
  staffId: z.string(),
  /** The code the cashier scanned or typed. */
  scannedCode: z.string(),
});
export const VerificationFailurePayload = z.object({
  couponId: z.string(),
  staffId: z.string(),
  scannedCode: z.string(),
});
export const ConflictResolvePayload = z.object({
  /** The redemption (mutation id) that was answered with `conflict`. */
  redemptionId: z.string(),
  staffId: z.string(),
  decision: z.enum(['acknowledge', 'void']),
  note: z.string().max(500).optional(),
});
export const StaffSignInPayload = z.object({ staffId: z.string(), signedInAt: isoDateTime });
export const CustomerAddPayload = z.object({
  staffId: z.string(),
  /** E.164, already normalised by the console (the hub checks it again). */
  phone: z.string().max(20),
  /** null: the customer is named by the number. */
  name: z.string().max(100).nullable(),
  /** Confirmed by the associate: take over a customer bound to someone else (transfer allowed). */
  takeOver: z.boolean(),
});
export const BroadcastPayload = z.object({
  staffId: z.string(),
  channel: Channel,
  /** LINE: the message. WhatsApp: sent to customers inside the 24-hour window, when given. */
  text: z.string().max(5000).nullable(),
  /** WhatsApp: the approved template for everyone else (required for WhatsApp). */
  template: z.object({ name: z.string().max(512), language: z.string().max(15) }).nullable(),
});

const mutation = <K extends string, P extends z.ZodType>(kind: K, payload: P) =>
  z.object({
    /** Made on the device (UUIDv7); the hub keeps it under a UNIQUE constraint. */
    id: z.uuid(),
    kind: z.literal(kind),
    payload,
    /** The device's clock when the effect was committed locally. */
    deviceTime: isoDateTime,
  });

export const Mutation = z.discriminatedUnion('kind', [
  mutation('redemption.create', RedeemPayload),
  mutation('verification.failure', VerificationFailurePayload),
  mutation('conflict.resolve', ConflictResolvePayload),
  mutation('staff.signin', StaffSignInPayload),
  mutation('customer.add', CustomerAddPayload),
  mutation('broadcast.send', BroadcastPayload),
]);
export type Mutation = z.infer<typeof Mutation>;
export type MutationKind = Mutation['kind'];

/** Each kind's payload schema: what a device checks before it writes a mutation it made itself. */
export const MutationPayload = {
  'redemption.create': RedeemPayload,
  'verification.failure': VerificationFailurePayload,
  'conflict.resolve': ConflictResolvePayload,
  'staff.signin': StaffSignInPayload,
  'customer.add': CustomerAddPayload,
  'broadcast.send': BroadcastPayload,
} as const satisfies { [K in MutationKind]: z.ZodType<Extract<Mutation, { kind: K }>['payload']> };

export const PushRequest = z.object({ mutations: z.array(z.unknown()).min(1).max(500) });
export type PushRequest = { mutations: Mutation[] };

export const MutationOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('applied') }),
  z.object({
    status: z.literal('rejected'),
    code: z.string(),
    message: z.string(),
    /** e.g. who holds a phone number an associate tried to add. */
    details: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    status: z.literal('conflict'),
    code: z.string(),
    message: z.string(),
    /** e.g. the redemption that won: when, branch, device, staff. */
    details: z.record(z.string(), z.unknown()),
  }),
]);
export type MutationOutcome = z.infer<typeof MutationOutcome>;

export const MutationResult = z.union([
  MutationOutcome.and(z.object({ id: z.string() })),
  /** The id was seen before: `first` is the answer it got then; nothing was applied again. */
  z.object({ id: z.string(), status: z.literal('duplicate'), first: MutationOutcome }),
]);
export type MutationResult = z.infer<typeof MutationResult>;

export const PushResponse = z.object({ results: z.array(MutationResult) });
export type PushResponse = z.infer<typeof PushResponse>;

// ---------------------------------------------------------------------------------------------
// poke: hub → device, "changes are waiting"

export const Poke = z.object({ cursor: z.number().int().nonnegative() });
export type Poke = z.infer<typeof Poke>;

/** Every acknowledgement is either a value or an error with a code (never a thrown string). */
export const AckError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type AckError = z.infer<typeof AckError>;

// ---------------------------------------------------------------------------------------------
// session:open — a staff member signed in on the device (SPEC §1: the hub enforces who sees what)

export const SessionOpenRequest = z.union([
  /** First time (the PIN the staff typed at sign-in; the hub checks it against its own hash). */
  z.object({ staffId: z.string().min(1).max(100), pin: z.string().regex(/^\d{4,8}$/) }).strict(),
  /** Later connections of the same sign-in. */
  z.object({ sessionToken: z.string().min(16).max(200) }).strict(),
]);
export type SessionOpenRequest = z.infer<typeof SessionOpenRequest>;

export const SessionOpenResponse = z.object({
  sessionToken: z.string(),
  staffId: z.string(),
  expiresAt: isoDateTime,
  /** The pull streams this session may read, besides 'device'. */
  streams: z.array(PullStream),
});
export type SessionOpenResponse = z.infer<typeof SessionOpenResponse>;
