import { afterEach, describe, expect, it } from 'vitest';
import { uuidV7 } from '../../domain/clock';
import { SyncEvent, type PullResponse, type PushResponse } from '../../protocol';
import { testDbKinds } from '../testing/databases';
import type { FixtureClaim } from '../testing/fixtures';
import { underSignIn } from './mutations/testing';
import {
  connectFixtureDevice,
  nextEvent,
  request,
  startTestHub,
  type DeviceClient,
  type TestHub,
} from './testing';

const push = (d: DeviceClient, mutations: unknown[]) =>
  request<PushResponse>(d.socket, SyncEvent.push, { mutations: mutations.map((m) => underSignIn(d, m)) });

const signIn = (staffId: string, id = uuidV7()) => ({
  id,
  kind: 'staff.signin',
  payload: { staffId, signedInAt: '2026-03-01T03:00:00.000Z' },
  deviceTime: '2026-03-01T03:00:00.000Z',
});

const redeem = (claim: FixtureClaim, staffId: string, deviceTime: string, id = uuidV7()) => ({
  id,
  kind: 'redemption.create',
  payload: { claimId: claim.id, couponId: claim.couponId, staffId, scannedCode: claim.code },
  deviceTime,
});

/** The hub receives the day's offline redemptions after they were made (it bounds device times by its receipt). */
const RECEIVED_LATER = '2026-03-02T00:00:00.000Z';

