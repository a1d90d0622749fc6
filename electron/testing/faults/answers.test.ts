/**
 * The console's view of the hub's per-mutation answers (the hub's own side is tested in
 * backend-sync/hub/realtime/push.test.ts):
 * - the same mutation pushed twice (its first answers lost before they were stored) is applied
 *   once, and the console records the first answer the duplicate carries;
 * - a redemption the hub rejects is shown `rejected`, is not retried, and the redemptions queued
 *   behind it in the same push still reach `synced`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../backend-sync/domain/clock';
import { testDbKinds } from '../../../backend-sync/hub/testing/databases';
import { insertClaims, type FixtureClaim } from '../../../backend-sync/hub/testing/fixtures';
import { startHubHarness, type HubHarness } from '../integration/harness';
import { drained, enrolledConsole, openFaultConsole, peekConsole } from './setup';

describe.each(testDbKinds())('hub answers as the console sees them (%s)', (kind) => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  /** The harness hub plus fresh claims (the fixture's own have expired by now). */
  async function hub(): Promise<HubHarness & { onlyA: FixtureClaim[]; everywhere: FixtureClaim[] }> {
    const h = await startHubHarness(kind);
    cleanups.push(() => h.close());
    const { brandId, branchA, coupons } = h.fixture;
    const fresh = (couponId: string, branchIds: string[], prefix: string) =>
      insertClaims(h.t.db, systemClock, { brandId, couponId, branchIds, prefix, count: 3 });
    return Object.assign(h, {
      onlyA: await fresh(coupons.onlyA, [branchA], 'ans-a'),
      everywhere: await fresh(coupons.everywhere, [], 'ans-all'),
    });
  }

  it('applies a mutation pushed twice once, and stores the first answer the duplicate carries', async () => {
    const h = await hub();
    const enrolled = await enrolledConsole(h.url, h.fixture.devices.a1.pairingCode, 'Till A1');
    await enrolled.close();
    cleanups.push(enrolled.remove);

    // The first push's answers arrive but are lost before they are stored (a crash there).
    let loseAnswers = false;
    let pushes = 0;
    const c = await openFaultConsole(enrolled.dataDir, (point) => {
      if (!loseAnswers) return;
      if (point === 'sync:before-push') pushes += 1;
      if (point === 'sync:after-push-ack' && pushes === 1)
        throw new Error('answers lost before they were stored');
    });
    cleanups.push(() => c.close());
    const { staffCode, pin } = h.fixture.staff.associateA;
    await c.call('session.signIn', { staffCode, pin });
    await c.waitForStatus(drained, 'the sign-in to sync');

    loseAnswers = true;
    const target = h.everywhere[0]!;
    const redeemed = await c.call('till.redeem', { claimId: target.id, scannedCode: target.code });
    await c.waitForStatus(drained, 'the redemption to sync after the retry');

    expect(pushes).toBe(2);
    expect(await h.t.db('mutations').where({ id: redeemed.id }).pluck('id')).toEqual([redeemed.id]);
    expect(await h.t.db('redemptions').where({ claim_id: target.id }).select('id', 'status')).toEqual([
      { id: redeemed.id, status: 'applied' },
    ]);
    const [entry] = peekConsole<{ status: string; outcome: string }>(
      enrolled.dataDir,
      'SELECT status, outcome FROM outbox WHERE id = ?',
      redeemed.id,
    );
    expect(entry!.status).toBe('synced');
    expect(JSON.parse(entry!.outcome)).toEqual({ status: 'applied' });
    expect((await c.call('till.history', { scope: 'device' })).items).toMatchObject([
      { id: redeemed.id, syncState: 'synced' },
    ]);
  });

  it('shows a rejected redemption as rejected, never retries it, and syncs the ones queued behind it', async () => {
    const h = await hub();
    const c = await enrolledConsole(h.url, h.fixture.devices.a1.pairingCode, 'Till A1');
    cleanups.push(c.remove, () => c.close());
    const { staffCode, pin } = h.fixture.staff.associateA;
    await c.call('session.signIn', { staffCode, pin });
    await c.waitForStatus(drained, 'the sign-in to sync');

    // Offline, the till redeems a branch-A coupon first and two brand-wide ones behind it…
    await h.stop();
    await c.waitForStatus((s) => s.connection === 'offline', 'offline');
    const first = h.onlyA[0]!;
    const behind = h.everywhere.slice(0, 2);
    const rejected = await c.call('till.redeem', { claimId: first.id, scannedCode: first.code });
    const synced = [];
    for (const claim of behind)
      synced.push(await c.call('till.redeem', { claimId: claim.id, scannedCode: claim.code }));
    // …while an admin moved that coupon to branch B (the till has not heard of it yet).
    await h.t
      .db('coupons')
      .where({ id: h.fixture.coupons.onlyA })
      .update({ branch_ids: JSON.stringify([h.fixture.branchB]) });

    await h.start();
    const after = await c.waitForStatus(
      (s) => drained(s) && s.rejected === 1,
      'drained with one rejection',
      15_000,
    );
    expect(after).toMatchObject({ queued: 0, rejected: 1 });

    const history = await c.call('till.history', { scope: 'device' });
    const state = new Map(history.items.map((i) => [i.id, i.syncState]));
    expect(state.get(rejected.id)).toBe('rejected');
    expect(synced.map((r) => state.get(r.id))).toEqual(['synced', 'synced']);
    const [answer] = peekConsole<{ status: string; outcome: string }>(
      c.dataDir,
      'SELECT status, outcome FROM outbox WHERE id = ?',
      rejected.id,
    );
    expect(answer!.status).toBe('rejected');
    expect(JSON.parse(answer!.outcome)).toMatchObject({ status: 'rejected', code: 'BRANCH_MISMATCH' });
    expect(
      await h.t
        .db('redemptions')
        .whereIn(
          'claim_id',
          behind.map((b) => b.id),
        )
        .pluck('status'),
    ).toEqual(['applied', 'applied']);

    // Another full round does not send it again.
    const received = await h.t.db('mutations').where({ id: rejected.id }).first('received_at');
    await c.call('sync.now');
    expect(await h.t.db('mutations').where({ id: rejected.id }).first('received_at')).toEqual(received);
    expect(await c.call('sync.status')).toMatchObject({ queued: 0, rejected: 1 });
  });
});
