/**
 * ConsoleApi: the one contract between the renderer and the console core. Each call has a zod
 * input and output schema; the preload bridge (Electron) and the web host (WebSocket) are both
 * generated from this table and validate against it, and the renderer's typed client is derived
 * from it. Adding a call means adding one entry here and one handler in the feature that owns it.
 *
 * Imports zod and the sync protocol only: the renderer bundles this file.
 */
import { z } from 'zod';
import { Channel, Role } from '../../../backend-sync/protocol';

const isoDateTime = z.string();

export const Locale = z.enum(['zh-TW', 'en']);
export type Locale = z.infer<typeof Locale>;

export const SessionStaff = z.object({
  id: z.string(),
  staffCode: z.string(),
  displayName: z.string(),
  role: Role,
  branchId: z.string().nullable(),
  signedInAt: isoDateTime,
});
export type SessionStaff = z.infer<typeof SessionStaff>;

export const EnrollmentInfo = z.object({
  enrolled: z.boolean(),
  hubUrl: z.string().nullable(),
  deviceId: z.string().nullable(),
  deviceName: z.string().nullable(),
  brandName: z.string().nullable(),
  branchName: z.string().nullable(),
  /** Prefilled on the enrollment screen (the embedded demo hub, or configuration). */
  suggestedHubUrl: z.string().nullable(),
});
export type EnrollmentInfo = z.infer<typeof EnrollmentInfo>;

export const SyncStatus = z.object({
  connection: z.enum(['not_enrolled', 'connecting', 'online', 'offline']),
  offlineSince: isoDateTime.nullable(),
  /** While offline: from when redeeming is refused (offlineSince + the brand's offline limit). */
  offlineRedeemUntil: isoDateTime.nullable(),
  lastSyncAt: isoDateTime.nullable(),
  /** Mutations waiting in the outbox. */
  queued: z.number().int().nonnegative(),
  /** Open redemption conflicts of this branch (the "needs attention" count). */
  conflicts: z.number().int().nonnegative(),
  /** Mutations the hub rejected (shown, never retried). */
  rejected: z.number().int().nonnegative(),
  /** Present while the first sync after enrollment runs. */
  firstSync: z
    .object({ received: z.number().int().nonnegative(), total: z.number().int().nonnegative() })
    .nullable(),
  /** Last refusal from the hub (e.g. revoked device), as an error code. */
  lastErrorCode: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const AppInfo = z.object({
  version: z.string(),
  protocolVersion: z.number().int(),
  host: z.enum(['electron', 'web']),
});

export const Settings = z.object({ locale: Locale });
export type Settings = z.infer<typeof Settings>;

// ---------------------------------------------------------------------------------------------
// Till (SPEC §2.1): scan → verdict → redeem, history, needs attention, scanner settings.

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

export const WedgeSettings = z.object({
  minLength: z.number().int().min(2).max(64),
  maxAverageGapMs: z.number().int().min(5).max(200),
  holdTimeoutMs: z.number().int().min(10).max(500),
  suffixKeys: z.array(z.enum(['Enter', 'Tab'])).min(1),
});
export type WedgeSettingsValue = z.infer<typeof WedgeSettings>;

export const ScannerSettings = z.object({
  wedge: WedgeSettings,
  /** HID POS device path chosen in Settings; null = off. */
  hidDevicePath: z.string().max(500).nullable(),
  sounds: z.boolean(),
});
export type ScannerSettings = z.infer<typeof ScannerSettings>;

export const ScannerState = z.object({
  state: z.enum(['disabled', 'waiting', 'connected', 'error']),
  devicePath: z.string().nullable(),
  product: z.string().nullable(),
  message: z.string().nullable(),
});

export const HidDevice = z.object({
  path: z.string(),
  product: z.string(),
  vendorId: z.number(),
  productId: z.number(),
});

// ---------------------------------------------------------------------------------------------
// Bound customers (SPEC §2.2) and the binding QR codes (SPEC §2.3).

export const CustomerList = z.enum(['mine', 'team']);
export type CustomerList = z.infer<typeof CustomerList>;
export const ChannelFilter = z.enum(['all', 'line', 'whatsapp']);

/** A role - name pair, as the team list shows the associate ("銷售人員 - 王小明"). */
export const StaffRef = z.object({ id: z.string(), displayName: z.string(), role: Role.nullable() });

export const BoundCustomer = z.object({
  id: z.string(),
  displayName: z.string(),
  channel: Channel,
  /** International format ("+886 912 345 678"), or null when the channel gave none. */
  phone: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  boundAt: isoDateTime.nullable(),
  /** The associate the customer is bound to (the team list shows it as "role - name"). */
  boundStaff: StaffRef.nullable(),
  boundBranchName: z.string().nullable(),
});
export type BoundCustomer = z.infer<typeof BoundCustomer>;

export const CustomerQuery = z
  .object({
    list: CustomerList.default('mine'),
    channel: ChannelFilter.default('all'),
    /** Partial name (Chinese, English, mixed) or phone in any common form. Matched literally. */
    search: z.string().trim().max(200).default(''),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).default(0),
  })
  .strict();
export type CustomerQuery = z.input<typeof CustomerQuery>;

export const CustomerPage = z.object({
  items: z.array(BoundCustomer),
  /** All matches (not only this page). */
  total: z.number().int().nonnegative(),
});
export type CustomerPage = z.infer<typeof CustomerPage>;

export const BindingHistoryEntry = z.object({
  at: isoDateTime,
  /** webhook: the customer scanned a QR · phone: added by number on a console */
  source: z.enum(['webhook', 'phone']),
  fromStaffName: z.string().nullable(),
  toStaffName: z.string().nullable(),
});

export const CustomerCoupon = z.object({
  claimId: z.string(),
  couponName: z.string(),
  claimedAt: isoDateTime,
  openedAt: isoDateTime.nullable(),
  redeemedAt: isoDateTime.nullable(),
});
export type CustomerCoupon = z.infer<typeof CustomerCoupon>;

export const CustomerDetail = BoundCustomer.extend({
  history: z.array(BindingHistoryEntry),
  coupons: z.array(CustomerCoupon),
  /** The brand's conversation URL template filled in for this customer; null when none is set. */
  conversationUrl: z.string().nullable(),
});
export type CustomerDetail = z.infer<typeof CustomerDetail>;

/** Add a customer by WhatsApp number (SPEC §2.2); answered by the hub, queued while offline. */
export const CustomerAddState = z.enum(['queued', 'added', 'needs_confirmation', 'refused', 'failed']);
export const CustomerAddRequest = z.object({
  /** The outbox mutation id. */
  id: z.string(),
  phone: z.string(),
  name: z.string(),
  takeOver: z.boolean(),
  state: CustomerAddState,
  requestedAt: isoDateTime,
  /** needs_confirmation / refused: who holds the number now, in words-ready fields. */
  currentStaff: StaffRef.nullable(),
  currentBranchName: z.string().nullable(),
  /** refused / failed: the hub's error code (the renderer turns it into words). */
  code: z.string().nullable(),
});
export type CustomerAddRequest = z.infer<typeof CustomerAddRequest>;

export const BroadcastMessage = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('line'), text: z.string().trim().min(1).max(5000) }).strict(),
  z
    .object({
      channel: z.literal('whatsapp'),
      /** An approved template (the brand's list): what customers outside the 24-hour window get. */
      templateName: z.string().min(1).max(512),
      language: z.string().min(2).max(15),
      /** Optional text for customers who wrote within the last 24 hours (they get this instead). */
      text: z.string().trim().min(1).max(4096).optional(),
    })
    .strict(),
]);
export type BroadcastMessage = z.infer<typeof BroadcastMessage>;

