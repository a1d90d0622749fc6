/**
 * SPEC §2.1 "Conflicts", the harder order (the same-branch case is in till/till.int.test.ts):
 * tills of two DIFFERENT branches redeem one brand-wide claim while the hub is down, and the
 * EARLIER redemption reaches the hub SECOND. The hub first applies the later one (the claim was
 * free), then gives the claim to the earlier one and turns the first into a conflict; the
 * losing till shows it in "needs attention", and the conflict row reaches the winning till.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../backend-sync/domain/clock';
import { testDbKinds } from '../../../backend-sync/hub/testing/databases';
import { insertClaims } from '../../../backend-sync/hub/testing/fixtures';
import type { SyncStatus } from '../../core/consoleApi/contract';
import { openTestConsole, startHubHarness, type TestConsole } from '../integration/harness';
import { waitFor } from '../temp';
import { drained, enrolledConsole, peekConsole } from './setup';

describe.each(testDbKinds())('two branches redeem one claim offline (%s)', (kind) => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('applies the earlier one even when it arrives second; the conflict reaches both tills', async () => {
    const h = await startHubHarness(kind);
    cleanups.push(() => h.close());
    const { brandId, coupons, devices, staff } = h.fixture;
    const [target] = await insertClaims(h.t.db, systemClock, {
      brandId,
      couponId: coupons.everywhere,
      branchIds: [],
      prefix: 'both',
      count: 1,
    });
    const tillA = await enrolledConsole(h.url, devices.a1.pairingCode, 'Till A1');
    cleanups.push(tillA.remove, () => tillA.close());
    const tillB = await enrolledConsole(h.url, devices.b1.pairingCode, 'Till B1');
    cleanups.push(tillB.remove, () => tillB.close());
    await tillA.call('session.signIn', { staffCode: staff.associateA.staffCode, pin: staff.associateA.pin });
    await tillB.call('session.signIn', { staffCode: staff.associateB.staffCode, pin: staff.associateB.pin });
    for (const c of [tillA, tillB]) await c.waitForStatus(drained, 'the sign-in to sync');

    await h.stop();
    for (const c of [tillA, tillB]) await c.waitForStatus((s) => s.connection === 'offline', 'offline');
    // A redeems first (or in the same millisecond: then device-a1 < device-b1 breaks the tie).
    const earlier = await tillA.call('till.redeem', { claimId: target!.id, scannedCode: target!.code });
    const later = await tillB.call('till.redeem', { claimId: target!.id, scannedCode: target!.code });

    // Till A is switched off; B reaches the hub first and its (later) redemption is applied.
    await tillA.close();
    await h.start();
    await tillB.waitForStatus(drained, 'B to drain', 10_000);
    expect(await h.t.db('redemptions').where({ claim_id: target!.id }).select('id', 'status')).toEqual([
      { id: later.id, status: 'applied' },
    ]);

    // Till A starts again and pushes the earlier one: it takes the claim, B's becomes the conflict.
    const tillA2: TestConsole = await openTestConsole(tillA.dataDir, {
      reconnectDelayMs: 20,
      reconnectDelayMaxMs: 200,
      roundRetryMs: 50,
    });
    cleanups.push(() => tillA2.close());
    await tillA2.waitForStatus(drained, 'A to drain', 10_000);
    const atHub = new Map(
      (
        (await h.t.db('redemptions').where({ claim_id: target!.id }).select('id', 'status')) as {
          id: string;
          status: string;
        }[]
      ).map((r) => [r.id, r.status]),
    );
    expect(atHub).toEqual(
      new Map([
        [earlier.id, 'applied'],
        [later.id, 'conflict'],
      ]),
    );
    expect((await h.t.db('claims').where({ id: target!.id }).first()).redemption_id).toBe(earlier.id);

    // Till B: its redemption, first answered `applied`, is now a conflict in needs attention,
    // naming the winner. A's redemption row is replicated to branch A only, so B takes the
    // winner's who/when/where from the pulled claim's holder. (B has no branch-A staff rows, so the
    // winner's staff shows as the id.)
    await tillB.waitForStatus((s: SyncStatus) => drained(s) && s.conflicts === 1, 'B: one conflict', 10_000);
    const attention = await waitFor(async () => {
      const list = await tillB.call('attention.list');
      return list.length === 1 ? list : null;
    }, 'B: needs attention to list the conflict');
    const winner = {
      winnerAt: earlier.redeemedAt,
      winnerBranchName: 'Branch A',
      winnerDeviceName: earlier.deviceName,
      resolution: null,
    };
    expect(earlier.deviceName).not.toBe(devices.a1.id);
    expect(attention![0]).toMatchObject({
      id: later.id,
      ownDevice: true,
      syncState: 'conflict',
      conflict: { ...winner, winnerStaffName: staff.associateA.id },
    });
    expect((await tillB.call('till.history', { scope: 'device' })).items).toMatchObject([
      { id: later.id, syncState: 'conflict' },
    ]);

    // Till A: its own redemption synced, and the hub's conflict row (replicated to the winner's
    // branch too) has reached it: A's needs attention lists it as well (a manager of either branch
    // may resolve it), with the winner named from A's own row.
    expect((await tillA2.call('till.history', { scope: 'device' })).items).toMatchObject([
      { id: earlier.id, syncState: 'synced', ownDevice: true },
    ]);
    await waitFor(
      () =>
        peekConsole<{ state: string; winner_id: string }>(
          tillA.dataDir,
          'SELECT state, winner_id FROM till_redemptions WHERE id = ?',
          later.id,
        )[0]?.state === 'conflict',
      "A to receive B's conflict",
    );
    expect(
      peekConsole(tillA.dataDir, 'SELECT state, winner_id, own FROM till_redemptions WHERE id = ?', later.id),
    ).toEqual([{ state: 'conflict', winner_id: earlier.id, own: 0 }]);
    await tillA2.waitForStatus((s: SyncStatus) => s.conflicts === 1, 'A: one conflict', 10_000);
    expect(await tillA2.call('attention.list')).toMatchObject([
      {
        id: later.id,
        ownDevice: false,
        syncState: 'conflict',
        branchName: 'Branch B',
        conflict: { ...winner, winnerStaffName: earlier.staffName },
      },
    ]);
  });
});
