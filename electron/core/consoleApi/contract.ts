/**
 * ConsoleApi: the one contract between the renderer and the console core. Each call has a zod
 * input and output schema; the preload bridge (Electron) and the web host (WebSocket) are both
 * generated from this table and validate against it, and the renderer's typed client is derived
 * from it. Adding a call means adding one entry here (and its shapes in the area's module under
 * contract/) and one handler in the feature that owns it.
 *
 * The shapes live in contract/, one module per area, and are all re-exported here so every
 * importer names this file only. This file and contract/ import zod and the sync protocol only:
 * the renderer bundles them.
 */
import { z } from 'zod';
import { AppInfo, EnrollmentInfo, SavedDiagnostics, Settings } from './contract/app';
import {
  BroadcastMessage,
  BroadcastView,
  CustomerAddRequest,
  CustomerDetail,
  CustomerPage,
  CustomerQuery,
  CustomersContext,
  MyQrInfo,
} from './contract/customers';
import { HidDevice, ScannerSettings, ScannerState } from './contract/scanner';
import { SessionStaff } from './contract/session';
import { SyncLedger, SyncStatus } from './contract/sync';
import { HistoryQuery, RedemptionView, ScanOrigin, TillVerdict } from './contract/till';

export * from './contract/app';
export * from './contract/session';
export * from './contract/sync';
export * from './contract/till';
export * from './contract/scanner';
export * from './contract/customers';

const none = z.object({}).strict().optional();

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const consoleApi = {
  'app.info': call(none, AppInfo),
  'settings.get': call(none, Settings),
  'settings.update': call(Settings.partial().strict(), Settings),
  'diagnostics.save': call(none, SavedDiagnostics),
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
  /** Follow the hub to a new address (it must prove it enrolled this device). Managers only. */
  'enrollment.changeHubUrl': call(
    z.object({ hubUrl: z.url({ protocol: /^https?$/ }).max(500) }).strict(),
    EnrollmentInfo,
  ),
  /** Forget this device's credentials to enroll again; queued changes are kept. Managers only. */
  'enrollment.leave': call(none, EnrollmentInfo),
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
  /** Every change the hub has not taken: queued, rejected, conflicting (the status bar's list). */
  'sync.ledger': call(none, SyncLedger),
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
