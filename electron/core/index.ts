/**
 * The console core: everything the console does, in plain TypeScript under Node (no `electron`
 * import). electron/main and electron/webhost create one core, pass its `dispatch` to their
 * transport and forward its events to the renderer.
 */
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { systemClock, uuidV7, type DeviceClock, type IdGenerator } from '../../backend-sync/domain/clock';
import { PROTOCOL_VERSION } from '../../backend-sync/protocol';
import { createDispatcher, type Dispatch } from './api/dispatcher';
import type { ConsoleEventName, ConsoleEventPayload, ConsoleHandlers } from './api/contract';
import { createEnrollment } from './enrollment';
import { createSessions } from './session';
import { createSettings } from './settings';
import { openConsoleDb } from './store/db';
import { createSyncEngine, type SyncTuning, type Timers } from './sync/engine';
import { syncLedger } from './sync/ledger';
import { noFaults, type Faults } from './sync/hooks';
import { nodeHidBackend, type HidBackend } from './scanner/hidPosReader';
import { createScannerService } from './scanner/service';
import { createTill } from './till';
import { createCustomers } from './customers';
import { brandCustomerSettings, conversationOrigins } from './customers/brand';
import { createHubProof } from './session/hubProof';
import { saveDiagnostics } from './diagnostics';
import { readUpdatePolicy, type UpdatePolicy } from './updates';
import { createHubClock } from './time/hubClock';

export type { UpdatePolicy } from './updates';
import { AppError, ErrorCode } from '../../backend-sync/domain/errors';
import { canManageDevice } from '../../backend-sync/domain/roles';

/** lastErrorCode when the stored device token cannot be unsealed. */
export const CREDENTIALS_UNREADABLE = 'CREDENTIALS_UNREADABLE';

/** Seals device credentials at rest: Electron's safeStorage in the app, a key file in the web host. */
export interface SecretStore {
  readonly kind: 'safeStorage' | 'keyfile';
  seal(plain: string): string;
  open(sealed: string): string;
}

export interface ConsoleCoreOptions {
  /** Folder holding the local SQLite file (console.sqlite). */
  dataDir: string;
  secretStore: SecretStore;
  host: 'electron' | 'web';
  appVersion: string;
  /** Prefilled hub URL on the enrollment screen (embedded demo hub or configuration). */
  suggestedHubUrl?: string | null;
  /** Path to a better-sqlite3 binary built for Electron's ABI (the Node build serves tests). */
  nativeBinding?: string;
  /**
   * The device's own clocks (wall and monotonic). Everything judges and stamps by the hub time
   * estimated from them (time/hubClock.ts); tests move them by hand (manualClock).
   */
  clock?: DeviceClock;
  /** Mutation and record ids (UUIDv7 unless a test injects its own). */
  ids?: IdGenerator;
  /** pino logger; default: pino at LOG_LEVEL or 'info'. Never given secrets, PINs or tokens. */
  logger?: Logger;
  /** Sync timings (back-off, timeouts, page sizes); tests shorten them. */
  sync?: Partial<SyncTuning>;
  timers?: Timers;
  /** How long the enrollment request may take. */
  enrollTimeoutMs?: number;
  /**
   * The USB edge for HID POS scanners (or a loader of it); default node-hid, loaded only when a
   * scanner is wanted. A loader that fails leaves the scanner state 'error' and nothing else.
   */
  hidBackend?: HidBackend | (() => Promise<HidBackend>);
  /** Fault points for fault-injection tests (list in sync/hooks.ts); a no-op by default. */
  faults?: Faults;
  /** What "save diagnostics" collects besides the database's own (diagnostics.ts). */
  diagnostics?: {
    /** The rotating log files' folder (logging.ts); none when logging to stdout only. */
    logsDir?: string | null;
    crashDumpsDir?: string | null;
    /** Where the zip goes; default <dataDir>/diagnostics. */
    outputDir?: string;
    /** Runtime versions to record (Electron, Chromium, Node…). */
    runtimeVersions?: Record<string, string>;
    /** Called with the zip's path (Electron shows it in the file manager). */
    onSaved?: (file: string) => void;
  };
}

export interface ConsoleCore {
  dispatch: Dispatch;
  onEvent(listener: (name: ConsoleEventName, payload: unknown) => void): () => void;
  /** Origins of the brand's conversation links (the Electron window's open-in-browser list). */
  externalOrigins(): Promise<string[]>;
  /** The update channel, rollout and window this till follows (electron/main/updater.ts). */
  updatePolicy(): Promise<UpdatePolicy>;
  close(): Promise<void>;
}