export const BroadcastView = z.object({
  id: z.string(),
  channel: Channel,
  /** The text (LINE) or the template's name (WhatsApp). */
  summary: z.string(),
  state: z.enum(['queued', 'sending', 'done', 'refused']),
  requestedAt: isoDateTime,
  total: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  code: z.string().nullable(),
});
export type BroadcastView = z.infer<typeof BroadcastView>;

export const WhatsappTemplate = z.object({ name: z.string(), language: z.string(), preview: z.string() });

/** What the customers screen needs to know about the brand and the signed-in staff. */
export const CustomersContext = z.object({
  /** The lists this staff member may see: [] (not a sales role), ['mine'] or ['mine', 'team']. */
  lists: z.array(CustomerList),
  /** ISO 3166 region for phone numbers without a country code (brand setting; default HK). */
  phoneRegion: z.string(),
  /** Its calling code, for the add dialog's default ("+852"). */
  callingCode: z.string(),
  channels: z.object({ line: z.boolean(), whatsapp: z.boolean() }),
  whatsappTemplates: z.array(WhatsappTemplate),
});
export type CustomersContext = z.infer<typeof CustomersContext>;

export const MyQrInfo = z.object({
  staffCode: z.string(),
  displayName: z.string(),
  /** prefix + staff code + suffix, as the customer's message will read. */
  message: z.string(),
  /** null when the brand has no LINE official account configured. */
  line: z.object({ basicId: z.string(), url: z.string() }).nullable(),
  /** null when the brand has no WhatsApp number configured. */
  whatsapp: z.object({ phoneNumber: z.string(), url: z.string() }).nullable(),
});
export type MyQrInfo = z.infer<typeof MyQrInfo>;

