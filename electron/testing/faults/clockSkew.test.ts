/**
 * The clock-skew suite (docs/protocol.md, "Time"): tills whose wall clocks are 3 days off, set
 * back while offline, jumping forward, set back while the app was closed, and two offline tills
 * with skewed clocks redeeming one claim. A real hub on loopback and real SQLite files; every
 * clock (the hub's and each till's wall and monotonic clock) is a manual one moved by the test —
 * time passing is `pass(ms)` (all clocks advance), a clock someone changed is `set` on one till.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../backend-sync/domain/clock';
import { testDbKinds } from '../../../backend-sync/hub/testing/databases';
import { insertClaims, type FixtureClaim } from '../../../backend-sync/hub/testing/fixtures';
import { AppError } from '../../../backend-sync/domain/errors';
import { openTestConsole, startHubHarness, type HubHarness, type TestConsole } from '../integration/harness';
import { drained } from './setup';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The fixture's coupon valid everywhere: 30 days from the claim. */
const COUPON_DAYS = 30;
/**
 * The coupon runs until local midnight after 30 calendar days, the claim day counting as day 1
 * (domain/validity.ts): claimed this long ago, it ends 12–36 hours from now; claimed 30½ days
 * ago, it ended 12–36 hours ago. A wall clock 3 days off would judge either wrongly.
 */
const LAST_DAY_AGO = (COUPON_DAYS - 1.5) * DAY;
const FAST = { reconnectDelayMs: 20, reconnectDelayMaxMs: 200, roundRetryMs: 50 };

