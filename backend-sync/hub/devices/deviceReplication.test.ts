import { afterEach, describe, expect, it } from 'vitest';
import { EnrollResponse, PROTOCOL_VERSION } from '../../protocol';
import { pullAll } from '../realtime/mutations/testing';
import { connectDevice, startTestHub, type TestHub } from '../realtime/testing';
import { testDbKinds } from '../testing/databases';
import { ENROLL_PATH } from './enroll';

describe.each(testDbKinds())('device names replicated at enrollment on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const enroll = async (pairingCode: string) => {
    const res = await fetch(`${h!.hub.url}${ENROLL_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode, deviceName: 'Counter PC', protocolVersion: PROTOCOL_VERSION }),
    });
    expect(res.status).toBe(200);
    return EnrollResponse.parse(await res.json());
  };

  it("gives every till of the brand the names of the brand's devices, as typed at enrollment", async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    // A device made outside the admin API (like the demo's seed-only till) is announced too.
    await h.t.db('devices').insert({
      id: 'device-seeded',
      brand_id: f.brandId,
      branch_id: f.branchB,
      name: 'Seeded till',
      created_at: '2026-03-01T00:00:00.000Z',
    });
    const b1 = await enroll(f.devices.b1.pairingCode);
    await enroll(f.devices.a1.pairingCode);

    const socket = await connectDevice(h, {
      deviceId: b1.deviceId,
      deviceToken: b1.deviceToken,
      protocolVersion: PROTOCOL_VERSION,
    });
    const { changes } = await pullAll({ socket, deviceId: b1.deviceId, token: b1.deviceToken });
    const devices = changes.filter((c) => c.entity === 'device');
    // What a till ends up with: the last upsert of each device, in pull order.
    const latest = new Map<string, unknown>();
    for (const c of devices) if (c.op === 'upsert') latest.set(c.id, c.data);
    expect([...latest.keys()].sort().map((id) => latest.get(id))).toEqual([
      {
        id: 'device-a1',
        brandId: f.brandId,
        branchId: f.branchA,
        name: 'Counter PC',
        updateChannel: 'stable',
      },
      {
        id: 'device-a2',
        brandId: f.brandId,
        branchId: f.branchA,
        name: 'Till device-a2',
        updateChannel: 'stable',
      },
      {
        id: 'device-b1',
        brandId: f.brandId,
        branchId: f.branchB,
        name: 'Counter PC',
        updateChannel: 'stable',
      },
      {
        id: 'device-seeded',
        brandId: f.brandId,
        branchId: f.branchB,
        name: 'Seeded till',
        updateChannel: 'stable',
      },
    ]);
    // Announced once, renamed once at its own enrollment: no device is sent more often than that.
    expect(devices.filter((c) => c.id === 'device-a2')).toHaveLength(1);
    expect(devices.filter((c) => c.id === 'device-a1')).toHaveLength(2);
  });
});
