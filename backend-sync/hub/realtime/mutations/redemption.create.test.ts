import { afterEach, describe, expect, it } from 'vitest';
import { testDbKinds } from '../../testing/databases';
import { connectFixtureDevice, startTestHub, type TestHub } from '../testing';
import { pullAll, push, redeem, redemptionsIn } from './testing';

describe.each(testDbKinds())('redemption.create replication on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('gives the claim to the earlier of two offline redemptions at one branch, and both devices learn it', async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const a2 = await connectFixtureDevice(h, f.devices.a2.id);
    const claim = f.claims.onlyA[0]!;
    const late = redeem(claim, f.staff.associateA.id, '2026-03-01T13:00:00.000+08:00');
    const early = redeem(claim, f.staff.managerA.id, '2026-03-01T04:00:00.000Z');

    expect((await push(a1, [late])).results[0]).toEqual({ id: late.id, status: 'applied' });
    expect((await push(a2, [early])).results[0]).toEqual({ id: early.id, status: 'applied' });

    const held = await h.t.db('claims').where({ id: claim.id }).first();
    expect([held.redemption_id, held.redeemed_device_id]).toEqual([early.id, f.devices.a2.id]);
    for (const device of [a1, a2]) {
      const seen = redemptionsIn((await pullAll(device)).changes);
      expect(seen.get(early.id)).toMatchObject({
        status: 'applied',
        winnerId: null,
        deviceId: f.devices.a2.id,
        branchId: f.branchA,
        deviceTime: '2026-03-01T04:00:00.000Z',
      });
      expect(seen.get(late.id)).toMatchObject({
        status: 'conflict',
        winnerId: early.id,
        deviceId: f.devices.a1.id,
        staffId: f.staff.associateA.id,
        scannedCode: claim.code,
        deviceTime: '2026-03-01T05:00:00.000Z',
        resolution: null,
      });
    }
  });

  it('shows a conflict between branches to both branches, whichever arrives first', async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const b1 = await connectFixtureDevice(h, f.devices.b1.id);
    const [first, second] = f.claims.everywhere;

    // Claim 1: the earlier redemption (branch A) arrives first; B's later one is answered conflict.
    const aEarly = redeem(first!, f.staff.associateA.id, '2026-03-01T04:00:00.000Z');
    const bLate = redeem(first!, f.staff.associateB.id, '2026-03-01T05:00:00.000Z');
    await push(a1, [aEarly]);
    expect((await push(b1, [bLate])).results[0]).toMatchObject({
      status: 'conflict',
      code: 'ALREADY_REDEEMED',
      details: { redemptionId: aEarly.id, deviceId: f.devices.a1.id, branchId: f.branchA },
    });
    // Claim 2: B's earlier redemption arrives after A's later one and takes the claim.
    const aLate = redeem(second!, f.staff.associateA.id, '2026-03-01T05:00:00.000Z');
    const bEarly = redeem(second!, f.staff.associateB.id, '2026-03-01T04:00:00.000Z');
    await push(a1, [aLate]);
    expect((await push(b1, [bEarly])).results[0]!.status).toBe('applied');

    const pulledA = (await pullAll(a1)).changes;
    const atA = redemptionsIn(pulledA);
    const atB = redemptionsIn((await pullAll(b1)).changes);
    // Branch A never receives B's staff, so the claim names who holds it.
    const claimAtA = pulledA.filter((c) => c.entity === 'claim' && c.id === second!.id).at(-1);
    expect(claimAtA?.op === 'upsert' && claimAtA.data).toMatchObject({
      redeemedStaffId: f.staff.associateB.id,
      redeemedStaffName: 'Staff B201',
    });
    for (const seen of [atA, atB]) {
      expect(seen.get(bLate.id)).toMatchObject({
        status: 'conflict',
        winnerId: aEarly.id,
        branchId: f.branchB,
      });
      expect(seen.get(aLate.id)).toMatchObject({
        status: 'conflict',
        winnerId: bEarly.id,
        branchId: f.branchA,
      });
    }
    // A branch sees other branches' redemptions only when they are in a conflict with its own.
    expect([...atA.keys()].sort()).toEqual([aEarly.id, aLate.id, bLate.id].sort());
    expect([...atB.keys()].sort()).toEqual([bEarly.id, bLate.id, aLate.id].sort());
  });

  it('points every open conflict of a claim at the new winner when an even earlier one arrives', async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const a2 = await connectFixtureDevice(h, f.devices.a2.id);
    const b1 = await connectFixtureDevice(h, f.devices.b1.id);
    const claim = f.claims.everywhere[0]!;
    const middle = redeem(claim, f.staff.associateB.id, '2026-03-01T05:00:00.000Z');
    const last = redeem(claim, f.staff.associateA.id, '2026-03-01T06:00:00.000Z');
    const earliest = redeem(claim, f.staff.managerA.id, '2026-03-01T04:00:00.000Z');
    await push(b1, [middle]);
    expect((await push(a1, [last])).results[0]).toMatchObject({ status: 'conflict' });
    expect((await push(a2, [earliest])).results[0]!.status).toBe('applied');

    // Branch B saw A's conflict while B's redemption held the claim; it sees it move on too.
    const atB = redemptionsIn((await pullAll(b1)).changes);
    expect(atB.get(last.id)).toMatchObject({ status: 'conflict', winnerId: earliest.id });
    expect(atB.get(middle.id)).toMatchObject({ status: 'conflict', winnerId: earliest.id });
    const atA = redemptionsIn((await pullAll(a1)).changes);
    expect(atA.get(middle.id)).toMatchObject({ status: 'conflict', winnerId: earliest.id });
    const rows = await h.t
      .db('redemptions')
      .where({ claim_id: claim.id })
      .select('id', 'status', 'winner_id');
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.status, r.winner_id]]))).toEqual({
      [earliest.id]: ['applied', null],
      [middle.id]: ['conflict', earliest.id],
      [last.id]: ['conflict', earliest.id],
    });
  });

  it("tags the customer with the coupon's redeem tag once per redeemed claim", async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const db = h.t.db;
    const claim = f.claims.onlyA[0]!;
    await db('customers').insert({
      id: 'customer-1',
      brand_id: f.brandId,
      channel: 'line',
      channel_user_id: 'U0001',
      display_name: '王小明',
      created_at: '2026-03-01T00:00:00.000Z',
    });
    await db('claims').where({ id: claim.id }).update({ customer_id: 'customer-1' });
    await db('coupons').where({ id: f.coupons.onlyA }).update({ redeem_tag: 'opening-redeemed' });
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const a2 = await connectFixtureDevice(h, f.devices.a2.id);

    const first = redeem(claim, f.staff.associateA.id, '2026-03-01T05:00:00.000Z');
    expect((await push(a1, [first])).results[0]!.status).toBe('applied');
    expect((await push(a1, [first])).results[0]!.status).toBe('duplicate');
    const conflicting = redeem(claim, f.staff.managerA.id, '2026-03-01T06:00:00.000Z');
    expect((await push(a2, [conflicting])).results[0]!.status).toBe('conflict');
    // An earlier redemption arriving late takes the claim, but it is still one redemption of it.
    const earlier = redeem(claim, f.staff.managerA.id, '2026-03-01T04:00:00.000Z');
    expect((await push(a2, [earlier])).results[0]!.status).toBe('applied');

    const tags = await db('events').where({ kind: 'tag.redeem' });
    expect(tags).toHaveLength(1);
    expect(tags[0]).toMatchObject({ brand_id: f.brandId, device_id: f.devices.a1.id });
    expect(JSON.parse(tags[0].data)).toEqual({
      customerId: 'customer-1',
      tag: 'opening-redeemed',
      claimId: claim.id,
      couponId: f.coupons.onlyA,
      redemptionId: first.id,
    });

    // A coupon without a redeem tag, or a claim issued to nobody, tags no one.
    await push(a1, [redeem(f.claims.onlyA[1]!, f.staff.associateA.id, '2026-03-01T05:00:00.000Z')]);
    await push(a1, [redeem(f.claims.everywhere[0]!, f.staff.associateA.id, '2026-03-01T05:00:00.000Z')]);
    expect(await db('events').where({ kind: 'tag.redeem' })).toHaveLength(1);
  });

  it('records every wrong verification code with device, staff, coupon and time', async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const failure = (deviceTime: string) => ({
      id: crypto.randomUUID(),
      kind: 'verification.failure',
      payload: { couponId: f.coupons.onlyA, staffId: f.staff.associateA.id, scannedCode: 'CA0001' },
      deviceTime,
    });
    const failures = [failure('2026-03-01T05:00:00.000Z'), failure('2026-03-01T05:00:05.000Z')];
    const { results } = await push(a1, failures);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const rows = await h.t.db('events').where({ kind: 'verification.failure' }).orderBy('id');
    expect(
      rows.map((r) => ({ device: r.device_id, staff: r.staff_id, ...JSON.parse(r.data), at: typeof r.at })),
    ).toEqual(
      failures.map((m) => ({
        device: f.devices.a1.id,
        staff: f.staff.associateA.id,
        mutationId: m.id,
        couponId: f.coupons.onlyA,
        scannedCode: 'CA0001',
        deviceTime: m.deviceTime,
        at: 'string',
      })),
    );
  });
});
