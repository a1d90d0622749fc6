import { afterEach, describe, expect, it } from 'vitest';
import { testDbKinds } from '../../testing/databases';
import { insertBranch, insertStaff } from '../../testing/fixtures';
import {
  connectFixtureDevice,
  recordTestSignIns,
  startTestHub,
  type DeviceClient,
  type TestHub,
} from '../testing';
import { pullAll, push, redeem, redemptionsIn, resolve } from './testing';

describe.each(testDbKinds())('conflict.resolve on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** Branch A redeems a brand-wide claim first; branch B's later redemption is the conflict. */
  async function crossBranchConflict() {
    h = await startTestHub(kind);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const a2 = await connectFixtureDevice(h, f.devices.a2.id);
    const b1 = await connectFixtureDevice(h, f.devices.b1.id);
    const claim = f.claims.everywhere[0]!;
    const winner = redeem(claim, f.staff.associateA.id, '2026-03-01T04:00:00.000Z');
    const loser = redeem(claim, f.staff.associateB.id, '2026-03-01T05:00:00.000Z');
    await push(a1, [winner]);
    expect((await push(b1, [loser])).results[0]!.status).toBe('conflict');
    const cursors = new Map<DeviceClient, number>();
    for (const d of [a1, a2, b1]) cursors.set(d, (await pullAll(d)).cursor);
    /** What a device pulls from now on. */
    const pulledSince = async (d: DeviceClient) => redemptionsIn((await pullAll(d, cursors.get(d))).changes);
    return { h, f, a1, a2, b1, winner, loser, pulledSince };
  }

  it('refuses an associate with FORBIDDEN and changes nothing', async () => {
    const { h, f, a1, b1, loser, pulledSince } = await crossBranchConflict();
    const attempt = resolve(loser.id, f.staff.associateA.id, 'void');
    expect((await push(a1, [attempt])).results[0]).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    const row = await h.t.db('redemptions').where({ id: loser.id }).first();
    expect([row.status, row.resolution, row.resolved_by]).toEqual(['conflict', null, null]);
    expect((await pulledSince(b1)).size).toBe(0);
    expect(await h.t.db('events').where({ kind: 'conflict.resolve' })).toHaveLength(0);
  });

  it("lets the branch's sales manager acknowledge it, and both branches' devices learn it", async () => {
    const { h, f, a1, a2, b1, loser, pulledSince } = await crossBranchConflict();
    h.clock.set('2026-03-01T09:30:00.000Z');
    const ack = resolve(loser.id, f.staff.managerA.id, 'acknowledge', 'customer was served twice, fine');
    expect((await push(a2, [ack])).results[0]).toEqual({ id: ack.id, status: 'applied' });
    expect((await push(a2, [ack])).results[0]).toMatchObject({
      status: 'duplicate',
      first: { status: 'applied' },
    });

    for (const device of [a1, a2, b1]) {
      expect((await pulledSince(device)).get(loser.id)).toMatchObject({
        status: 'conflict',
        resolution: 'acknowledged',
        resolvedBy: f.staff.managerA.id,
        resolvedAt: '2026-03-01T09:30:00.000Z',
      });
    }
    const events = await h.t.db('events').where({ kind: 'conflict.resolve' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ device_id: f.devices.a2.id, staff_id: f.staff.managerA.id });
    expect(JSON.parse(events[0].data)).toMatchObject({
      mutationId: ack.id,
      redemptionId: loser.id,
      decision: 'acknowledge',
      note: 'customer was served twice, fine',
    });
  });

  it('voids a conflict (even one acknowledged before), and a void is final', async () => {
    const { h, f, a1, b1, winner, loser, pulledSince } = await crossBranchConflict();
    await push(a1, [resolve(loser.id, f.staff.managerA.id, 'acknowledge')]);
    const voiding = resolve(loser.id, f.staff.admin.id, 'void');
    expect((await push(b1, [voiding])).results[0]!.status).toBe('applied');
    for (const device of [a1, b1]) {
      expect((await pulledSince(device)).get(loser.id)).toMatchObject({
        status: 'voided',
        resolution: 'voided',
        resolvedBy: f.staff.admin.id,
      });
    }
    // The claim still belongs to the winner.
    const claim = await h.t.db('claims').where({ id: loser.payload.claimId }).first();
    expect(claim.redemption_id).toBe(winner.id);
    const again = await push(a1, [resolve(loser.id, f.staff.managerA.id, 'acknowledge')]);
    expect(again.results[0]).toMatchObject({ status: 'rejected', code: 'CONFLICT_ALREADY_RESOLVED' });
  });

  it('refuses what is not an open conflict one may resolve', async () => {
    const { h, f, a1, b1, winner, loser } = await crossBranchConflict();
    await insertBranch(h.t.db, h.clock, { id: 'branch-c', brandId: f.brandId, name: 'Branch C', code: 'C' });
    const managerC = await insertStaff(h.t.db, h.clock, {
      id: 'staff-mgr-c',
      brandId: f.brandId,
      branchId: 'branch-c',
      role: 'sales_manager',
      staffCode: 'C100',
      pin: '3100',
    });
    await insertStaff(h.t.db, h.clock, {
      id: 'staff-sup-gone',
      brandId: f.brandId,
      branchId: null,
      role: 'supervisor',
      staffCode: 'SUP9',
      pin: '9999',
      active: false,
    });
    await recordTestSignIns(h.t.db, a1.deviceId);
    const { results } = await push(a1, [
      resolve(loser.id, managerC.id, 'void'), // a sales manager of an uninvolved branch
      resolve(loser.id, 'staff-sup-gone', 'void'), // inactive
      resolve(loser.id, 'nobody', 'void'),
      resolve(winner.id, f.staff.managerA.id, 'void'), // the winner holds the claim
      resolve('no-such-redemption', f.staff.managerA.id, 'acknowledge'),
    ]);
    expect(results.map((r) => ('code' in r ? r.code : r.status))).toEqual([
      'STAFF_NOT_IN_BRANCH', // cannot even sign in on a device of branch A
      'STAFF_INACTIVE',
      'SIGNIN_UNKNOWN', // no such staff member, so no sign-in of theirs
      'REDEMPTION_NOT_IN_CONFLICT',
      'REDEMPTION_NOT_FOUND',
    ]);
    const rows = await h.t.db('redemptions').whereIn('id', [winner.id, loser.id]).orderBy('device_time');
    expect(rows.map((r) => [r.status, r.resolution])).toEqual([
      ['applied', null],
      ['conflict', null],
    ]);
    // A sales manager of the branch that lost may resolve it too.
    const managerB = await insertStaff(h.t.db, h.clock, {
      id: 'staff-mgr-b',
      brandId: f.brandId,
      branchId: f.branchB,
      role: 'sales_manager',
      staffCode: 'B100',
      pin: '2100',
    });
    await recordTestSignIns(h.t.db, b1.deviceId);
    expect((await push(b1, [resolve(loser.id, managerB.id, 'acknowledge')])).results[0]!.status).toBe(
      'applied',
    );
  });
});
