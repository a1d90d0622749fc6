import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, SyncEvent } from '../../protocol';
import { testDbKinds } from '../testing/databases';
import { giveDeviceToken } from '../testing/fixtures';
import { connectDevice, request, startTestHub, type TestHub } from './testing';

describe.each(testDbKinds())('device connection on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const refusalOf = async (auth: Record<string, unknown>) => {
    const err = await connectDevice(h!, auth).then(
      () => undefined,
      (e: { refusal?: { code: string; message: string } }) => e,
    );
    return err?.refusal;
  };

  it('accepts valid credentials and records when the device was last seen', async () => {
    h = await startTestHub(kind);
    const id = h.fixture.devices.a1.id;
    const token = await giveDeviceToken(h.t.db, id);
    h.clock.set('2026-03-02T09:00:00.000Z');
    const socket = await connectDevice(h, {
      deviceId: id,
      deviceToken: token,
      protocolVersion: PROTOCOL_VERSION,
    });
    expect(socket.connected).toBe(true);
    const lastSeen = async () => (await h!.t.db('devices').where({ id }).first()).last_seen_at as string;
    expect(await lastSeen()).toBe('2026-03-02T09:00:00.000Z');
    // Written at most once a minute: requests within the minute leave it, the next one moves it.
    h.clock.set('2026-03-02T09:00:59.000Z');
    await request(socket, SyncEvent.pull, { cursor: 0 });
    expect(await lastSeen()).toBe('2026-03-02T09:00:00.000Z');
    h.clock.set('2026-03-02T09:01:00.000Z');
    await request(socket, SyncEvent.pull, { cursor: 0 });
    expect(await lastSeen()).toBe('2026-03-02T09:01:00.000Z');
  });

  it('refuses a wrong token, an unknown device and a missing payload with AUTH_INVALID', async () => {
    h = await startTestHub(kind);
    const id = h.fixture.devices.a1.id;
    await giveDeviceToken(h.t.db, id);
    expect(
      await refusalOf({ deviceId: id, deviceToken: 'wrong', protocolVersion: PROTOCOL_VERSION }),
    ).toMatchObject({
      code: 'AUTH_INVALID',
    });
    expect(
      await refusalOf({ deviceId: 'nobody', deviceToken: 'x', protocolVersion: PROTOCOL_VERSION }),
    ).toMatchObject({
      code: 'AUTH_INVALID',
    });
    expect(await refusalOf({})).toMatchObject({ code: 'AUTH_INVALID' });
  });

  it('refuses a device still awaiting enrollment', async () => {
    h = await startTestHub(kind);
    const refusal = await refusalOf({
      deviceId: h.fixture.devices.b1.id,
      deviceToken: '',
      protocolVersion: PROTOCOL_VERSION,
    });
    expect(refusal?.code).toBe('AUTH_INVALID');
  });

  it('refuses a revoked device with DEVICE_REVOKED', async () => {
    h = await startTestHub(kind);
    const id = h.fixture.devices.a1.id;
    const token = await giveDeviceToken(h.t.db, id);
    await h.t.db('devices').where({ id }).update({ revoked: true });
    const refusal = await refusalOf({ deviceId: id, deviceToken: token, protocolVersion: PROTOCOL_VERSION });
    expect(refusal?.code).toBe('DEVICE_REVOKED');
  });

  it('refuses a console two protocol versions behind with PROTOCOL_UNSUPPORTED', async () => {
    h = await startTestHub(kind);
    const id = h.fixture.devices.a1.id;
    const token = await giveDeviceToken(h.t.db, id);
    const refusal = await refusalOf({
      deviceId: id,
      deviceToken: token,
      protocolVersion: PROTOCOL_VERSION - 2,
    });
    expect(refusal?.code).toBe('PROTOCOL_UNSUPPORTED');
    const accepted = await connectDevice(h, {
      deviceId: id,
      deviceToken: token,
      protocolVersion: PROTOCOL_VERSION - 1,
    });
    expect(accepted.connected).toBe(true);
  });
});
