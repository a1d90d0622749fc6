import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, SyncEvent, type PullResponse, type PushResponse } from '../protocol';
import { testDbKinds } from './testing/databases';
import {
  connectDevice,
  connectFixtureDevice,
  nextEvent,
  request,
  recordTestSignIns,
  startTestHub,
  testSignInId,
  type TestHub,
} from './realtime/testing';
import { ENROLL_PATH } from './devices/enroll';

describe.each(testDbKinds())('hub server on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('answers /healthz with the database kind and protocol version', async () => {
    h = await startTestHub(kind);
    const res = await fetch(`${h.hub.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: kind, protocolVersion: PROTOCOL_VERSION });
  });

  it('answers unknown routes with the shared error shape', async () => {
    h = await startTestHub(kind);
    const res = await fetch(`${h.hub.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('pokes the connected devices of a brand when told its data changed', async () => {
    h = await startTestHub(kind);
    const { socket } = await connectFixtureDevice(h, h.fixture.devices.b1.id);
    const poked = nextEvent<{ cursor: number }>(socket, SyncEvent.poke);
    h.hub.notifyChanges(h.fixture.brandId);
    const latest = await h.t.db('changes').max({ m: 'seq' }).first();
    expect((await poked).cursor).toBe(Number(latest?.m));
  });

  it('keeps enrollment, redemptions and answers across a restart', async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const enroll = await fetch(`${h.hub.url}${ENROLL_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        pairingCode: f.devices.a1.pairingCode,
        deviceName: 'Till 1',
        protocolVersion: PROTOCOL_VERSION,
      }),
    });
    const { deviceId, deviceToken } = (await enroll.json()) as { deviceId: string; deviceToken: string };
    const auth = { deviceId, deviceToken, protocolVersion: PROTOCOL_VERSION };
    const claim = f.claims.onlyA[0]!;
    const mutation = {
      id: '01900000-0000-7000-8000-000000000001',
      kind: 'redemption.create',
      payload: {
        claimId: claim.id,
        couponId: claim.couponId,
        staffId: f.staff.associateA.id,
        signInId: testSignInId(deviceId, f.staff.associateA.id),
        scannedCode: claim.code,
      },
      deviceTime: '2026-03-01T03:00:00.000Z',
    };
    await recordTestSignIns(h.t.db, deviceId);
    const first = await connectDevice(h, auth);
    const pushed = await request<PushResponse>(first, SyncEvent.push, { mutations: [mutation] });
    expect(pushed.results).toEqual([{ id: mutation.id, status: 'applied' }]);
    const dropped = new Promise((resolve) => first.once('disconnect', resolve));

    const restarted = await h.restart(); // closes with the device still connected
    await dropped;
    const again = await connectDevice(h, auth); // the token survived the restart
    const retry = await request<PushResponse>(again, SyncEvent.push, { mutations: [mutation] });
    expect(retry.results).toEqual([{ id: mutation.id, status: 'duplicate', first: { status: 'applied' } }]);

    const pulled = await request<PullResponse>(again, SyncEvent.pull, { cursor: 0, limit: 5000 });
    const claimChanges = pulled.changes.filter((c) => c.entity === 'claim' && c.id === claim.id);
    expect(claimChanges.at(-1)).toMatchObject({ op: 'upsert', data: { redeemedDeviceId: deviceId } });
    const redemptions = await restarted.db('redemptions').where({ claim_id: claim.id });
    expect(redemptions).toHaveLength(1);
  });
});
