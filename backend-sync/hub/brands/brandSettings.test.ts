import { afterEach, describe, expect, it } from 'vitest';
import { SyncEvent, type BrandRow } from '../../protocol';
import { pullAll } from '../realtime/mutations/testing';
import { connectFixtureDevice, nextEvent, startTestHub, type TestHub } from '../realtime/testing';
import { testDbKinds } from '../testing/databases';

describe.each(testDbKinds())('PATCH /api/admin/brands/:brandId/settings on %s', (kind) => {
  let h: TestHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const patch = async (brandId: string, body: unknown, token = 'test-admin-token') => {
    const res = await fetch(`${h!.hub.url}/api/admin/brands/${brandId}/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const brandRowOf = async () => h!.t.db('brands').where({ id: h!.fixture.brandId }).first();

  it("changes the brand's till settings and every device of the brand pulls them", async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const b1 = await connectFixtureDevice(h, f.devices.b1.id);
    const { cursor } = await pullAll(b1);
    const poked = nextEvent(b1.socket, SyncEvent.poke);

    const res = await patch(f.brandId, { verifyMaxAttempts: 3, offlineRedeemLimitHours: 24 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: f.brandId,
      verifyMaxAttempts: 3,
      verifyLockSeconds: 300,
      offlineRedeemLimitHours: 24,
    });
    await poked;
    const { changes } = await pullAll(b1, cursor);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ entity: 'brand', op: 'upsert', id: f.brandId });
    expect((changes[0] as { data: BrandRow }).data).toEqual({
      id: f.brandId,
      name: 'Fixture Tea',
      timeZone: 'Asia/Taipei',
      verifyMaxAttempts: 3,
      verifyLockSeconds: 300,
      offlineRedeemLimitHours: 24,
      phoneRegion: 'HK',
      conversationUrls: { line: null, whatsapp: null },
      updates: { rolloutPercent: 100, window: { start: '03:00', end: '05:00' } },
      // A brand made before it was a setting: English dates day first.
      englishLocale: 'en-HK',
    });
  });

  it("sets the locale of English screens' dates, and every device of the brand pulls it", async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const b1 = await connectFixtureDevice(h, f.devices.b1.id);
    const { cursor } = await pullAll(b1);

    const res = await patch(f.brandId, { englishLocale: 'en-us' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ englishLocale: 'en-US', phoneRegion: 'HK' });
    expect(await brandRowOf()).toMatchObject({ english_locale: 'en-US' });
    const { changes } = await pullAll(b1, cursor);
    expect(changes.map((c) => [c.entity, (c as { data: BrandRow }).data.englishLocale])).toEqual([
      ['brand', 'en-US'],
    ]);
  });

  it("sets how tills update (rollout, window, a device's channel) and the devices pull it", async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const b1 = await connectFixtureDevice(h, f.devices.b1.id);
    const { cursor } = await pullAll(b1);

    const res = await patch(f.brandId, {
      updates: { rolloutPercent: 20, window: { start: '22:30', end: '06:00' } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      updates: { rolloutPercent: 20, window: { start: '22:30', end: '06:00' } },
    });
    const device = await fetch(`${h.hub.url}/api/admin/brands/${f.brandId}/devices/${f.devices.b1.id}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({ updateChannel: 'beta' }),
    });
    expect(device.status).toBe(200);
    expect(await device.json()).toMatchObject({ id: f.devices.b1.id, updateChannel: 'beta' });

    const { changes } = await pullAll(b1, cursor);
    expect(changes.map((c) => c.entity)).toEqual(['brand', 'device']);
    expect((changes[0] as { data: BrandRow }).data.updates).toEqual({
      rolloutPercent: 20,
      window: { start: '22:30', end: '06:00' },
    });
    expect(changes[1]).toMatchObject({ id: f.devices.b1.id, data: { updateChannel: 'beta' } });
  });

  it('refuses a rollout outside 0-100, a malformed or empty window and an unknown channel, writing nothing', async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const before = await brandRowOf();
    for (const updates of [
      { rolloutPercent: 101 },
      { rolloutPercent: -1 },
      { window: { start: '3:00', end: '05:00' } },
      { window: { start: '24:00', end: '05:00' } },
      { window: { start: '04:00', end: '04:00' } },
    ]) {
      expect((await patch(f.brandId, { updates })).status, JSON.stringify(updates)).toBe(400);
    }
    expect(await brandRowOf()).toEqual(before);
    const device = await fetch(`${h.hub.url}/api/admin/brands/${f.brandId}/devices/${f.devices.b1.id}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({ updateChannel: 'nightly' }),
    });
    expect(device.status).toBe(400);
    const missing = await fetch(`${h.hub.url}/api/admin/brands/${f.brandId}/devices/no-such-device`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer test-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({ updateChannel: 'beta' }),
    });
    expect(missing.status).toBe(404);
  });

  it('sets the phone region and the conversation links consoles open', async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const res = await patch(f.brandId, {
      phoneRegion: 'tw',
      conversationUrls: { line: 'https://chat.example.com/{userId}' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      phoneRegion: 'TW',
      conversationUrls: { line: 'https://chat.example.com/{userId}', whatsapp: null },
    });
    const cleared = await patch(f.brandId, { conversationUrls: { line: null } });
    expect(cleared.body).toMatchObject({ conversationUrls: { line: null, whatsapp: null } });
  });

  it('answers bad values with 400, an unknown brand with 404, a missing token with 401, and writes nothing', async () => {
    h = await startTestHub(kind);
    const f = h.fixture;
    const before = await brandRowOf();
    const changesBefore = await h.t.db('changes').count({ n: '*' }).first();

    const bad = [
      { verifyMaxAttempts: 0 },
      { verifyMaxAttempts: 21 },
      { verifyLockSeconds: 29 },
      { verifyLockSeconds: 86_401 },
      { offlineRedeemLimitHours: 721 },
      { offlineRedeemLimitHours: 1.5 },
      { verifyMaxAttempts: '5' },
      { verifyMaxAttempts: 5, colour: 'red' },
      { verifyMaxAttempts: 5, verifyLockSeconds: 10 }, // one bad value spoils the whole change
      { phoneRegion: 'XX' },
      { englishLocale: 'fr-FR' },
      { englishLocale: 'en' },
      { englishLocale: 'en-XX' },
      { englishLocale: 'en-GB-oxendict' },
      { englishLocale: 'zh-TW' },
      { conversationUrls: { line: 'http://chat.example.com/{userId}' } },
      { conversationUrls: { line: 'https://chat.example.com/no-placeholder' } },
      { conversationUrls: { line: 'javascript:alert(1)//{userId}' } },
      {},
    ];
    for (const body of bad) {
      const res = await patch(f.brandId, body);
      expect([JSON.stringify(body), res.status, (res.body.error as { code: string }).code]).toEqual([
        JSON.stringify(body),
        400,
        'VALIDATION_FAILED',
      ]);
    }
    const missing = await patch('no-such-brand', { verifyMaxAttempts: 5 });
    expect([missing.status, (missing.body.error as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
    const unauthorised = await patch(f.brandId, { verifyMaxAttempts: 5 }, 'wrong');
    expect([unauthorised.status, (unauthorised.body.error as { code: string }).code]).toEqual([
      401,
      'UNAUTHORIZED',
    ]);

    expect(await brandRowOf()).toEqual(before);
    expect(await h.t.db('changes').count({ n: '*' }).first()).toEqual(changesBefore);
  });

  it('is described in the OpenAPI document', async () => {
    h = await startTestHub(kind);
    const doc = (await (await fetch(`${h.hub.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string; requestBody: unknown; responses: object }>>;
    };
    const op = doc.paths['/api/admin/brands/{brandId}/settings']?.patch;
    expect(op?.operationId).toBe('updateBrandSettings');
    expect(Object.keys(op?.responses ?? {}).sort()).toEqual(['200', '400', '401', '403', '404']);
    expect(JSON.stringify(op?.requestBody)).toContain('verifyLockSeconds');
    expect(JSON.stringify(op?.requestBody)).toContain('englishLocale');
    // The other admin operations are still there.
    expect(doc.paths['/api/admin/brands']?.post?.operationId).toBe('createBrand');
  });
});
