/**
 * A till whose sealed device token cannot be opened any more (the OS key store changed, the key
 * file was lost): it says so and offers enrollment; an administrator re-enrolls the device in the
 * back office (a new device linked to the old one, with a new pairing code); the till enrolls with
 * it keeping its outbox, and its queued redemptions arrive at the hub exactly once.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createHub, type Hub } from '../../../backend-sync/hub/server';
import { DB_FILE_NAME } from '../../core/store/db';
import { openTestConsole } from '../integration/harness';
import { drained, enrolledConsole, peekConsole, replayOutbox, seedFaultHubDb } from './setup';

const ADMIN_TOKEN = 'fault-admin-token';

describe('lost device credentials', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('corrupt sealed token: the till says so, is re-enrolled with a new code, and its queued redemptions arrive exactly once', async () => {
    const hubDb = await seedFaultHubDb(10);
    cleanups.push(() => hubDb.t.close());
    const { fixture } = hubDb;
    const start = (port: number) =>
      createHub({
        port,
        dataDir: hubDb.t.options.dataDir,
        databaseUrl: '',
        logLevel: 'silent',
        adminToken: ADMIN_TOKEN,
      });
    let hub: Hub | null = await start(0);
    cleanups.push(() => hub?.close());
    const port = hub.port;

    const first = await enrolledConsole(hub.url, fixture.devices.a1.pairingCode, 'Till A1');
    cleanups.push(first.remove);
    const { staffCode, pin } = fixture.staff.associateA;
    await first.call('session.signIn', { staffCode, pin });
    const claims = [...hubDb.claims];
    const confirmed: string[] = [];
    const redeem = async (c: Pick<typeof first, 'call'>) => {
      const claim = claims.shift()!;
      confirmed.push((await c.call('till.redeem', { claimId: claim.id, scannedCode: claim.code })).id);
    };
    await redeem(first);
    await redeem(first);
    await first.waitForStatus(drained, 'two redemptions to sync');

    // The hub goes away; three more are confirmed offline and wait in the outbox.
    await hub.close();
    hub = null;
    await first.waitForStatus((s) => s.connection === 'offline', 'offline');
    for (let i = 0; i < 3; i++) await redeem(first);
    await first.close();

    // The sealed token no longer opens (what a changed OS key store does to it).
    const db = new Database(path.join(first.dataDir, DB_FILE_NAME));
    db.prepare(`UPDATE meta SET value = 'v1:corrupted' WHERE key = 'sealedDeviceToken'`).run();
    db.close();

    hub = await start(port);
    const till = await openTestConsole(first.dataDir, { reconnectDelayMs: 20, reconnectDelayMaxMs: 200 });
    cleanups.push(() => till.close());
    expect(await till.call('enrollment.get')).toMatchObject({ enrolled: false, credentialsUnreadable: true });
    expect(await till.call('sync.status')).toMatchObject({
      lastErrorCode: 'CREDENTIALS_UNREADABLE',
      queuedRedemptions: 3,
    });

    // The back office re-enrolls the device: a new one, linked to the old, with a new code.
    const res = await fetch(`${hub.url}/api/admin/devices/${fixture.devices.a1.id}/reenroll`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(201);
    const replacement = (await res.json()) as { id: string; pairingCode: string; replacesDeviceId: string };
    expect(replacement.replacesDeviceId).toBe(fixture.devices.a1.id);

    await till.call('enrollment.enroll', {
      hubUrl: hub.url,
      pairingCode: replacement.pairingCode,
      deviceName: 'Till A1',
    });
    await till.waitForStatus(drained, 'the queue to drain under the new device', 15_000);

    const atHub = (await hubDb.t
      .db('redemptions')
      .whereIn('id', confirmed)
      .select('id', 'claim_id', 'status', 'device_id')) as Record<string, string>[];
    expect(atHub.map((r) => r.id).sort()).toEqual([...confirmed].sort());
    expect(atHub.every((r) => r.status === 'applied')).toBe(true);
    expect(new Set(atHub.map((r) => r.claim_id)).size).toBe(confirmed.length);
    // The offline three came from the new device, under the sign-in made on the old one.
    expect(atHub.filter((r) => r.device_id === replacement.id)).toHaveLength(3);
    const outbox = peekConsole<{ status: string }>(first.dataDir, 'SELECT status FROM outbox');
    expect(outbox.every((o) => o.status === 'synced')).toBe(true);
    // The whole outbox again, as the new device: every entry a duplicate, nothing applied twice.
    const again = await replayOutbox(hub.url, first.dataDir);
    expect(again.map((r) => r.status)).toEqual(again.map(() => 'duplicate'));
    // The old device is revoked; the device list shows the link.
    const listed = await fetch(`${hub.url}/api/admin/brands/${fixture.brandId}/devices`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const devices = (
      (await listed.json()) as { items: { id: string; state: string; replacesDeviceId: string | null }[] }
    ).items;
    expect(devices.find((d) => d.id === fixture.devices.a1.id)?.state).toBe('revoked');
    expect(devices.find((d) => d.id === replacement.id)).toMatchObject({
      state: 'enrolled',
      replacesDeviceId: fixture.devices.a1.id,
    });
  }, 90_000);
});
