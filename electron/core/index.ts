/**
 * The console core: everything the console does, in plain TypeScript under Node (no `electron`
 * import). electron/main and electron/webhost create one core, pass its `dispatch` to their
 * transport and forward its events to the renderer.
 */
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { systemClock, uuidV7, type DeviceClock, type IdGenerator } from '../../backend-sync/domain/clock';
import { createDispatcher, type Dispatch } from './consoleApi/dispatcher';
import type { ConsoleEventName, ConsoleEventPayload, ConsoleHandlers } from './consoleApi/contract';
import { appHandlers, type DiagnosticsOptions } from './app/handlers';
import { createEnrollment } from './enrollment/enrollment';
import { enrollmentHandlers } from './enrollment/handlers';
import { sessionHandlers } from './session/handlers';
import { createSessions } from './session/sessions';
import { settingsHandlers } from './settings/handlers';
import { createSettings } from './settings/settings';
import { DB_FILE_NAME, openConsoleDb } from './store/db';
import { dailyBackup } from './store/backups';
import { createSyncEngine, type SyncTuning, type SyncTimers } from './sync/engine';
import { syncHandlers } from './sync/handlers';
import { noFaults, type Faults } from './sync/faults';
import { nodeHidBackend, type HidBackend } from './scanner/hidPosReader';
import { createScannerService } from './scanner/service';
import { createTill } from './till/handlers';
import { createCustomers } from './customers/handlers';
import { brandCustomerSettings, conversationOrigins } from './customers/brand';
import { createHubProof } from './session/hubProof';
import { readUpdatePolicy, type UpdatePolicy } from './updates';
import { createHubClock } from './time/hubClock';

export type { UpdatePolicy } from './updates';

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
  timers?: SyncTimers;
  /** How long the enrollment request may take. */
  enrollTimeoutMs?: number;
  /**
   * The USB edge for HID POS scanners (or a loader of it); default node-hid, loaded only when a
   * scanner is wanted. A loader that fails leaves the scanner state 'error' and nothing else.
   */
  hidBackend?: HidBackend | (() => Promise<HidBackend>);
  /** Fault points for fault-injection tests (list in sync/faults.ts); a no-op by default. */
  faults?: Faults;
  /** What "save diagnostics" collects besides the database's own (app/handlers.ts). */
  diagnostics?: DiagnosticsOptions;
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
  // A verified copy a day (store/backups.ts); checked hourly so a till left running takes it too.
  const backupDaily = () =>
    dailyBackup(path.join(options.dataDir, DB_FILE_NAME), new Date(), options.nativeBinding).catch(
      (err: unknown) => logger.error({ err }, 'daily backup failed'),
    );
  const backupTimer = setInterval(() => void backupDaily(), 3_600_000);
  backupTimer.unref();
  const dailyBackupDone = backupDaily();

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
    appVersion: options.appVersion,
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
    ...appHandlers({
      db,
      clock,
      logger,
      host: options.host,
      appVersion: options.appVersion,
      dataDir: options.dataDir,
      ...(options.diagnostics ? { diagnostics: options.diagnostics } : {}),
      enrollmentInfo: () => enrollment.info(),
      syncStatus: () => sync.status(),
    }),
    ...settingsHandlers(settings),
    ...enrollmentHandlers({ enrollment, sessions, sync, logger }),
    ...sessionHandlers(sessions),
    ...syncHandlers(db, sync, enrollment),
    ...till.handlers,
    ...scanner.handlers,
    ...customers.handlers,
  };

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
      clearInterval(backupTimer);
      await dailyBackupDone;
      listeners.clear();
      await scanner.stop();
      await sync.stop();
      await clock.flush();
      await db.destroy();
    },
  };
}
