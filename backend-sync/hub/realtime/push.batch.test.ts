/**
 * A push is one transaction with a savepoint per mutation: all of it commits or none of it, before
 * any answer; repeats inside one push and pushes racing on PostgreSQL still apply each id once.
 */
import type { Knex } from 'knex';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, uuidV7 } from '../../domain/clock';
import { openTestDb, testDbKinds, type TestDb } from '../testing/databases';
import { FIXTURE_TIME, seedFixture, type Fixture } from '../testing/fixtures';
import type { DeviceContext } from './device';
import { pushMutations, type PushDeps } from './push';
import { recordTestSignIns, testSignInId } from './testing';

const signIn = (staffId: string, id = uuidV7()) => ({
  id,
  kind: 'staff.signin',
  payload: { staffId, signedInAt: '2026-03-01T03:00:00.000Z' },
  deviceTime: '2026-03-01T03:00:00.000Z',
});

async function setUp(kind: TestDb['kind']) {
  const t = await openTestDb(kind);
  const clock = manualClock(FIXTURE_TIME);
  const f: Fixture = await seedFixture(t.db, clock, { claimsPerCoupon: 4 });
  // The hub receives the day's offline redemptions after they were made (it bounds device times by its receipt).
  clock.set('2026-03-01T09:00:00.000Z');
  const faults: string[] = [];
  const deps: PushDeps = {
    db: t.db,
    clock,
    logger: pino({ level: 'silent' }),
    faults: (point) => faults.push(point),
  };
  const device: DeviceContext = {
    id: f.devices.a1.id,
    brandId: f.brandId,
    branchId: f.branchA,
    name: 'A1',
    lineage: [f.devices.a1.id],
  };
  await recordTestSignIns(t.db, device.id);
  const redeem = (i: number) => {
    const claim = f.claims.everywhere[i]!;
    return {
      id: uuidV7(),
      kind: 'redemption.create',
      payload: {
        claimId: claim.id,
        couponId: claim.couponId,
        staffId: f.staff.associateA.id,
        signInId: testSignInId(device.id, f.staff.associateA.id),
        scannedCode: claim.code,
      },
      deviceTime: '2026-03-01T05:00:00.000Z',
    };
  };
  return { t, f, deps, device, faults, redeem };
}

/** Makes inserting a redemption of `claimId` fail like a database error would. */
async function failRedemptionsOf(
  db: Knex,
  kind: TestDb['kind'],
  claimId: string,
): Promise<() => Promise<void>> {
  if (kind === 'sqlite') {
    await db.raw(
      `CREATE TRIGGER fail_redemption BEFORE INSERT ON redemptions WHEN NEW.claim_id = '${claimId}'
       BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`,
    );
    return async () => void (await db.raw('DROP TRIGGER fail_redemption'));
  }
  await db.raw(`CREATE FUNCTION fail_redemption() RETURNS trigger AS $$
    BEGIN IF NEW.claim_id = '${claimId}' THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END
    $$ LANGUAGE plpgsql`);
  await db.raw(
    'CREATE TRIGGER fail_redemption BEFORE INSERT ON redemptions FOR EACH ROW EXECUTE FUNCTION fail_redemption()',
  );
  return async () => void (await db.raw('DROP TRIGGER fail_redemption ON redemptions'));
}

