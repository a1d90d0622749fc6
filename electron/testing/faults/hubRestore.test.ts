/**
 * A hub restored from a backup: redemptions it had answered after the backup are gone from it.
 * Three tills meet the restored hub (another restore generation), pull everything again and push
 * again what they had delivered within the re-push window: every confirmed redemption is at the
 * hub exactly once, whether it was before the backup (answered `duplicate`) or after it (applied
 * again), and redemptions still queued at the restore arrive too.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openHubDb } from '../../../backend-sync/hub/db';
import { backupSqlite, restoreSqlite } from '../../../backend-sync/hub/db/backup';
import { createHub, type Hub } from '../../../backend-sync/hub/server';
import { tempDir } from '../temp';
import { drained, enrolledConsole, peekConsole, seedFaultHubDb } from './setup';

describe('hub restored from a backup', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('takes a backup, three tills redeem, the backup is restored: every confirmed redemption is at the hub exactly once', async () => {
    const hubDb = await seedFaultHubDb(30);
    cleanups.push(() => hubDb.t.close());
    const { fixture } = hubDb;
    const dataDir = hubDb.t.options.dataDir;
    const start = (port: number) =>
      createHub({ port, dataDir, databaseUrl: '', logLevel: 'silent', adminToken: 'fault-admin-token' });
    let hub: Hub | null = await start(0);
    cleanups.push(() => hub?.close());
    const port = hub.port;

    const tills: Awaited<ReturnType<typeof enrolledConsole>>[] = [];
    for (const [device, staff] of [
      [fixture.devices.a1, fixture.staff.associateA],
      [fixture.devices.a2, fixture.staff.managerA],
      [fixture.devices.b1, fixture.staff.associateB],
    ] as const) {
      const c = await enrolledConsole(hub.url, device.pairingCode, `Till ${device.id}`);
      cleanups.push(c.remove, () => c.close());
      await c.call('session.signIn', { staffCode: staff.staffCode, pin: staff.pin });
      await c.waitForStatus(drained, 'the sign-in to sync');
      tills.push(c);
    }
    const claims = [...hubDb.claims];
    const confirmed: string[] = [];
    const redeemEach = async (n: number) => {
      for (const c of tills) {
        for (let i = 0; i < n; i++) {
          const claim = claims.shift()!;
          confirmed.push((await c.call('till.redeem', { claimId: claim.id, scannedCode: claim.code })).id);
        }
      }
    };

    await redeemEach(2);
    for (const c of tills) await c.waitForStatus(drained, 'the first redemptions to sync');
    const backup = path.join(tempDir('omo-hub-backup-').dir, 'hub-backup.sqlite');
    const taken = await backupSqlite(dataDir, backup);
    expect(taken.generation).toBe(0);

    // After the backup: answered by the hub (synced on the tills), then lost with the restore.
    await redeemEach(3);
    for (const c of tills) await c.waitForStatus(drained, 'the later redemptions to sync');
    expect(await hubDb.t.db('redemptions').whereIn('id', confirmed).count({ n: '*' }).first()).toEqual({
      n: 15,
    });

    await hub.close();
    hub = null;
    for (const c of tills) await c.waitForStatus((s) => s.connection === 'offline', 'offline');
    // Redeemed while the hub is down for its restore: still queued.
    await redeemEach(1);
    const generation = await restoreSqlite(dataDir, backup, () => openHubDb({ dataDir }));
    expect(generation).toBe(1);
    // The test's own connection still reads the replaced file: read the restored one afresh.
    const restored = await openHubDb({ dataDir });
    cleanups.push(() => restored.destroy());
    expect(await restored('redemptions').whereIn('id', confirmed).count({ n: '*' }).first()).toEqual({
      n: 6,
    });

    hub = await start(port);
    for (const c of tills)
      await c.waitForStatus(drained, 'the tills to re-sync with the restored hub', 20_000);

    const atHub = (await restored('redemptions')
      .whereIn('id', confirmed)
      .select('id', 'claim_id', 'status')) as { id: string; claim_id: string; status: string }[];
    expect(atHub.map((r) => r.id).sort()).toEqual([...confirmed].sort());
    expect(atHub.every((r) => r.status === 'applied')).toBe(true);
    // Exactly once: one redemption per claim, one mutation row per confirmed id.
    expect(new Set(atHub.map((r) => r.claim_id)).size).toBe(confirmed.length);
    const mutations = (await restored('mutations').whereIn('id', confirmed).pluck('id')) as string[];
    expect(mutations.sort()).toEqual([...confirmed].sort());
    // Each till now holds the restored hub's epoch and has every entry answered.
    for (const c of tills) {
      const [epoch] = peekConsole<{ value: string }>(
        c.dataDir,
        `SELECT value FROM meta WHERE key = 'hubEpoch'`,
      );
      expect(epoch!.value).toBe(`${taken.id}:1`);
      const statuses = peekConsole<{ status: string }>(c.dataDir, 'SELECT status FROM outbox');
      expect(statuses.every((s) => s.status === 'synced')).toBe(true);
    }
  }, 120_000);
});
