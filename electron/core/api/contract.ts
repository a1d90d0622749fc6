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

export const BoundCustomer = z.object({
  id: z.string(),
  displayName: z.string(),
  channel: Channel,
  /** Partly masked (country code and last digits); the full number never leaves the core. */
  phoneMasked: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  boundAt: isoDateTime.nullable(),
});
export type BoundCustomer = z.infer<typeof BoundCustomer>;

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
  /** The signed-in associate's bound customers, newest binding first. */
  'customers.mine': call(none, z.array(BoundCustomer)),
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