describe.each(testDbKinds())('push as one transaction on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('commits all of a push or none of it, and reaches the fault point once, after the commit', async () => {
    const s = await setUp(kind);
    t = s.t;
    const batch = [0, 1, 2, 3].map(s.redeem);
    const heal = await failRedemptionsOf(s.t.db, kind, batch[2]!.payload.claimId);
    await expect(pushMutations(s.deps, s.device, { mutations: batch })).rejects.toThrow(/disk on fire/);
    expect(s.faults).toEqual([]);
    const ids = batch.map((m) => m.id);
    expect(await s.t.db('mutations').whereIn('id', ids)).toHaveLength(0);
    expect(await s.t.db('redemptions').whereIn('id', ids)).toHaveLength(0);
    expect(await s.t.db('changes').whereIn('entity_id', ids)).toHaveLength(0);

    const seeded = Number((await s.t.db('changes').max({ seq: 'seq' }).first())!.seq);
    await heal();
    const first = await pushMutations(s.deps, s.device, { mutations: batch });
    expect(first.changed).toBe(true);
    expect(first.response.results).toEqual(ids.map((id) => ({ id, status: 'applied' })));
    expect(s.faults).toEqual(['push:after-commit-before-ack']);
    const again = await pushMutations(s.deps, s.device, { mutations: batch });
    expect(again.changed).toBe(false);
    expect(again.response.results).toEqual(
      ids.map((id) => ({ id, status: 'duplicate', first: { status: 'applied' } })),
    );
    expect(await s.t.db('redemptions').whereIn('id', ids)).toHaveLength(4);
    // Each redemption's change and its claim's change, in the order the mutations were pushed.
    const logged = await s.t.db('changes').where('seq', '>', seeded).orderBy('seq').pluck('entity_id');
    expect(logged).toEqual(batch.flatMap((m) => [m.id, m.payload.claimId]));
  });

  it('stores each answer once, whether the mutation staged its effects or needed the database', async () => {
    const s = await setUp(kind);
    t = s.t;
    // The first redemption loads the staff row (the database), the others find it cached; the
    // sign-in of nobody is rejected; the repeat of claim 0 loses to the first.
    const loser = { ...s.redeem(0), deviceTime: '2026-03-01T06:00:00.000Z' };
    const batch = [s.redeem(0), s.redeem(1), signIn('nobody'), loser, s.redeem(2)];
    const { response } = await pushMutations(s.deps, s.device, { mutations: batch });
    expect(response.results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'rejected',
      'conflict',
      'applied',
    ]);
    const stored = (await s.t.db('mutations').whereIn(
      'id',
      batch.map((m) => m.id),
    )) as { id: string; outcome: string }[];
    expect(new Map(stored.map((r) => [r.id, JSON.parse(r.outcome).status]))).toEqual(
      new Map(batch.map((m, i) => [m.id, response.results[i]!.status])),
    );
    expect(
      await s.t.db('redemptions').whereIn(
        'id',
        batch.map((m) => m.id),
      ),
    ).toHaveLength(4);
  });

  it('answers an id repeated within one push as a duplicate of its first answer', async () => {
    const s = await setUp(kind);
    t = s.t;
    const m = signIn(s.f.staff.associateA.id);
    const bad = signIn('nobody');
    const { response } = await pushMutations(s.deps, s.device, { mutations: [m, bad, m, bad] });
    expect(response.results).toEqual([
      { id: m.id, status: 'applied' },
      { id: bad.id, status: 'rejected', code: 'STAFF_NOT_FOUND', message: expect.any(String) },
      { id: m.id, status: 'duplicate', first: { status: 'applied' } },
      { id: bad.id, status: 'duplicate', first: expect.objectContaining({ code: 'STAFF_NOT_FOUND' }) },
    ]);
    expect(await s.t.db('events').where({ kind: 'staff.signin' })).toHaveLength(1);
  });
});