describe.each(testDbKinds())('sync:push on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('applies a mutation once and answers a repeat with the first answer', async () => {
    h = await startTestHub(kind);
    h.clock.set(RECEIVED_LATER);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const m = redeem(f.claims.onlyA[0]!, f.staff.associateA.id, '2026-03-01T03:00:00.000Z');
    expect((await push(a1, [m])).results).toEqual([{ id: m.id, status: 'applied' }]);
    expect((await push(a1, [m])).results).toEqual([
      { id: m.id, status: 'duplicate', first: { status: 'applied' } },
    ]);
    expect(await h.t.db('redemptions').where({ claim_id: m.payload.claimId })).toHaveLength(1);
    expect(await h.t.db('changes').where({ entity: 'claim', entity_id: m.payload.claimId })).toHaveLength(2);
  });

  it('applies a mutation once when two pushes of the same id race', async () => {
    h = await startTestHub(kind);
    h.clock.set(RECEIVED_LATER);
    const f = h.fixture;
    const first = await connectFixtureDevice(h, f.devices.a1.id);
    const second = { ...first, socket: (await connectFixtureDevice(h, f.devices.a1.id)).socket };
    const m = signIn(f.staff.associateA.id);
    const answers = await Promise.all([push(first, [m]), push(second, [m]), push(first, [m])]);
    const statuses = answers.map((a) => a.results[0]!.status).sort();
    expect(statuses).toEqual(['applied', 'duplicate', 'duplicate']);
    expect(await h.t.db('events').where({ kind: 'staff.signin' })).toHaveLength(1);
  });

  it('rejects a malformed mutation without blocking the ones around it', async () => {
    h = await startTestHub(kind);
    h.clock.set(RECEIVED_LATER);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const before = signIn(f.staff.associateA.id);
    const malformed = {
      id: uuidV7(),
      kind: 'redemption.create',
      payload: { couponId: 'x' },
      deviceTime: 'yesterday',
    };
    const unknown = {
      id: uuidV7(),
      kind: 'coffee.brew',
      payload: {},
      deviceTime: '2026-03-01T03:00:00.000Z',
    };
    const after = signIn(f.staff.managerA.id);
    const { results } = await push(a1, [before, malformed, unknown, { kind: 'no id' }, after]);
    expect(results.map((r) => [r.status, 'code' in r ? r.code : undefined])).toEqual([
      ['applied', undefined],
      ['rejected', 'MUTATION_INVALID'],
      ['rejected', 'MUTATION_UNKNOWN_KIND'],
      ['rejected', 'MUTATION_INVALID'],
      ['applied', undefined],
    ]);
    expect(await h.t.db('events').where({ kind: 'staff.signin' })).toHaveLength(2);
    const again = await push(a1, [malformed]);
    expect(again.results[0]).toMatchObject({
      status: 'duplicate',
      first: { status: 'rejected', code: 'MUTATION_INVALID' },
    });
  });

  it('rejects sign-ins of staff who are inactive or of another branch, and ids of other devices', async () => {
    h = await startTestHub(kind);
    h.clock.set(RECEIVED_LATER);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const b1 = await connectFixtureDevice(h, f.devices.b1.id);
    await h.t.db('staff').where({ id: f.staff.managerA.id }).update({ active: false });
    const taken = signIn(f.staff.associateB.id);
    expect((await push(b1, [taken])).results[0]!.status).toBe('applied');
    const { results } = await push(a1, [
      signIn(f.staff.managerA.id),
      signIn(f.staff.associateB.id),
      signIn('nobody'),
      signIn(f.staff.associateA.id, taken.id),
    ]);
    expect(results.map((r) => ('code' in r ? r.code : r.status))).toEqual([
      'STAFF_INACTIVE',
      'STAFF_NOT_IN_BRANCH',
      'STAFF_NOT_FOUND',
      'MUTATION_ID_TAKEN',
    ]);
  });

  it('keeps the earliest redemption of a claim and reports the later one as a conflict', async () => {
    h = await startTestHub(kind);
    h.clock.set(RECEIVED_LATER);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const a2 = await connectFixtureDevice(h, f.devices.a2.id);
    const claim = f.claims.onlyA[0]!;
    const early = redeem(claim, f.staff.associateA.id, '2026-03-01T10:00:00.000+08:00');
    const late = redeem(claim, f.staff.managerA.id, '2026-03-01T02:05:00.000Z');
    expect((await push(a2, [early])).results[0]!.status).toBe('applied');
    const [result] = (await push(a1, [late])).results;
    expect(result).toEqual({
      id: late.id,
      status: 'conflict',
      code: 'ALREADY_REDEEMED',
      message: expect.any(String),
      details: {
        claimId: claim.id,
        redeemedAt: '2026-03-01T02:00:00.000Z',
        deviceId: f.devices.a2.id,
        branchId: f.branchA,
        staffId: f.staff.associateA.id,
        staffName: 'Staff A101',
        redemptionId: early.id,
      },
    });
    const statuses = await h.t
      .db('redemptions')
      .where({ claim_id: claim.id })
      .orderBy('device_time')
      .select('id', 'status');
    expect(statuses).toEqual([
      { id: early.id, status: 'applied' },
      { id: late.id, status: 'conflict' },
    ]);
  });

  it('moves the claim to an earlier redemption that arrives second, and tells the first device by a change', async () => {
    h = await startTestHub(kind);
    h.clock.set(RECEIVED_LATER);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const a2 = await connectFixtureDevice(h, f.devices.a2.id);
    const claim = f.claims.everywhere[0]!;
    const late = redeem(claim, f.staff.associateA.id, '2026-03-01T05:00:00.000Z');
    const early = redeem(claim, f.staff.managerA.id, '2026-03-01T04:00:00.000Z');
    expect((await push(a1, [late])).results[0]!.status).toBe('applied');
    const cursor = (await request<PullResponse>(a1.socket, SyncEvent.pull, { cursor: 0, limit: 5000 }))
      .cursor;
    expect((await push(a2, [early])).results[0]!.status).toBe('applied');

    const news = await request<PullResponse>(a1.socket, SyncEvent.pull, { cursor });
    expect(news.changes.map((c) => [c.entity, c.id]).sort()).toEqual(
      [
        ['claim', claim.id],
        ['redemption', early.id],
        ['redemption', late.id],
      ].sort(),
    );
    expect(news.changes.find((c) => c.entity === 'redemption' && c.id === late.id)).toMatchObject({
      data: { status: 'conflict', winnerId: early.id },
    });
    expect(news.changes.find((c) => c.entity === 'claim')).toMatchObject({
      entity: 'claim',
      id: claim.id,
      data: {
        redeemedDeviceId: f.devices.a2.id,
        redeemedAt: '2026-03-01T04:00:00.000Z',
        redeemedStaffId: f.staff.managerA.id,
      },
    });
    const rows = await h.t.db('redemptions').where({ claim_id: claim.id }).select('id', 'status');
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      [late.id]: 'conflict',
      [early.id]: 'applied',
    });
  });

  it('breaks a tie of device times in favour of the smaller device id', async () => {
    h = await startTestHub(kind);
    h.clock.set(RECEIVED_LATER);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const a2 = await connectFixtureDevice(h, f.devices.a2.id);
    const claim = f.claims.onlyA[1]!;
    const at = '2026-03-01T06:00:00.000Z';
    const fromA2 = redeem(claim, f.staff.associateA.id, at);
    const fromA1 = redeem(claim, f.staff.managerA.id, at);
    expect((await push(a2, [fromA2])).results[0]!.status).toBe('applied');
    expect((await push(a1, [fromA1])).results[0]!.status).toBe('applied'); // device-a1 < device-a2
    const replay = redeem(claim, f.staff.associateA.id, at);
    expect((await push(a2, [replay])).results[0]).toMatchObject({
      status: 'conflict',
      details: { deviceId: f.devices.a1.id },
    });
    const held = await h.t.db('claims').where({ id: claim.id }).first();
    expect(held.redeemed_device_id).toBe(f.devices.a1.id);
  });

  it('settles simultaneous redemptions of one claim on the earliest, whatever the arrival order', async () => {
    h = await startTestHub(kind);
    h.clock.set(RECEIVED_LATER);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const a2 = await connectFixtureDevice(h, f.devices.a2.id);
    for (const [i, claim] of f.claims.everywhere.entries()) {
      const early = redeem(claim, f.staff.associateA.id, `2026-03-01T07:0${i}:00.000Z`);
      const late = redeem(claim, f.staff.managerA.id, `2026-03-01T07:0${i}:30.000Z`);
      const [fromA2, fromA1] = await Promise.all([push(a2, [early]), push(a1, [late])]);
      expect(fromA2.results[0]!.status).toBe('applied');
      expect(['applied', 'conflict']).toContain(fromA1.results[0]!.status);
      const held = await h.t.db('claims').where({ id: claim.id }).first();
      expect([held.redeemed_device_id, held.redemption_id]).toEqual([f.devices.a2.id, early.id]);
      const rows = await h.t.db('redemptions').where({ claim_id: claim.id }).select('id', 'status');
      expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
        [early.id]: 'applied',
        [late.id]: 'conflict',
      });
    }
  });

  it('refuses to redeem a claim of a coupon not valid at the branch', async () => {
    h = await startTestHub(kind);
    h.clock.set(RECEIVED_LATER);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const { results } = await push(a1, [
      redeem(f.claims.onlyB[0]!, f.staff.associateA.id, '2026-03-01T06:00:00.000Z'),
    ]);
    expect(results[0]).toMatchObject({ status: 'rejected', code: 'BRANCH_MISMATCH' });
    const claim = await h.t.db('claims').where({ id: f.claims.onlyB[0]!.id }).first();
    expect(claim.redeemed_at).toBeNull();
  });

  it("pokes the brand's other devices after a push that changed something", async () => {
    h = await startTestHub(kind);
    h.clock.set(RECEIVED_LATER);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const b1 = await connectFixtureDevice(h, f.devices.b1.id);
    const start = (await request<PullResponse>(b1.socket, SyncEvent.pull, { cursor: 0, limit: 5000 })).cursor;
    const poked = nextEvent<{ cursor: number }>(b1.socket, SyncEvent.poke);
    const claim = f.claims.everywhere[2]!;
    await push(a1, [redeem(claim, f.staff.associateA.id, '2026-03-01T06:00:00.000Z')]);
    const poke = await poked;
    expect(poke.cursor).toBeGreaterThan(start);
    const news = await request<PullResponse>(b1.socket, SyncEvent.pull, { cursor: start });
    expect(news.changes.map((c) => [c.entity, c.id])).toEqual([['claim', claim.id]]);
    expect(news.cursor).toBe(poke.cursor);
  });

  it('answers a push that is not a list of mutations with an ack error', async () => {
    h = await startTestHub(kind);
    h.clock.set(RECEIVED_LATER);
    const a1 = await connectFixtureDevice(h, h.fixture.devices.a1.id);
    expect(await request(a1.socket, SyncEvent.push, { mutations: [] })).toMatchObject({
      error: { code: 'VALIDATION_FAILED' },
    });
  });
});
