import { afterEach, describe, expect, it } from 'vitest';
import { SyncEvent } from '../../protocol';
import { testDbKinds } from '../testing/databases';
import { connectFixtureDevice, startTestHub, type TestHub } from './testing';

describe.each(testDbKinds())('device:status on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const listed = async (deviceId: string) => {
    const res = await fetch(`${h!.hub.url}/api/admin/brands/${h!.fixture.brandId}/devices`, {
      headers: { authorization: 'Bearer test-admin-token' },
    });
    const body = (await res.json()) as { items: Record<string, unknown>[] };
    return body.items.find((d) => d.id === deviceId)!;
  };

  it("keeps the console's app version and queued mutations for the device list", async () => {
    h = await startTestHub(kind);
    const id = h.fixture.devices.a1.id;
    const device = await connectFixtureDevice(h, id);
    h.clock.set('2026-03-02T09:00:00.000Z');
    const ack = await device.socket.emitWithAck(SyncEvent.deviceStatus, {
      appVersion: '1.4.2',
      queuedMutations: 3,
    });
    expect(ack).toEqual({ ok: true });
    expect(await listed(id)).toMatchObject({
      appVersion: '1.4.2',
      queuedMutations: 3,
      statusAt: '2026-03-02T09:00:00.000Z',
      clockOffsetMs: null,
    });
  });

  it('refuses a malformed report and changes nothing', async () => {
    h = await startTestHub(kind);
    const id = h.fixture.devices.a1.id;
    const device = await connectFixtureDevice(h, id);
    for (const bad of [
      { appVersion: '1.0', queuedMutations: -1 },
      { appVersion: 'x'.repeat(41), queuedMutations: 0 },
      { appVersion: '1.0\u0000', queuedMutations: 0 },
      { appVersion: '1.0', queuedMutations: 1, extra: true },
    ]) {
      const ack = (await device.socket.emitWithAck(SyncEvent.deviceStatus, bad)) as {
        error?: { code: string };
      };
      expect(ack.error?.code, JSON.stringify(bad)).toBe('VALIDATION_FAILED');
    }
    expect(await listed(id)).toMatchObject({ appVersion: null, queuedMutations: null });
  });

  it('answers a revoked device with DEVICE_REVOKED', async () => {
    h = await startTestHub(kind);
    const id = h.fixture.devices.a1.id;
    const device = await connectFixtureDevice(h, id);
    await h.t.db('devices').where({ id }).update({ revoked: true });
    const ack = (await device.socket.emitWithAck(SyncEvent.deviceStatus, {
      appVersion: '1.0',
      queuedMutations: 0,
    })) as { error?: { code: string } };
    expect(ack.error?.code).toBe('DEVICE_REVOKED');
    expect(await listed(id)).toMatchObject({ appVersion: null });
  });
});
