import { afterEach, describe, expect, it } from 'vitest';
import { SyncEvent, type PingResponse } from '../../protocol';
import { testDbKinds } from '../testing/databases';
import { connectFixtureDevice, request, startTestHub, type DeviceClient, type TestHub } from './testing';
import { pullAll, push, redeem, redemptionsIn } from './mutations/testing';

const DAY = 86_400_000;
const HUB_NOW = '2026-03-01T10:00:00.000Z';
const at = (iso: string, shiftMs = 0) => new Date(Date.parse(iso) + shiftMs).toISOString();

const ping = (d: DeviceClient, deviceTime: string) =>
  request<PingResponse>(d.socket, SyncEvent.ping, { deviceTime });

describe.each(testDbKinds())('device time at the hub on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("measures a device's clock offset by ping and shows it in the admin devices list", async () => {
    h = await startTestHub(kind);
    h.clock.set(HUB_NOW);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const answer = await ping(a1, at(HUB_NOW, -3 * DAY));
    expect(answer).toEqual({ hubTime: HUB_NOW, clockOffsetMs: 3 * DAY });

    const res = await fetch(`${h.hub.url}/api/admin/brands/${f.brandId}/devices`, {
      headers: { authorization: 'Bearer test-admin-token' },
    });
    const devices = ((await res.json()) as { items: { id: string; clockOffsetMs: number | null }[] }).items;
    const byId = new Map(devices.map((d) => [d.id, d.clockOffsetMs]));
    expect(byId.get(f.devices.a1.id)).toBe(3 * DAY);
    expect(byId.get(f.devices.a2.id)).toBeNull();
  });

  it('orders a conflict by corrected time: a till 3 days behind loses to the one that really redeemed first, and is flagged', async () => {
    h = await startTestHub(kind);
    h.clock.set(HUB_NOW);
    const f = h.fixture;
    const claim = f.claims.onlyA[0]!;
    const skewed = await connectFixtureDevice(h, f.devices.a1.id);
    const right = await connectFixtureDevice(h, f.devices.a2.id);
    // a1's clock is 3 days behind (its console has no better time): its raw time would win.
    await ping(skewed, at(HUB_NOW, -3 * DAY));
    const first = redeem(claim, f.staff.managerA.id, at(HUB_NOW, -60_000));
    const second = redeem(claim, f.staff.associateA.id, at(HUB_NOW, -3 * DAY - 30_000));
    expect((await push(right, [first])).results[0]!.status).toBe('applied');
    expect((await push(skewed, [second])).results[0]).toMatchObject({
      status: 'conflict',
      details: { redemptionId: first.id },
    });

    for (const device of [skewed, right]) {
      const rows = redemptionsIn((await pullAll(device)).changes);
      expect(rows.get(second.id)).toMatchObject({
        status: 'conflict',
        winnerId: first.id,
        deviceTime: at(HUB_NOW, -3 * DAY - 30_000),
        correctedTime: at(HUB_NOW, -30_000),
        timeFlag: 'clock_skewed',
      });
      expect(rows.get(first.id)).toMatchObject({ status: 'applied', timeFlag: null });
    }
  });

  it('never lets a mutation be later than its receipt nor earlier than its device previous one', async () => {
    h = await startTestHub(kind);
    h.clock.set(HUB_NOW);
    const f = h.fixture;
    const a1 = await connectFixtureDevice(h, f.devices.a1.id);
    const [c0, c1] = f.claims.onlyA;
    // Jumped forward 3 days, then set back 3 days below its previous mutation.
    const ahead = redeem(c0!, f.staff.associateA.id, at(HUB_NOW, 3 * DAY));
    await push(a1, [ahead]);
    h.clock.advance(60_000);
    const back = redeem(c1!, f.staff.associateA.id, at(HUB_NOW, -3 * DAY));
    await push(a1, [back]);
    const rows = await h.t.db('redemptions').whereIn('id', [ahead.id, back.id]).select();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ahead.id)).toMatchObject({ corrected_time: HUB_NOW, time_flag: 'ahead_of_hub' });
    expect(byId.get(back.id)).toMatchObject({ corrected_time: HUB_NOW, time_flag: 'before_previous' });
    const claim = await h.t.db('claims').where({ id: c1!.id }).first('redeemed_at');
    expect(claim.redeemed_at).toBe(HUB_NOW);
  });
});
