/**
 * The till against the real hub over socket.io on loopback, with real SQLite files: a redemption
 * made online syncs and holds the claim at the hub exactly once; two tills of one branch that
 * redeem the same claim while the hub is down both see the conflict once it is back, and a
 * manager's decision reaches the hub and the other till.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../backend-sync/domain/clock';
import { testDbKinds } from '../../../backend-sync/hub/testing/databases';
import { insertClaims, type FixtureClaim } from '../../../backend-sync/hub/testing/fixtures';
import type { SyncStatus } from '../consoleApi/contract';
import {
  openTestConsole,
  startHubHarness,
  type HubHarness,
  type TestConsole,
} from '../../testing/integration/harness';
import { waitFor } from '../../testing/temp';

describe.each(testDbKinds())('till against the real hub (%s)', (kind) => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  /** The hub, with fresh claims: the fixture's were claimed at a fixed past date (now expired). */
  async function hub(): Promise<
    HubHarness & { fresh: { onlyA: FixtureClaim[]; everywhere: FixtureClaim[] } }
  > {
    const h = await startHubHarness(kind);
    cleanups.push(() => h.close());
    const { brandId, branchA, coupons } = h.fixture;
    const fresh = {
      onlyA: await insertClaims(h.t.db, systemClock, {
        brandId,
        couponId: coupons.onlyA,
        branchIds: [branchA],
        prefix: 'ta',
        count: 2,
      }),
      everywhere: await insertClaims(h.t.db, systemClock, {
        brandId,
        couponId: coupons.everywhere,
        branchIds: [],
        prefix: 'te',
        count: 2,
      }),
    };
    return Object.assign(h, { fresh });
  }

  const drained = (s: SyncStatus) => s.connection === 'online' && s.queued === 0 && s.firstSync === null;

  async function till(h: HubHarness, device: 'a1' | 'a2', name: string): Promise<TestConsole> {
    const c = await openTestConsole();
    cleanups.push(c.remove, () => c.close());
    await c.call('enrollment.enroll', {
      hubUrl: h.url,
      pairingCode: h.fixture.devices[device].pairingCode,
      deviceName: name,
    });
    await c.waitForStatus((s) => drained(s) && s.lastSyncAt !== null, `${name} first sync`, 10_000);
    return c;
  }

  const signIn = (c: TestConsole, who: { staffCode: string; pin: string }) =>
    c.call('session.signIn', { staffCode: who.staffCode, pin: who.pin });

  it('redeems online: synced, and the hub holds the claim for this redemption once', async () => {
    const h = await hub();
    const c = await till(h, 'a1', 'Till A1');
    await signIn(c, h.fixture.staff.associateA);
    const target = h.fresh.onlyA[0]!;

    expect(await c.call('till.scan', { input: target.code, origin: 'wedge' })).toMatchObject({
      verdict: 'valid',
      coupon: { id: target.couponId, name: 'Branch A opening' },
    });
    const view = await c.call('till.redeem', { claimId: target.id, scannedCode: target.code });
    expect(view.syncState).toBe('queued');

    await waitFor(
      async () => (await c.call('till.history', { scope: 'device' })).items[0]?.syncState === 'synced',
      'the redemption to sync',
    );
    const claim = await h.t.db('claims').where({ id: target.id }).first();
    expect(claim).toMatchObject({
      redeemed_device_id: h.fixture.devices.a1.id,
      redeemed_staff_id: h.fixture.staff.associateA.id,
    });
    expect(claim.redemption_id).toBe(view.id);
    expect(await h.t.db('redemptions').where({ claim_id: target.id }).select('id', 'status')).toEqual([
      { id: view.id, status: 'applied' },
    ]);
    await waitFor(
      async () =>
        (await c.call('till.scan', { input: target.code, origin: 'wedge' })).redeemed?.pendingSync === false,
      'the scan to show a synced redemption',
    );
    expect(await c.call('sync.status')).toMatchObject({ queued: 0, conflicts: 0 });
  });

  it('two tills redeem one claim offline: both see the conflict after sync; a manager resolves it', async () => {
    const h = await hub();
    const a1 = await till(h, 'a1', 'Till A1');
    const a2 = await till(h, 'a2', 'Till A2');
    const { staff } = h.fixture;
    const target = h.fresh.everywhere[1]!;

    await h.stop();
    await a1.waitForStatus((s) => s.connection === 'offline', 'a1 offline');
    await a2.waitForStatus((s) => s.connection === 'offline', 'a2 offline');
    await signIn(a1, staff.associateA);
    await signIn(a2, staff.managerA);
    const first = await a1.call('till.redeem', { claimId: target.id, scannedCode: target.code });
    const second = await a2.call('till.redeem', { claimId: target.id, scannedCode: target.code });
    expect([first.syncState, second.syncState]).toEqual(['queued', 'queued']);

    await h.start();
    for (const c of [a1, a2]) {
      await c.waitForStatus((s) => drained(s) && s.conflicts === 1, 'online, drained, one conflict', 15_000);
    }
    // The earlier redemption (a1's) holds the claim; a2's is the conflict — on both tills.
    const a1Name = String(
      (await h.t.db('devices').where({ id: h.fixture.devices.a1.id }).first('name')).name,
    );
    for (const c of [a1, a2]) {
      const attention = await waitFor(async () => {
        const list = await c.call('attention.list');
        return list.length === 1 ? list : null;
      }, 'needs attention to list the conflict');
      expect(attention?.[0]).toMatchObject({
        id: second.id,
        syncState: 'conflict',
        conflict: { winnerDeviceName: a1Name, resolution: null },
      });
    }
    expect((await h.t.db('claims').where({ id: target.id }).first()).redemption_id).toBe(first.id);

    // The manager on a2 acknowledges it: gone from both lists once the decision has synced.
    const resolved = await a2.call('attention.resolve', { redemptionId: second.id, decision: 'acknowledge' });
    expect(resolved.conflict?.resolution).toBe('acknowledged');
    for (const c of [a2, a1]) {
      await waitFor(
        async () => (await c.call('attention.list')).length === 0,
        'the conflict to be resolved',
        10_000,
      );
      await c.waitForStatus((s) => drained(s) && s.conflicts === 0, 'no conflicts left', 10_000);
    }
    expect(await h.t.db('redemptions').where({ id: second.id }).first('resolution', 'resolved_by')).toEqual({
      resolution: 'acknowledged',
      resolved_by: staff.managerA.id,
    });
  });
});
