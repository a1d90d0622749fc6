/**
 * Shared setup of the fault tests: a hub database seeded with the standard fixture plus fresh
 * claims (the fixture's own were claimed at a fixed past date and have expired since), and a
 * console data folder enrolled to a hub and fully synced, ready for child-process lives.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { systemClock } from '../../../backend-sync/domain/clock';
import { openTestDb, type TestDb } from '../../../backend-sync/hub/testing/databases';
import { insertClaims, seedFixture, type Fixture, type FixtureClaim } from '../../../backend-sync/hub/testing/fixtures';
import type { SyncStatus } from '../api/contract';
import { openTestConsole, type TestConsole } from '../integration/harness';
import { DB_FILE_NAME } from '../store/db';

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
  const c = await openTestConsole(undefined, { reconnectDelayMs: 20, reconnectDelayMaxMs: 200, roundRetryMs: 50 });
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