export async function createConsoleCore(options: ConsoleCoreOptions): Promise<ConsoleCore> {
  const ids = options.ids ?? uuidV7;
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info', name: 'console-core' });
  const db = await openConsoleDb({ dataDir: options.dataDir, nativeBinding: options.nativeBinding });
  const clock = await createHubClock({
    db,
    device: options.clock ?? systemClock,
    logger,
    // Called only after creation, by then the engine exists.
    onWarning: () => sync.refreshStatus(),
  });

  const listeners = new Set<(name: ConsoleEventName, payload: unknown) => void>();
  const emit = <E extends ConsoleEventName>(name: E, payload: ConsoleEventPayload<E>): void => {
    for (const listener of listeners) {
      try {
        listener(name, payload);
      } catch (err) {
        logger.error({ err, event: name }, 'event listener failed');
      }
    }
  };

  const enrollment = createEnrollment({
    db,
    secretStore: options.secretStore,
    clock,
    suggestedHubUrl: options.suggestedHubUrl ?? null,
    ...(options.enrollTimeoutMs ? { enrollTimeoutMs: options.enrollTimeoutMs } : {}),
  });
  const settings = createSettings(db);
  // The closures below call `sync` only after it exists (nothing runs before this function returns).
  const hubProof = createHubProof();
  const sessions = createSessions({
    db,
    clock,
    ids,
    hubProof,
    onChanged: (session) => {
      emit('session.changed', session);
      sync.sessionChanged();
    },
    onOutboxChanged: () => sync.outboxChanged(),
  });
  const till = createTill({
    db,
    clock,
    timeUntrusted: () => clock.estimate().source === 'untrusted',
    ids,
    logger,
    faults: options.faults ?? noFaults,
    currentStaff: () => sessions.current(),
    settings: () => settings.get(),
    outboxChanged: () => sync.outboxChanged(),
    redemptionsChanged: (payload) => emit('till.redemptionsChanged', payload),
  });
  const sync = createSyncEngine({
    db,
    clock,
    time: clock,
    logger,
    hooks: till.syncHooks,
    staffSession: hubProof,
    // The lists live in the session streams; the device stream brings claims and staff names.
    onStreamPulled: (stream) => {
      if (stream !== 'device') customers.changed();
    },
    ...(options.faults ? { faults: options.faults } : {}),
    publish: (status) => emit('sync.status', status),
    ...(options.sync ? { tuning: options.sync } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
  });
  const scanner = createScannerService({
    db,
    logger,
    loadBackend: async () => {
      const given = options.hidBackend;
      if (typeof given === 'function') return given();
      return given ?? nodeHidBackend();
    },
    onState: (state) => emit('scanner.state', state),
    onScan: (scan) => {
      till.scan(scan.code, 'hid').then(
        (verdict) => emit('till.scanned', verdict),
        (err: unknown) => logger.warn({ err }, 'a HID scan could not be judged'),
      );
    },
  });

  const customers = createCustomers({
    db,
    clock,
    ids,
    currentStaff: () => sessions.current(),
    outboxChanged: () => sync.outboxChanged(),
    emitChanged: () => emit('customers.changed', {}),
  });

  const handlers: ConsoleHandlers = {
    'app.info': async () => ({
      version: options.appVersion,
      protocolVersion: PROTOCOL_VERSION,
      host: options.host,
    }),
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
    'diagnostics.save': async () => {
      const saved = await saveDiagnostics({
        db,
        clock,
        logsDir: options.diagnostics?.logsDir ?? null,
        crashDumpsDir: options.diagnostics?.crashDumpsDir ?? null,
        outputDir: options.diagnostics?.outputDir ?? path.join(options.dataDir, 'diagnostics'),
        versions: {
          app: options.appVersion,
          host: options.host,
          protocol: PROTOCOL_VERSION,
          ...options.diagnostics?.runtimeVersions,
        },
        enrollment: () => enrollment.info(),
        syncStatus: () => sync.status(),
      });
      logger.info({ file: saved.file, bytes: saved.bytes }, 'diagnostics saved');
      options.diagnostics?.onSaved?.(saved.file);
      return saved;
    },
    'enrollment.get': () => enrollment.info(),
    'enrollment.enroll': async (input) => {
      const creds = await enrollment.enroll(input);
      logger.info({ deviceId: creds.deviceId }, 'enrolled');
      await sync.start(creds);
      return enrollment.info();
    },
    'enrollment.changeHubUrl': async ({ hubUrl }) => {
      requireDeviceManager();
      const creds = await enrollment.changeHubUrl(hubUrl);
      logger.info({ deviceId: creds.deviceId }, 'following the hub to a new address');
      await sync.stop();
      await sync.start(creds);
      return enrollment.info();
    },
    'enrollment.leave': async () => {
      requireDeviceManager();
      await sync.stop();
      await enrollment.leave();
      sessions.signOut();
      await sync.left();
      logger.info('left the hub; the outbox is kept for the next enrollment');
      return enrollment.info();
    },
    'session.get': async () => sessions.current(),
    'session.signIn': (input) => sessions.signIn(input),
    'session.signOut': async () => sessions.signOut(),
    'sync.status': () => sync.status(),
    'sync.ledger': () => syncLedger(db),
    'sync.now': async () => {
      await enrollment.requireEnrolled();
      return sync.syncNow();
    },
    ...till.handlers,
    ...scanner.handlers,
    ...customers.handlers,
  };
  function requireDeviceManager(): void {
    const staff = sessions.current();
    if (!staff) throw new AppError(ErrorCode.NOT_SIGNED_IN, 'Sign in first.');
    if (!canManageDevice(staff.role))
      throw new AppError(ErrorCode.FORBIDDEN, 'Only a manager may move this device to another hub.');
  }

  const dispatch = createDispatcher(handlers, (method, err) =>
    logger.error({ err, method }, 'ConsoleApi call failed unexpectedly'),
  );

  try {
    const existing = await enrollment.credentials();
    if (existing) await sync.start(existing);
  } catch (err) {
    // The sealed token cannot be opened (safeStorage key changed, key file lost): the console
    // still starts — sign-in works offline on synced data — and the status bar says why it
    // cannot sync. Re-enrolling is the way out.
    logger.error({ err }, 'stored device credentials cannot be opened');
    await sync.cannotStart(CREDENTIALS_UNREADABLE);
  }
  await scanner.start();

  return {
    dispatch,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    externalOrigins: async () => conversationOrigins(await brandCustomerSettings(db)),
    updatePolicy: () => readUpdatePolicy(db),
    async close() {
      listeners.clear();
      await scanner.stop();
      await sync.stop();
      await clock.flush();
      await db.destroy();
    },
  };
}
