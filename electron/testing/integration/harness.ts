/**
 * Integration harness: a REAL hub (createHub) over a private test database on loopback, and
 * console cores on real SQLite files in temporary folders, talking over real socket.io.
 * The hub can be stopped and started again on the same port and database (a hub restart).
 */
import pino from 'pino';
import { createHub, type Hub } from '../../../backend-sync/hub/server';
import { openTestDb, type TestDb } from '../../../backend-sync/hub/testing/databases';
import { seedFixture, type Fixture, FIXTURE_TIME } from '../../../backend-sync/hub/testing/fixtures';
import { manualClock } from '../../../backend-sync/domain/clock';
import { AppError } from '../../../backend-sync/domain/errors';
import type { HubDbKind } from '../../../backend-sync/hub/db';
import type {
  ConsoleEventName,
  ConsoleInput,
  ConsoleMethod,
  ConsoleOutput,
  SyncStatus,
} from '../../core/consoleApi/contract';
import { createConsoleCore, type ConsoleCore } from '../../core/index';
import { createKeyfileSecretStore } from '../../core/secrets/keyfile';
import type { SyncTuning } from '../../core/sync/engine';
import { tempDir } from '../temp';

export interface HubHarness {
  t: TestDb;
  fixture: Fixture;
  hub: Hub;
  port: number;
  url: string;
  stop(): Promise<void>;
  /** Starts the hub again on the same port and database. */
  start(): Promise<Hub>;
  close(): Promise<void>;
}

export async function startHubHarness(kind: HubDbKind): Promise<HubHarness> {
  const t = await openTestDb(kind);
  const fixture = await seedFixture(t.db, manualClock(FIXTURE_TIME));
  const launch = (port: number) =>
    createHub({
      port,
      dataDir: t.options.dataDir,
      // '' (not undefined) for SQLite: createHub would otherwise fall back to $DATABASE_URL.
      databaseUrl: t.options.databaseUrl ?? '',
      ...(t.options.searchPath ? { searchPath: t.options.searchPath } : {}),
      logLevel: process.env.HUB_TEST_LOG_LEVEL ?? 'silent',
      adminToken: 'test-admin-token',
    });
  const first = await launch(0);
  let running: Hub | null = first;
  const h: HubHarness = {
    t,
    fixture,
    hub: first,
    port: first.port,
    url: first.url,
    async stop() {
      await running?.close();
      running = null;
    },
    async start() {
      running = h.hub = await launch(h.port);
      return h.hub;
    },
    async close() {
      await running?.close();
      running = null;
      await t.close();
    },
  };
  return h;
}

export interface TestConsole {
  core: ConsoleCore;
  dataDir: string;
  /** Calls a ConsoleApi method through dispatch; returns the value or throws an AppError. */
  call<M extends ConsoleMethod>(method: M, input?: ConsoleInput<M>): Promise<ConsoleOutput<M>>;
  /** Every event the core emitted, in order. */
  events: { name: ConsoleEventName; payload: unknown }[];
  /** Resolves with the first status (current or emitted later) that satisfies `accept`. */
  waitForStatus(accept: (s: SyncStatus) => boolean, what: string, timeoutMs?: number): Promise<SyncStatus>;
  close(): Promise<void>;
}

export async function openTestConsole(
  dataDir?: string,
  sync: Partial<SyncTuning> = {},
): Promise<TestConsole & { remove(): void }> {
  const tmp = dataDir ? { dir: dataDir, remove: () => {} } : tempDir('omo-console-int-');
  const core = await createConsoleCore({
    dataDir: tmp.dir,
    secretStore: createKeyfileSecretStore(tmp.dir),
    host: 'web',
    appVersion: '0.0.0-test',
    logger: pino({ level: process.env.CONSOLE_TEST_LOG_LEVEL ?? 'silent' }),
    // Short back-off so a restarted hub is found again within a test's patience.
    sync: {
      reconnectDelayMs: 100,
      reconnectDelayMaxMs: 800,
      requestTimeoutMs: 5000,
      roundRetryMs: 300,
      ...sync,
    },
    enrollTimeoutMs: 3000,
  });
  const events: TestConsole['events'] = [];
  const statusListeners = new Set<(s: SyncStatus) => void>();
  core.onEvent((name, payload) => {
    events.push({ name, payload });
    if (name === 'sync.status') for (const l of statusListeners) l(payload as SyncStatus);
  });

  const call: TestConsole['call'] = async (method, input) => {
    const result = await core.dispatch(method, input);
    if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
    return result.value as never;
  };

  const waitForStatus: TestConsole['waitForStatus'] = (accept, what, timeoutMs = 5000) =>
    new Promise((resolve, reject) => {
      let done = false;
      const finish = (err: Error | null, status?: SyncStatus) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        statusListeners.delete(listener);
        if (err) reject(err);
        else resolve(status!);
      };
      const listener = (s: SyncStatus) => {
        if (accept(s)) finish(null, s);
      };
      const timer = setTimeout(
        () =>
          void call('sync.status').then((s) =>
            finish(new Error(`Timed out waiting for ${what}; status: ${JSON.stringify(s)}`)),
          ),
        timeoutMs,
      );
      statusListeners.add(listener);
      void call('sync.status').then((s) => {
        if (accept(s)) finish(null, s);
      });
    });

  return {
    core,
    dataDir: tmp.dir,
    call,
    events,
    waitForStatus,
    close: () => core.close(),
    remove: tmp.remove,
  };
}
