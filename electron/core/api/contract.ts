/**
 * ConsoleApi: the one contract between the renderer and the console core. Each call has a zod
 * input and output schema; the preload bridge (Electron) and the web host (WebSocket) are both
 * generated from this table and validate against it, and the renderer's typed client is derived
 * from it. Adding a call means adding one entry here and one handler in the feature that owns it.
 *
 * Imports zod and the sync protocol only: the renderer bundles this file.
 */
import { z } from 'zod';
import { Role } from '../../../backend-sync/protocol';

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
  /** Mutations the hub answered with `conflict`, not yet resolved. */
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
} as const;

export type ConsoleApi = typeof consoleApi;
export type ConsoleMethod = keyof ConsoleApi;
export type ConsoleInput<M extends ConsoleMethod> = z.input<ConsoleApi[M]['input']>;
export type ConsoleOutput<M extends ConsoleMethod> = z.output<ConsoleApi[M]['output']>;

/** Events the core pushes to the renderer. */
export const consoleEvents = {
  'sync.status': SyncStatus,
  'session.changed': SessionStaff.nullable(),
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