const none = z.object({}).strict().optional();

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const consoleApi = {
  'app.info': call(none, AppInfo),
  'settings.get': call(none, Settings),
  'settings.update': call(Settings.partial().strict(), Settings),
  'enrollment.get': call(none, EnrollmentInfo),
  'enrollment.enroll': call(
    z
      .object({
        hubUrl: z.url({ protocol: /^https?$/ }).max(500),
        pairingCode: z.string().trim().min(4).max(64),
        deviceName: z.string().trim().min(1).max(100),
      })
      .strict(),
    EnrollmentInfo,
  ),
  'session.get': call(none, SessionStaff.nullable()),
  'session.signIn': call(
    z
      .object({
        staffCode: z.string().trim().min(1).max(32),
        pin: z.string().regex(/^\d{4,8}$/),
      })
      .strict(),
    SessionStaff,
  ),
  'session.signOut': call(none, z.null()),
  'sync.status': call(none, SyncStatus),
  'sync.now': call(none, SyncStatus),
  'till.scan': call(z.object({ input: z.string().max(4096), origin: ScanOrigin }).strict(), TillVerdict),
  'till.redeem': call(
    z
      .object({
        claimId: z.string().min(1).max(100),
        /** The code as scanned, kept with the redemption. */
        scannedCode: z.string().max(4096),
        verificationCode: z.string().max(32).optional(),
      })
      .strict(),
    RedemptionView,
  ),
  'till.history': call(HistoryQuery, z.object({ items: z.array(RedemptionView), total: z.number().int() })),
  'till.exportCsv': call(
    HistoryQuery.omit({ limit: true, offset: true }),
    z.object({ filename: z.string(), csv: z.string() }),
  ),
  'attention.list': call(none, z.array(RedemptionView)),
  'attention.resolve': call(
    z
      .object({ redemptionId: z.string().min(1).max(100), decision: z.enum(['acknowledge', 'void']) })
      .strict(),
    RedemptionView,
  ),
  'scanner.settings': call(none, ScannerSettings),
  'scanner.updateSettings': call(ScannerSettings.partial().strict(), ScannerSettings),
  'scanner.devices': call(none, z.array(HidDevice)),
  'scanner.state': call(none, ScannerState),
  /** The customers screen's settings for the signed-in staff (lists, phone region, channels). */
  'customers.context': call(none, CustomersContext),
  /** My list or the team list from the local store (works offline), newest binding first. */
  'customers.search': call(CustomerQuery, CustomerPage),
  'customers.detail': call(z.object({ id: z.string().min(1).max(100) }).strict(), CustomerDetail),
  /** The list being viewed, as CSV (UTF-8 with BOM so Excel shows Chinese). */
  'customers.exportCsv': call(
    CustomerQuery.omit({ limit: true, offset: true }),
    z.object({ filename: z.string(), csv: z.string() }),
  ),
  'customers.add': call(
    z
      .object({
        phone: z.string().trim().min(1).max(40),
        name: z.string().trim().max(100).optional(),
        /** Confirmed: bind even though another associate holds the number (transfer allowed). */
        takeOver: z.boolean().default(false),
      })
      .strict(),
    CustomerAddRequest,
  ),
  /** This staff member's recent add requests, pending ones first. */
  'customers.addRequests': call(none, z.array(CustomerAddRequest)),
  'customers.broadcast': call(BroadcastMessage, BroadcastView),
  'customers.broadcasts': call(none, z.array(BroadcastView)),
  /** What the signed-in associate's binding QR codes encode. */
  'myQr.info': call(none, MyQrInfo),
} as const;

export type ConsoleApi = typeof consoleApi;
export type ConsoleMethod = keyof ConsoleApi;
export type ConsoleInput<M extends ConsoleMethod> = z.input<ConsoleApi[M]['input']>;
export type ConsoleOutput<M extends ConsoleMethod> = z.output<ConsoleApi[M]['output']>;

/** Events the core pushes to the renderer. */
export const consoleEvents = {
  'sync.status': SyncStatus,
  'session.changed': SessionStaff.nullable(),
  /** A scan from the HID POS reader (the core reads it), already judged. */
  'till.scanned': TillVerdict,
  'scanner.state': ScannerState,
  /** A redemption's sync state changed (queued → synced / conflict), or needs-attention changed. */
  'till.redemptionsChanged': z.object({ attention: z.number().int().nonnegative() }),
  /** Customers, add requests or broadcasts changed (a pull or an answer arrived). */
  'customers.changed': z.object({}),
} as const;
export type ConsoleEvents = typeof consoleEvents;
export type ConsoleEventName = keyof ConsoleEvents;
export type ConsoleEventPayload<E extends ConsoleEventName> = z.output<ConsoleEvents[E]>;

/** What crosses the boundary: a value, or an error with a code the renderer turns into words. */
export const ApiError = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.infer<typeof ApiError>;
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const isConsoleMethod = (name: unknown): name is ConsoleMethod =>
  typeof name === 'string' && Object.hasOwn(consoleApi, name);
export const isConsoleEvent = (name: unknown): name is ConsoleEventName =>
  typeof name === 'string' && Object.hasOwn(consoleEvents, name);

/** The handler table a core implements; feature folders each provide a part of it. */
export type ConsoleHandlers = {
  [M in ConsoleMethod]: (input: z.output<ConsoleApi[M]['input']>) => Promise<ConsoleOutput<M>>;
};
