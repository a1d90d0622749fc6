/**
 * The demo as a shop sees it: a console enrolled to a demo hub (real hub, real socket.io, real
 * SQLite files) finds the seeded TRY-REDEEMED redemption in its branch's history, the way it
 * finds any redemption another till of the branch made.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHub, type Hub } from '../../../backend-sync/hub/server';
import { openTestDb, testDbKinds, type TestDb } from '../../../backend-sync/hub/testing/databases';
import type { SyncStatus } from '../../core/consoleApi/contract';
import { openTestConsole } from './harness';

describe.each(testDbKinds())('a console enrolled to the demo hub (%s)', (kind) => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function demoHub(): Promise<Hub> {
    const t: TestDb = await openTestDb(kind);
    cleanups.push(() => t.close());
    const hub = await createHub({
      port: 0,
      dataDir: t.options.dataDir,
      databaseUrl: t.options.databaseUrl ?? '',
      ...(t.options.searchPath ? { searchPath: t.options.searchPath } : {}),
      logLevel: process.env.HUB_TEST_LOG_LEVEL ?? 'silent',
      demo: true,
    });
    cleanups.push(() => hub.close());
    return hub;
  }

  const drained = (s: SyncStatus) => s.connection === 'online' && s.queued === 0 && s.lastSyncAt !== null;

  it("lists the seeded TRY-REDEEMED redemption in its branch's history", async () => {
    const hub = await demoHub();
    const c = await openTestConsole();
    cleanups.push(c.remove, () => c.close());
    await c.call('enrollment.enroll', { hubUrl: hub.url, pairingCode: 'DEMO-TPE1', deviceName: '櫃台 1' });
    await c.waitForStatus(drained, 'first sync', 30_000);
    await c.call('session.signIn', { staffCode: 'S001', pin: '1111' });

    const { items } = await c.call('till.history', { scope: 'branch', search: 'TRY-REDEEMED' });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      code: 'TRY-REDEEMED',
      couponName: '全店 9 折券 · 10% off storewide',
      branchName: '台北信義店',
      deviceName: '示範收銀機（種子資料）· seed till',
      staffName: '林小美',
      ownDevice: false,
      conflict: null,
    });
    // Two hours before the seed (this test's start), as docs/demo.md says.
    const hoursAgo = (Date.now() - Date.parse(items[0]!.redeemedAt)) / 3_600_000;
    expect(hoursAgo).toBeGreaterThanOrEqual(2);
    expect(hoursAgo).toBeLessThan(2.1);
  }, 60_000);
});
