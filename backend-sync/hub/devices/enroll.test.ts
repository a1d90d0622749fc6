import { afterEach, describe, expect, it } from 'vitest';
import { EnrollResponse, PROTOCOL_VERSION } from '../../protocol';
import { testDbKinds } from '../testing/databases';
import { insertDevice } from '../testing/fixtures';
import { startTestHub, type TestHub } from '../realtime/testing';
import { ENROLL_PATH, hashDeviceToken } from './enroll';

/** An EnrollResponse or an error body; tests read whichever the status says. */
type EnrollBody = { deviceToken: string; error: { code: string; message: string; details?: unknown } };

describe.each(testDbKinds())('device enrollment on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const enroll = async (body: unknown) => {
    const res = await fetch(`${h!.hub.url}${ENROLL_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as EnrollBody };
  };
  const request = (pairingCode: string, protocolVersion = PROTOCOL_VERSION) => ({
    pairingCode,
    deviceName: 'Counter PC',
    protocolVersion,
  });

  it('trades a pairing code for device credentials and stores only the token hash', async () => {
    h = await startTestHub(kind);
    const { status, body } = await enroll(request(h.fixture.devices.a1.pairingCode.toLowerCase()));
    expect(status).toBe(200);
    const response = EnrollResponse.parse(body);
    expect(response).toMatchObject({
      deviceId: h.fixture.devices.a1.id,
      brand: { id: h.fixture.brandId, name: 'Fixture Tea', timeZone: 'Asia/Taipei' },
      branch: { id: h.fixture.branchA, name: 'Branch A' },
      protocolVersion: PROTOCOL_VERSION,
    });
    const row = await h.t.db('devices').where({ id: response.deviceId }).first();
    expect(row.pairing_code).toBeNull();
    expect(row.token_hash).toBe(hashDeviceToken(response.deviceToken));
    expect(row.token_hash).not.toContain(response.deviceToken);
    expect(row.enrolled_at).not.toBeNull();
  });

  it('accepts a pairing code typed without its hyphen or with spaces', async () => {
    h = await startTestHub(kind);
    const typed = h.fixture.devices.a1.pairingCode.replace('-', ' ').toLowerCase(); // "pair a1"
    const { status } = await enroll(request(typed));
    expect(status).toBe(200);
  });

  it('refuses a code used before with 409 PAIRING_CODE_USED', async () => {
    h = await startTestHub(kind);
    expect((await enroll(request(h.fixture.devices.a1.pairingCode))).status).toBe(200);
    const again = await enroll(request(h.fixture.devices.a1.pairingCode));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('PAIRING_CODE_USED');
  });

  it('refuses an unknown code with 404 PAIRING_CODE_INVALID', async () => {
    h = await startTestHub(kind);
    const res = await enroll(request('NO-SUCH-CODE'));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('PAIRING_CODE_INVALID');
    expect(typeof res.body.error.message).toBe('string');
  });

  it('refuses an expired code', async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    await insertDevice(h.t.db, h.clock, {
      id: 'device-old',
      brandId: f.brandId,
      branchId: f.branchA,
      pairingCode: 'OLDC-ODE1',
      expiresAt: '2026-02-01T00:00:00.000Z',
    });
    const res = await enroll(request('OLDC-ODE1'));
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'PAIRING_CODE_INVALID', details: { reason: 'expired' } });
  });

  it('answers a malformed body with 400 VALIDATION_FAILED and writes nothing', async () => {
    h = await startTestHub(kind);
    const before = await h.t.db('devices').select().orderBy('id');
    for (const body of [
      { pairingCode: h.fixture.devices.a1.pairingCode },
      '{"not json',
      { ...request('PAIR-A1'), deviceName: '' },
      { ...request(h.fixture.devices.a1.pairingCode), deviceName: 'Counter\u0000PC' },
      { ...request(h.fixture.devices.a1.pairingCode), deviceName: 'Counter\u001bPC' },
    ]) {
      const res = await enroll(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await h.t.db('devices').select().orderBy('id')).toEqual(before);
    expect(await h.t.db('events').where({ kind: 'device.enrolled' })).toHaveLength(0);
  });

  it('answers a console on an unsupported protocol with 426 PROTOCOL_UNSUPPORTED', async () => {
    h = await startTestHub(kind);
    const res = await enroll(request(h.fixture.devices.a1.pairingCode, PROTOCOL_VERSION - 2));
    expect(res.status).toBe(426);
    expect(res.body.error.code).toBe('PROTOCOL_UNSUPPORTED');
    const row = await h.t.db('devices').where({ id: h.fixture.devices.a1.id }).first();
    expect(row.pairing_code).toBe(h.fixture.devices.a1.pairingCode);
  });

  it('lets exactly one of two simultaneous enrolls with one code succeed', async () => {
    h = await startTestHub(kind);
    const code = h.fixture.devices.a2.pairingCode;
    const results = await Promise.all([enroll(request(code)), enroll(request(code)), enroll(request(code))]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const row = await h.t.db('devices').where({ id: h.fixture.devices.a2.id }).first();
    expect(row.token_hash).toBe(hashDeviceToken(winner.body.deviceToken));
  });

  it('names the device as typed at enrollment, also in what it replicates to the tills', async () => {
    h = await startTestHub(kind);
    // Enrolling a1 first announces every device of the brand under the name the back office gave it, a2 included.
    expect((await enroll(request(h.fixture.devices.a1.pairingCode))).status).toBe(200);
    const { status } = await enroll({ ...request(h.fixture.devices.a2.pairingCode), deviceName: '櫃台 1' });
    expect(status).toBe(200);
    const row = await h.t.db('devices').where({ id: h.fixture.devices.a2.id }).first();
    expect(row.name).toBe('櫃台 1');
    const latest = await h.t
      .db('changes')
      .where({ entity: 'device', entity_id: h.fixture.devices.a2.id })
      .orderBy('seq', 'desc')
      .first();
    expect(JSON.parse(String(latest.data))).toMatchObject({ name: '櫃台 1' });
  });

  it('links a device to the one the console left when its token proves it, and not otherwise', async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const first = EnrollResponse.parse((await enroll(request(f.devices.a1.pairingCode))).body);
    // A wrong token links nothing (the enrollment itself still works).
    const forged = await enroll({
      ...request(f.devices.b1.pairingCode),
      previousDevice: { deviceId: first.deviceId, deviceToken: 'not-the-token' },
    });
    expect(forged.status).toBe(200);
    // The console that left a1 enrolls as a2, proving a1.
    const second = await enroll({
      ...request(f.devices.a2.pairingCode),
      previousDevice: { deviceId: first.deviceId, deviceToken: first.deviceToken },
    });
    expect(second.status).toBe(200);
    const rows = await h.t.db('devices').whereIn('id', [f.devices.a1.id, f.devices.a2.id, f.devices.b1.id]);
    const byId = new Map(rows.map((r: Record<string, unknown>) => [r.id, r]));
    expect(byId.get(f.devices.a2.id)?.replaces_device_id).toBe(f.devices.a1.id);
    expect(Boolean(byId.get(f.devices.a1.id)?.revoked)).toBe(true);
    expect(byId.get(f.devices.b1.id)?.replaces_device_id ?? null).toBeNull();
  });

  it('announces each device of the brand once when 20 tills enroll at once', async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const tills = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        insertDevice(h!.t.db, h!.clock, {
          id: `device-rush-${i}`,
          brandId: f.brandId,
          branchId: i % 2 ? f.branchA : f.branchB,
          pairingCode: `RUSH-${String(i).padStart(2, '0')}`,
        }),
      ),
    );
    const results = await Promise.all(
      tills.map((t, i) => enroll({ ...request(t.pairingCode), deviceName: `Rush ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(tills.map(() => 200));

    const changes = (await h.t.db('changes').where({ entity: 'device' }).orderBy('seq')) as {
      entity_id: string;
      data: string;
    }[];
    const perDevice = (id: string) => changes.filter((c) => c.entity_id === id);
    // Devices nobody enrolled are announced once, under their catalog name.
    for (const id of [f.devices.a1.id, f.devices.a2.id, f.devices.b1.id])
      expect(perDevice(id)).toHaveLength(1);
    // An enrolled one: at most an announcement, then its typed name, which is the last word.
    tills.forEach((t, i) => {
      const mine = perDevice(t.id);
      expect(mine.length).toBeGreaterThanOrEqual(1);
      expect(mine.length).toBeLessThanOrEqual(2);
      expect(JSON.parse(mine.at(-1)!.data)).toMatchObject({ name: `Rush ${i}` });
    });
  });
});