describe.each(testDbKinds())('mutations of one claim within one push on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('decides them as if pushed one by one: take-over by an earlier one, then resolving the conflict', async () => {
    const s = await setUp(kind);
    t = s.t;
    // Another till's later redemption holds the claim; this device's push then brings an earlier
    // one (after a redemption of another claim, so the take-over must read rows still buffered).
    const a2: DeviceContext = { ...s.device, id: s.f.devices.a2.id, name: 'A2' };
    const late = { ...s.redeem(0), deviceTime: '2026-03-01T06:00:00.000Z' };
    expect((await pushMutations(s.deps, a2, { mutations: [late] })).response.results[0]!.status).toBe(
      'applied',
    );
    const other = { ...s.redeem(1), deviceTime: '2026-03-01T03:00:00.000Z' };
    const early = { ...s.redeem(0), deviceTime: '2026-03-01T04:00:00.000Z' };
    const later = { ...s.redeem(0), deviceTime: '2026-03-01T07:00:00.000Z' };
    const resolve = {
      id: uuidV7(),
      kind: 'conflict.resolve',
      payload: {
        redemptionId: late.id,
        staffId: s.f.staff.managerA.id,
        signInId: testSignInId(s.device.id, s.f.staff.managerA.id),
        decision: 'acknowledge',
      },
      deviceTime: '2026-03-01T08:00:00.000Z',
    };
    const { response } = await pushMutations(s.deps, s.device, { mutations: [other, early, later, resolve] });
    expect(response.results.map((r) => r.status)).toEqual(['applied', 'applied', 'conflict', 'applied']);
    expect(response.results[2]).toMatchObject({ details: { redemptionId: early.id } });
    const rows = await s.t
      .db('redemptions')
      .where({ claim_id: late.payload.claimId })
      .select('id', 'status', 'winner_id', 'resolution');
    expect(Object.fromEntries(rows.map((r) => [r.id, [r.status, r.winner_id, r.resolution]]))).toEqual({
      [late.id]: ['conflict', early.id, 'acknowledged'],
      [early.id]: ['applied', null, null],
      [later.id]: ['conflict', early.id, null],
    });
    const claim = await s.t.db('claims').where({ id: late.payload.claimId }).first();
    expect([claim.redemption_id, claim.redeemed_at]).toEqual([early.id, '2026-03-01T04:00:00.000Z']);
    // The claim's last change says who holds it now.
    const claimChanges = await s.t
      .db('changes')
      .where({ entity: 'claim', entity_id: claim.id })
      .orderBy('seq');
    expect(JSON.parse(claimChanges.at(-1).data)).toMatchObject({ redeemedAt: '2026-03-01T04:00:00.000Z' });
  });
});

/** PostgreSQL only: another connection really can hold an uncommitted row with our id. */
describe.each(testDbKinds().filter((k) => k === 'postgres'))('pushes racing on one id on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** Stores `id` in a transaction left open; resolves once `push` is waiting for it. */
  async function holdId<T>(s: Awaited<ReturnType<typeof setUp>>, id: string, push: () => Promise<T>) {
    const other = await s.t.db.transaction();
    await other('mutations').insert({
      id,
      device_id: s.device.id,
      kind: 'staff.signin',
      payload: '{}',
      device_time: '2026-03-01T03:00:00.000Z',
      outcome: JSON.stringify({ status: 'applied' }),
      received_at: '2026-03-01T03:00:00.000Z',
    });
    const xid = String((await other.raw('SELECT pg_current_xact_id()::text AS xid')).rows[0].xid);
    const pushed = push();
    const deadline = Date.now() + 5000;
    for (;;) {
      const waiting = await s.t.db.raw(
        "SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype = 'transactionid' AND transactionid::text = ?",
        [xid],
      );
      if (waiting.rows[0].n > 0) break;
      if (Date.now() > deadline) throw new Error('the push never waited for the other transaction');
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { other, pushed };
  }

  it('answers duplicate with the stored answer when the other push commits first, and applies the rest', async () => {
    const s = await setUp(kind);
    t = s.t;
    const [before, raced, after] = [
      signIn(s.f.staff.associateA.id),
      signIn(s.f.staff.associateA.id),
      signIn(s.f.staff.managerA.id),
    ];
    const { other, pushed } = await holdId(s, raced.id, () =>
      pushMutations(s.deps, s.device, { mutations: [before, raced, after] }),
    );
    await other.commit();
    const { response } = await pushed;
    expect(response.results).toEqual([
      { id: before.id, status: 'applied' },
      { id: raced.id, status: 'duplicate', first: { status: 'applied' } },
      { id: after.id, status: 'applied' },
    ]);
    const events = await s.t.db('events').where({ kind: 'staff.signin' }).select('data');
    expect(events.map((e) => JSON.parse(e.data).mutationId).sort()).toEqual([before.id, after.id].sort());
  });

  it('applies the mutation itself when the other push rolls back', async () => {
    const s = await setUp(kind);
    t = s.t;
    const raced = signIn(s.f.staff.associateA.id);
    const { other, pushed } = await holdId(s, raced.id, () =>
      pushMutations(s.deps, s.device, { mutations: [raced] }),
    );
    await other.rollback();
    expect((await pushed).response.results).toEqual([{ id: raced.id, status: 'applied' }]);
    expect(await s.t.db('events').where({ kind: 'staff.signin' })).toHaveLength(1);
  });
});