type Clock = ReturnType<typeof manualClock>;
interface Till {
  c: TestConsole & { remove(): void };
  clock: Clock;
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe.each(testDbKinds())('clock skew (%s)', (kind) => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  let hubClock: Clock;
  let h: HubHarness;
  const tills: Till[] = [];

  /** Time passes for everyone: the hub and every till, wall and monotonic clocks alike. */
  const pass = (ms: number) => {
    hubClock.advance(ms);
    for (const t of tills) t.clock.advance(ms);
  };

  /** Claims of the everywhere coupon claimed `ago` before hub now (expiring 30 days after that). */
  const claimsClaimed = (ago: number, prefix: string, count = 1): Promise<FixtureClaim[]> =>
    insertClaims(h.t.db, manualClock(new Date(hubClock.now().getTime() - ago)), {
      brandId: h.fixture.brandId,
      couponId: h.fixture.coupons.everywhere,
      branchIds: [],
      prefix,
      count,
    });

  async function start(): Promise<void> {
    tills.length = 0;
    hubClock = manualClock(new Date());
    h = await startHubHarness(kind, { clock: hubClock });
    cleanups.push(() => h.close());
  }

  /** A till enrolled and signed in, its wall clock `skew` off the hub's. */
  async function till(device: 'a1' | 'a2', skew: number, dataDir?: string): Promise<Till> {
    const clock = manualClock(new Date(hubClock.now().getTime() + skew));
    const c = await openTestConsole(dataDir, FAST, { clock });
    cleanups.push(c.remove, () => c.close());
    const t = { c, clock };
    tills.push(t);
    if (dataDir) return t;
    await c.call('enrollment.enroll', {
      hubUrl: h.url,
      pairingCode: h.fixture.devices[device].pairingCode,
      deviceName: `Till ${device}`,
    });
    const who = device === 'a1' ? h.fixture.staff.associateA : h.fixture.staff.managerA;
    await c.waitForStatus(drained, `${device} to sync`, 15_000);
    await c.call('session.signIn', { staffCode: who.staffCode, pin: who.pin });
    await c.waitForStatus(drained, `${device}'s sign-in to sync`, 10_000);
    return t;
  }

  const offline = async (...ts: Till[]) => {
    await h.stop();
    for (const t of ts) await t.c.waitForStatus((s) => s.connection === 'offline', 'offline');
  };
  const online = async (...ts: Till[]) => {
    await h.start();
    for (const t of ts) await t.c.waitForStatus(drained, 'to drain', 15_000);
  };
  const hubNow = () => hubClock.now().toISOString();

  it('judges and stamps by hub time on tills 3 days ahead and 3 days behind', async () => {
    await start();
    const [lastDay] = await claimsClaimed(LAST_DAY_AGO, 'lastday');
    const [expired] = await claimsClaimed((COUPON_DAYS + 0.5) * DAY, 'expired');
    const ahead = await till('a1', 3 * DAY);
    const behind = await till('a2', -3 * DAY);

    // By its wall clock the till 3 days ahead would call this expired; the one behind, still valid.
    expect((await ahead.c.call('till.scan', { input: lastDay!.code, origin: 'manual' })).verdict).toBe(
      'valid',
    );
    expect((await behind.c.call('till.scan', { input: expired!.code, origin: 'manual' })).verdict).toBe(
      'expired',
    );
    expect(
      await refusal(behind.c.call('till.redeem', { claimId: expired!.id, scannedCode: expired!.code })),
    ).toBe('COUPON_EXPIRED');

    const view = await ahead.c.call('till.redeem', { claimId: lastDay!.id, scannedCode: lastDay!.code });
    expect(view.redeemedAt).toBe(hubNow());
    await ahead.c.waitForStatus(drained, 'the redemption to sync');
    const row = await h.t.db('redemptions').where({ id: view.id }).first();
    expect(row).toMatchObject({ device_time: hubNow(), corrected_time: hubNow(), time_flag: null });
    // Each till's last ping: its own time is the hub's (the wall clocks' skew is corrected on the till).
    const offsets = await h.t
      .db('devices')
      .whereIn('id', [h.fixture.devices.a1.id, h.fixture.devices.a2.id])
      .pluck('clock_offset_ms');
    expect(offsets.map(Number)).toEqual([0, 0]);
  });

  it('set back 3 days mid-offline: redemptions keep the real time, and the offline limit still comes', async () => {
    await start();
    const claims = await claimsClaimed(DAY, 'setback', 2);
    const t = await till('a1', 0);
    await offline(t);
    pass(HOUR);
    t.clock.set(new Date(t.clock.now().getTime() - 3 * DAY));
    const first = await t.c.call('till.redeem', { claimId: claims[0]!.id, scannedCode: claims[0]!.code });
    expect(first.redeemedAt).toBe(hubNow());
    const status = await t.c.call('sync.status');
    expect(status.clockWarning).toMatchObject({ kind: 'set_back', byMs: -3 * DAY });

    // 72 hours more by the monotonic clock: past the brand's offline limit, whatever the wall says.
    pass(72 * HOUR);
    expect(
      await refusal(t.c.call('till.redeem', { claimId: claims[1]!.id, scannedCode: claims[1]!.code })),
    ).toBe('OFFLINE_TOO_LONG');
    await online(t);
    const row = await h.t.db('redemptions').where({ id: first.id }).first();
    expect(row).toMatchObject({ corrected_time: first.redeemedAt, time_flag: null });
  });

  it('jumping forward 3 days offline: a coupon with hours left is still redeemable', async () => {
    await start();
    const [lastDay] = await claimsClaimed(LAST_DAY_AGO, 'jump');
    const t = await till('a1', 0);
    await offline(t);
    t.clock.set(new Date(t.clock.now().getTime() + 3 * DAY));
    const view = await t.c.call('till.redeem', { claimId: lastDay!.id, scannedCode: lastDay!.code });
    expect(view.redeemedAt).toBe(hubNow());
    expect((await t.c.call('sync.status')).clockWarning).toMatchObject({
      kind: 'jumped_forward',
      byMs: 3 * DAY,
    });
    await online(t);
    expect(await h.t.db('redemptions').where({ id: view.id }).first('time_flag')).toEqual({
      time_flag: null,
    });
  });

  it('set back while the app was closed: refuses to redeem offline until the hub answers', async () => {
    await start();
    const [claim] = await claimsClaimed(DAY, 'closed');
    const t = await till('a1', 0);
    const dataDir = t.c.dataDir;
    await offline(t);
    await t.c.close();
    pass(HOUR);
    // Restarted (no monotonic continuity) with the wall clock 3 days behind.
    const again = await till('a1', -3 * DAY, dataDir);
    expect((await again.c.call('sync.status')).clockWarning).toMatchObject({ kind: 'untrusted' });
    const who = h.fixture.staff.associateA;
    await again.c.call('session.signIn', { staffCode: who.staffCode, pin: who.pin });
    expect(await refusal(again.c.call('till.redeem', { claimId: claim!.id, scannedCode: claim!.code }))).toBe(
      'CLOCK_UNTRUSTED',
    );
    await online(again);
    const view = await again.c.call('till.redeem', { claimId: claim!.id, scannedCode: claim!.code });
    expect(view.redeemedAt).toBe(hubNow());
    // The wall clock is still 3 days off: the status keeps saying so.
    expect((await again.c.call('sync.status')).clockWarning).toMatchObject({
      kind: 'set_back',
      byMs: -3 * DAY,
    });
  });

  it('two offline tills with skewed clocks redeem one claim: corrected time decides, both see the conflict, nothing lost or doubled', async () => {
    await start();
    const [target] = await claimsClaimed(DAY, 'both');
    const [expired] = await claimsClaimed((COUPON_DAYS + 0.5) * DAY, 'old');
    const a = await till('a1', 0);
    const b = await till('a2', 0);
    await offline(a, b);

    // A redeems first, with its wall clock jumped 3 days ahead.
    pass(MINUTE);
    a.clock.set(new Date(a.clock.now().getTime() + 3 * DAY));
    const first = await a.c.call('till.redeem', { claimId: target!.id, scannedCode: target!.code });
    const firstAt = hubNow();
    // Ten minutes later B redeems it too, its wall clock set back 3 days: raw, B's would be earlier.
    pass(10 * MINUTE);
    b.clock.set(new Date(b.clock.now().getTime() - 3 * DAY));
    const second = await b.c.call('till.redeem', { claimId: target!.id, scannedCode: target!.code });
    const secondAt = hubNow();
    expect([first.redeemedAt, second.redeemedAt]).toEqual([firstAt, secondAt]);
    // An expired coupon stays refused on both, whichever way their wall clocks moved.
    for (const t of [a, b]) {
      expect(
        await refusal(t.c.call('till.redeem', { claimId: expired!.id, scannedCode: expired!.code })),
      ).toBe('COUPON_EXPIRED');
    }

    // B reaches the hub first; then A, whose earlier redemption takes the claim.
    pass(MINUTE);
    await h.start();
    await b.c.waitForStatus(drained, 'B to drain', 15_000);
    await a.c.waitForStatus(drained, 'A to drain', 15_000);
    await b.c.call('sync.now');

    const rows = (await h.t
      .db('redemptions')
      .where({ claim_id: target!.id })
      .orderBy('corrected_time')) as Record<string, unknown>[];
    expect(rows.map((r) => [r.id, r.status, r.corrected_time])).toEqual([
      [first.id, 'applied', firstAt],
      [second.id, 'conflict', secondAt],
    ]);
    expect(await h.t.db('redemptions').where({ claim_id: expired!.id })).toEqual([]);
    expect((await h.t.db('claims').where({ id: target!.id }).first()).redemption_id).toBe(first.id);
    expect(await h.t.db('mutations').whereIn('id', [first.id, second.id]).pluck('id')).toHaveLength(2);

    for (const t of [a, b]) {
      const attention = await t.c.call('attention.list');
      expect(attention.map((v) => v.id)).toEqual([second.id]);
      const status = await t.c.call('sync.status');
      expect([status.queued, status.conflicts]).toEqual([0, 1]);
    }
  });
});
