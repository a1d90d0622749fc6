/**
 * Console core + the real hub over socket.io on loopback, with real SQLite files: enrollment,
 * first sync with progress, sign-in online and offline, the outbox draining exactly once after a
 * hub restart, branch scoping and pokes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, uuidV7 } from '../../../backend-sync/domain/clock';
import { ErrorCode } from '../../../backend-sync/domain/errors';
import { testDbKinds } from '../../../backend-sync/hub/testing/databases';
import {
  FIXTURE_TIME,
  insertBranch,
  insertBrand,
  insertDevice,
  insertStaff,
} from '../../../backend-sync/hub/testing/fixtures';
import type { SyncStatus } from '../../core/consoleApi/contract';
import { createKeyfileSecretStore } from '../../core/secrets/keyfile';
import { enqueue } from '../../core/outbox/outbox';
import { DB_FILE_NAME, openConsoleDb } from '../../core/store/db';
import { writeTransaction } from '../../core/store/transaction';
import { waitFor } from '../temp';
import { openTestConsole, startHubHarness, type HubHarness, type TestConsole } from './harness';

/** Reads the console's local database from the side, as a second (read-only) connection. */
function peek<T>(dataDir: string, sql: string): T[] {
  const db = new Database(path.join(dataDir, DB_FILE_NAME), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

describe.each(testDbKinds())('console core against the real hub (%s)', (kind) => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function hub(): Promise<HubHarness> {
    const h = await startHubHarness(kind);
    cleanups.push(() => h.close());
    return h;
  }

  async function consoleApp(dataDir?: string, sync = {}): Promise<TestConsole & { remove(): void }> {
    const c = await openTestConsole(dataDir, sync);
    cleanups.push(c.remove, () => c.close());
    return c;
  }

  const drained = (s: SyncStatus) => s.connection === 'online' && s.queued === 0 && s.lastSyncAt !== null;

  it('enrolls, syncs with progress, signs in online and offline, and drains the queue exactly once after a hub restart', async () => {
    const h = await hub();
    const c = await consoleApp(undefined, { pullPageSize: 5, pullTransactionMs: 0 });
    const { devices, staff } = h.fixture;

    expect(await c.call('sync.status')).toMatchObject({ connection: 'not_enrolled', queued: 0 });
    await expect(
      c.call('session.signIn', { staffCode: staff.associateA.staffCode, pin: staff.associateA.pin }),
    ).rejects.toMatchObject({
      code: ErrorCode.NOT_ENROLLED,
    });
    await expect(
      c.call('enrollment.enroll', { hubUrl: h.url, pairingCode: 'NO-SUCH-CODE', deviceName: 'Till 1' }),
    ).rejects.toMatchObject({ code: ErrorCode.PAIRING_CODE_INVALID });
    await expect(
      c.call('enrollment.enroll', {
        hubUrl: 'http://127.0.0.1:9',
        pairingCode: devices.a1.pairingCode,
        deviceName: 'Till 1',
      }),
    ).rejects.toMatchObject({ code: ErrorCode.HUB_UNREACHABLE });

    const info = await c.call('enrollment.enroll', {
      hubUrl: h.url + '/',
      pairingCode: devices.a1.pairingCode.toLowerCase(),
      deviceName: 'Till 1',
    });
    expect(info).toMatchObject({
      enrolled: true,
      deviceId: devices.a1.id,
      branchName: 'Branch A',
      brandName: 'Fixture Tea',
      hubUrl: h.url,
    });
    await expect(
      c.call('enrollment.enroll', {
        hubUrl: h.url,
        pairingCode: devices.a2.pairingCode,
        deviceName: 'Again',
      }),
    ).rejects.toMatchObject({ code: ErrorCode.ALREADY_ENROLLED });

    const synced = await c.waitForStatus((s) => drained(s) && s.firstSync === null, 'first sync to finish');
    expect(synced.lastErrorCode).toBeNull();
    // The first sync reported its progress page by page, ending at received = total.
    const progress = c.events
      .filter((e) => e.name === 'sync.status')
      .map((e) => (e.payload as SyncStatus).firstSync)
      .filter((p): p is NonNullable<SyncStatus['firstSync']> => p !== null && p.total > 0);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)!.received).toBe(progress.at(-1)!.total);
    expect(progress[0]!.received).toBeLessThan(progress[0]!.total);

    // The device token is in console.sqlite only sealed (see the next test for the bytes on disk).
    const sealed = peek<{ value: string }>(
      c.dataDir,
      "SELECT value FROM meta WHERE key = 'sealedDeviceToken'",
    )[0]!.value;
    expect(sealed.startsWith('k1:')).toBe(true);

    // Sign in online: the staff.signin mutation reaches the hub.
    const session = await c.call('session.signIn', {
      staffCode: staff.associateA.staffCode.toLowerCase(),
      pin: staff.associateA.pin,
    });
    expect(session).toMatchObject({ id: staff.associateA.id, branchId: h.fixture.branchA });
    await waitFor(
      async () =>
        (await h.t.db('mutations').where({ device_id: devices.a1.id, kind: 'staff.signin' })).length === 1,
      'the sign-in to reach the hub',
    );
    await c.waitForStatus(drained, 'the queue to drain');

    // The hub stops: the console notices within 5 s.
    await h.stop();
    const offline = await c.waitForStatus(
      (s) => s.connection === 'offline',
      'offline after the hub stopped',
      5000,
    );
    expect(offline.offlineSince).not.toBeNull();
    // Redeeming stops 72 hours (the brand's default limit) after the hub went away.
    expect(Date.parse(offline.offlineRedeemUntil!) - Date.parse(offline.offlineSince!)).toBe(72 * 3_600_000);

    // Sign-in works offline; the mutation waits in the outbox.
    await c.call('session.signOut');
    await c.call('session.signIn', { staffCode: staff.managerA.staffCode, pin: staff.managerA.pin });
    await c.waitForStatus((s) => s.queued === 1 && s.connection === 'offline', 'one queued mutation');

    // The console restarts while offline: it still knows since when, and what is queued.
    await c.close();
    const again = await consoleApp(c.dataDir);
    const afterRestart = await again.waitForStatus(
      (s) => s.connection === 'offline',
      'offline after restart',
    );
    expect(afterRestart).toMatchObject({ offlineSince: offline.offlineSince, queued: 1 });
    expect(await again.call('session.get')).toBeNull();

    // The hub comes back on the same port: online, the queue drains, every mutation once.
    await h.start();
    await again.waitForStatus(
      (s) => drained(s) && s.offlineSince === null && s.offlineRedeemUntil === null,
      'online and drained after the hub restart',
      10_000,
    );
    const outbox = peek<{ id: string; status: string }>(
      again.dataDir,
      'SELECT id, status FROM outbox ORDER BY seq',
    );
    expect(outbox.map((o) => o.status)).toEqual(['synced', 'synced']);
    const atHub = (await h.t.db('mutations').where({ device_id: devices.a1.id }).select('id')) as {
      id: string;
    }[];
    expect(atHub.map((m) => m.id).sort()).toEqual(outbox.map((o) => o.id).sort());
  });

  it('keeps the device token out of console.sqlite in plain text', async () => {
    const h = await hub();
    const c = await consoleApp();
    // Open the sealed token with the device's key, then look for it in the database files' bytes.
    await c.call('enrollment.enroll', {
      hubUrl: h.url,
      pairingCode: h.fixture.devices.a1.pairingCode,
      deviceName: 'Till',
    });
    await c.waitForStatus(drained, 'first sync');
    const meta = peek<{ key: string; value: string }>(c.dataDir, 'SELECT key, value FROM meta');
    const sealed = meta.find((m) => m.key === 'sealedDeviceToken')!.value;
    const token = createKeyfileSecretStore(c.dataDir).open(sealed);
    expect(token.length).toBeGreaterThan(20);
    for (const file of [DB_FILE_NAME, `${DB_FILE_NAME}-wal`]) {
      const bytes = (() => {
        try {
          return readFileSync(path.join(c.dataDir, file));
        } catch {
          return Buffer.alloc(0);
        }
      })();
      expect(bytes.includes(Buffer.from(token))).toBe(false);
    }
  });

  it("never gives a device another branch's staff, while claims reach every branch", async () => {
    const h = await hub();
    const a = await consoleApp();
    const b = await consoleApp();
    const { devices, staff, fixture } = { ...h.fixture, fixture: h.fixture };
    await a.call('enrollment.enroll', {
      hubUrl: h.url,
      pairingCode: devices.a1.pairingCode,
      deviceName: 'Till A',
    });
    await b.call('enrollment.enroll', {
      hubUrl: h.url,
      pairingCode: devices.b1.pairingCode,
      deviceName: 'Till B',
    });
    await a.waitForStatus(drained, 'device A synced');
    await b.waitForStatus(drained, 'device B synced');

    const staffOf = (c: TestConsole) =>
      peek<{ id: string }>(c.dataDir, 'SELECT id FROM staff ORDER BY id').map((r) => r.id);
    expect(staffOf(b)).toEqual([staff.admin.id, staff.associateB.id].sort());
    expect(staffOf(a)).toEqual([staff.admin.id, staff.associateA.id, staff.managerA.id].sort());
    const couponsOfClaims = (c: TestConsole) =>
      [
        ...new Set(
          peek<{ coupon_id: string }>(c.dataDir, 'SELECT coupon_id FROM claims').map((r) => r.coupon_id),
        ),
      ].sort();
    // Claims are brand-wide (a till must say where another branch's coupon is valid); staff are not.
    const allCoupons = [fixture.coupons.onlyA, fixture.coupons.onlyB, fixture.coupons.everywhere].sort();
    expect(couponsOfClaims(b)).toEqual(allCoupons);
    expect(couponsOfClaims(a)).toEqual(allCoupons);

    await expect(
      b.call('session.signIn', { staffCode: staff.associateA.staffCode, pin: staff.associateA.pin }),
    ).rejects.toMatchObject({
      code: ErrorCode.SIGNIN_FAILED,
    });
    await expect(
      b.call('session.signIn', { staffCode: staff.associateB.staffCode, pin: staff.associateB.pin }),
    ).resolves.toMatchObject({
      id: staff.associateB.id,
    });
    await expect(
      b.call('session.signIn', { staffCode: staff.admin.staffCode, pin: staff.admin.pin }),
    ).resolves.toMatchObject({
      id: staff.admin.id,
    });
  });

  it('pulls an admin-side change as soon as the hub pokes', async () => {
    const h = await hub();
    const c = await consoleApp();
    await c.call('enrollment.enroll', {
      hubUrl: h.url,
      pairingCode: h.fixture.devices.a1.pairingCode,
      deviceName: 'Till',
    });
    await c.waitForStatus(drained, 'first sync');

    await insertStaff(h.t.db, manualClock(FIXTURE_TIME), {
      id: 'staff-new-a',
      brandId: h.fixture.brandId,
      branchId: h.fixture.branchA,
      role: 'sales_associate',
      staffCode: 'A777',
      pin: '7777',
    });
    const started = Date.now();
    h.hub.notifyChanges(h.fixture.brandId);
    await waitFor(
      () => peek(c.dataDir, "SELECT id FROM staff WHERE id = 'staff-new-a'").length === 1,
      'the new staff member to arrive',
      2000,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(c.call('session.signIn', { staffCode: 'a777', pin: '7777' })).resolves.toMatchObject({
      id: 'staff-new-a',
    });
  });

  it("gives the screens the brand's English date locale: en-HK until the back office sets another", async () => {
    const h = await hub();
    const c = await consoleApp();
    await c.call('enrollment.enroll', {
      hubUrl: h.url,
      pairingCode: h.fixture.devices.a1.pairingCode,
      deviceName: 'Till',
    });
    await c.waitForStatus(drained, 'first sync');
    expect(await c.call('enrollment.get')).toMatchObject({ timeZone: 'Asia/Taipei', englishLocale: 'en-HK' });

    const res = await fetch(`${h.url}/api/admin/brands/${h.fixture.brandId}/settings`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({ englishLocale: 'en-US' }),
    });
    expect(res.status).toBe(200);
    await waitFor(
      async () => (await c.call('enrollment.get')).englishLocale === 'en-US',
      'the new locale to arrive',
    );
  });

  it('shows the refusal code when the hub revokes the device', async () => {
    const h = await hub();
    const c = await consoleApp();
    await c.call('enrollment.enroll', {
      hubUrl: h.url,
      pairingCode: h.fixture.devices.a1.pairingCode,
      deviceName: 'Till',
    });
    await c.waitForStatus(drained, 'first sync');
    await h.t.db('devices').where({ id: h.fixture.devices.a1.id }).update({ revoked: true });
    await c.call('sync.now');
    const refused = await c.waitForStatus(
      (s) => s.connection === 'offline' && s.lastErrorCode === 'DEVICE_REVOKED',
      'the revocation to show',
    );
    expect(refused.offlineSince).not.toBeNull();
  });

  it('refuses to re-enroll into another brand while changes wait unsent, leaving that code usable', async () => {
    const h = await hub();
    const c = await consoleApp();
    const { devices, staff } = h.fixture;
    const clock = manualClock(FIXTURE_TIME);
    await insertBrand(h.t.db, clock, { id: 'brand-other', name: 'Other Coffee' });
    await insertBranch(h.t.db, clock, { id: 'branch-o', brandId: 'brand-other', name: 'Other O', code: 'O' });
    const otherTill = await insertDevice(h.t.db, clock, {
      id: 'device-o1',
      brandId: 'brand-other',
      branchId: 'branch-o',
      pairingCode: 'OTHR-0001',
    });
    await c.call('enrollment.enroll', {
      hubUrl: h.url,
      pairingCode: devices.a1.pairingCode,
      deviceName: 'Till',
    });
    await c.waitForStatus(drained, 'first sync');
    await h.stop();
    await c.waitForStatus((s) => s.connection === 'offline', 'offline');
    // An offline sign-in is a change the hub has not seen yet.
    await c.call('session.signIn', { staffCode: staff.managerA.staffCode, pin: staff.managerA.pin });
    await c.waitForStatus((s) => s.queued === 1, 'the sign-in queued');
    await c.call('enrollment.leave');
    await h.start();

    await expect(
      c.call('enrollment.enroll', { hubUrl: h.url, pairingCode: otherTill.pairingCode, deviceName: 'Till' }),
    ).rejects.toMatchObject({
      code: ErrorCode.ENROLL_OTHER_BRAND,
      details: { queued: 1, brandName: 'Fixture Tea' },
    });
    // Nothing written on either side: still not enrolled, the change still queued, and the other
    // brand's code still good for a till of that brand.
    expect(await c.call('enrollment.get')).toMatchObject({ enrolled: false, brandName: 'Fixture Tea' });
    expect(await c.call('sync.status')).toMatchObject({ queued: 1 });
    expect(await h.t.db('devices').where({ id: otherTill.id }).first()).toMatchObject({
      pairing_code: otherTill.pairingCode,
      token_hash: null,
    });

    // A code of its own brand takes it back, and the queued sign-in reaches the hub once.
    await c.call('enrollment.enroll', {
      hubUrl: h.url,
      pairingCode: devices.a2.pairingCode,
      deviceName: 'Till',
    });
    await c.waitForStatus(drained, 'the queue to drain after enrolling again');
    const signIns = await h.t.db('mutations').where({ device_id: devices.a2.id, kind: 'staff.signin' });
    expect(signIns).toHaveLength(1);
  });

  it('keeps a rejected mutation aside without blocking the ones behind it, and drains a long queue in batches', async () => {
    const h = await hub();
    const c = await consoleApp();
    const { devices, staff } = h.fixture;
    await c.call('enrollment.enroll', {
      hubUrl: h.url,
      pairingCode: devices.a1.pairingCode,
      deviceName: 'Till',
    });
    await c.waitForStatus(drained, 'first sync');
    await h.stop();
    await c.waitForStatus((s) => s.connection === 'offline', 'offline');

    // Offline: associate A signs in; meanwhile the hub deactivates them (the device cannot know).
    await c.call('session.signIn', { staffCode: staff.associateA.staffCode, pin: staff.associateA.pin });
    await h.t.db('staff').where({ id: staff.associateA.id }).update({ active: false });
    // …and 520 more pile up behind it: more than the hub takes in one push (written straight
    // into the outbox while the core is closed, to keep the test fast).
    await c.close();
    const db = await openConsoleDb({ dataDir: c.dataDir });
    const clock = manualClock('2026-03-02T09:00:00.000Z');
    for (let i = 0; i < 520; i++) {
      await writeTransaction(db, (trx) =>
        enqueue(
          trx,
          'staff.signin',
          { staffId: staff.managerA.id, signedInAt: clock.now().toISOString() },
          {
            clock,
            ids: uuidV7,
          },
        ),
      );
    }
    await db.destroy();

    const again = await consoleApp(c.dataDir);
    await again.waitForStatus((s) => s.queued === 521, 'the whole queue after restart');
    await h.start();
    const done = await again.waitForStatus(drained, 'the queue to drain', 15_000);
    expect(done).toMatchObject({ queued: 0, rejected: 1, conflicts: 0 });
    const outbox = peek<{ id: string; status: string; outcome: string }>(
      again.dataDir,
      'SELECT id, status, outcome FROM outbox ORDER BY seq',
    );
    expect(outbox[0]).toMatchObject({ status: 'rejected' });
    expect(JSON.parse(outbox[0]!.outcome)).toMatchObject({ status: 'rejected', code: 'STAFF_INACTIVE' });
    expect(outbox.slice(1).every((o) => o.status === 'synced')).toBe(true);
    const atHub = (await h.t.db('mutations').where({ device_id: devices.a1.id }).select('id')) as {
      id: string;
    }[];
    expect(atHub).toHaveLength(521);
    expect(new Set(atHub.map((m) => m.id))).toEqual(new Set(outbox.map((o) => o.id)));
  });
});
