/**
 * Shared setup of the fault tests: a hub database seeded with the standard fixture plus fresh
 * claims (the fixture's own were claimed at a fixed past date and have expired since), and a
 * console data folder enrolled to a hub and fully synced, ready for child-process lives.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { io } from 'socket.io-client';
import { systemClock } from '../../../backend-sync/domain/clock';
import { AppError } from '../../../backend-sync/domain/errors';
import {
  PROTOCOL_VERSION,
  PushResponse,
  SyncEvent,
  type MutationResult,
} from '../../../backend-sync/protocol';
import { openTestDb, type TestDb } from '../../../backend-sync/hub/testing/databases';
import {
  insertClaims,
  seedFixture,
  type Fixture,
  type FixtureClaim,
} from '../../../backend-sync/hub/testing/fixtures';
import type { SyncStatus } from '../../core/consoleApi/contract';
import { createConsoleCore } from '../../core/index';
import { openTestConsole, type TestConsole } from '../integration/harness';
import { createKeyfileSecretStore } from '../../core/secrets/keyfile';
import { DB_FILE_NAME } from '../../core/store/db';
import type { Faults } from '../../core/sync/faults';

export interface FaultHubDb {
  t: TestDb;
  fixture: Fixture;
  /** Fresh claims of the coupon valid at every branch. */
  claims: FixtureClaim[];
}

/** A SQLite hub database with the fixture and `claims` fresh claims redeemable anywhere. */
export async function seedFaultHubDb(claims: number): Promise<FaultHubDb> {
  const t = await openTestDb('sqlite');
  const fixture = await seedFixture(t.db);
  const fresh = await insertClaims(t.db, systemClock, {
    brandId: fixture.brandId,
    couponId: fixture.coupons.everywhere,
    branchIds: [],
    prefix: 'fault',
    count: claims,
  });
  return { t, fixture, claims: fresh };
}

export const drained = (s: SyncStatus): boolean =>
  s.connection === 'online' && s.queued === 0 && s.firstSync === null && s.lastSyncAt !== null;

/** Opens a console (in this process), enrolls it with `pairingCode` and waits for the first sync. */
export async function enrolledConsole(
  hubUrl: string,
  pairingCode: string,
  deviceName: string,
): Promise<TestConsole & { remove(): void }> {
  const c = await openTestConsole(undefined, {
    reconnectDelayMs: 20,
    reconnectDelayMaxMs: 200,
    roundRetryMs: 50,
  });
  await c.call('enrollment.enroll', { hubUrl, pairingCode, deviceName });
  await c.waitForStatus(drained, `${deviceName} to finish its first sync`, 15_000);
  return c;
}

/** Reads a console's database from the side (read-only), e.g. after its process was killed. */
export function peekConsole<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(dataDir, DB_FILE_NAME), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/**
 * A console core in this process on an (enrolled) folder, with fault points — what the harness's
 * openTestConsole gives, plus `faults`.
 */
export async function openFaultConsole(
  dataDir: string,
  faults: Faults = () => {},
): Promise<Pick<TestConsole, 'core' | 'call' | 'waitForStatus' | 'close'>> {
  const core = await createConsoleCore({
    dataDir,
    secretStore: createKeyfileSecretStore(dataDir),
    host: 'web',
    appVersion: '0.0.0-fault',
    logger: pino({ level: process.env.CONSOLE_TEST_LOG_LEVEL ?? 'silent' }),
    sync: { reconnectDelayMs: 20, reconnectDelayMaxMs: 200, roundRetryMs: 50, requestTimeoutMs: 5000 },
    faults,
  });
  const listeners = new Set<(s: SyncStatus) => void>();
  core.onEvent((name, payload) => {
    if (name === 'sync.status') for (const l of listeners) l(payload as SyncStatus);
  });
  const call: TestConsole['call'] = async (method, input) => {
    const result = await core.dispatch(method, input);
    if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error.details);
    return result.value as never;
  };
  const waitForStatus: TestConsole['waitForStatus'] = (accept, what, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(check);
        void call('sync.status').then((s) =>
          reject(new Error(`Timed out waiting for ${what}: ${JSON.stringify(s)}`)),
        );
      }, timeoutMs);
      const check = (s: SyncStatus) => {
        if (!accept(s)) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve(s);
      };
      listeners.add(check);
      void call('sync.status').then((s) => listeners.has(check) && check(s));
    });
  return { core, call, waitForStatus, close: () => core.close() };
}

/**
 * Pushes the console's whole outbox again, straight over socket.io as the device (its token
 * unsealed from the folder): what a console whose answers were lost would send. Returns the hub's
 * answers, one per mutation.
 */
export async function replayOutbox(hubUrl: string, dataDir: string): Promise<MutationResult[]> {
  const meta = new Map(
    peekConsole<{ key: string; value: string }>(dataDir, 'SELECT key, value FROM meta').map((m) => [
      m.key,
      m.value,
    ]),
  );
  const deviceToken = createKeyfileSecretStore(dataDir).open(meta.get('sealedDeviceToken')!);
  const outbox = peekConsole<{ id: string; kind: string; payload: string; device_time: string }>(
    dataDir,
    'SELECT id, kind, payload, device_time FROM outbox ORDER BY seq',
  );
  const socket = io(hubUrl, {
    auth: { deviceId: meta.get('deviceId'), deviceToken, protocolVersion: PROTOCOL_VERSION },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const answer = (await socket.timeout(5000).emitWithAck(SyncEvent.push, {
      mutations: outbox.map((o) => ({
        id: o.id,
        kind: o.kind,
        payload: JSON.parse(o.payload),
        deviceTime: o.device_time,
      })),
    })) as unknown;
    return PushResponse.parse(answer).results;
  } finally {
    socket.disconnect();
  }
}
