import { afterEach, describe, expect, it } from 'vitest';
import { toChannel } from '../../channels/store';
import { testDbKinds } from '../../testing/databases';
import { startChannelHub, TEST_WA, type ChannelHub } from '../../webhooks/testing';

describe.each(testDbKinds())('admin API: channels and binding settings on %s', (kind) => {
  let h: ChannelHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${h!.hub.url}/api/admin${path}`, {
      method,
      headers: {
        authorization: 'Bearer test-admin-token',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('creates, lists and updates channels without ever returning a secret', async () => {
    h = await startChannelHub(kind);
    const created = await api('POST', `/brands/${h.fixture.brandId}/channels`, {
      kind: 'line',
      name: 'Second LINE',
      channelId: '1650000099',
      basicId: '@second',
      channelSecret: 'very-secret-value',
      accessToken: 'very-secret-token',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      kind: 'line',
      basicId: '@second',
      hasChannelSecret: true,
      hasAccessToken: true,
      destination: null,
    });
    // Consoles get the channel handles (never secrets) with the replicated brand row.
    const brandChange = await h.t.db('changes').where({ entity: 'brand' }).orderBy('seq', 'desc').first();
    expect(JSON.parse(brandChange.data).channels).toEqual({
      line: { basicId: '@fixture' },
      whatsapp: { phoneNumber: '85230001234', templates: [] },
      bindingPrefix: '聯絡專員',
      bindingSuffix: '',
    });
    expect(brandChange.data).not.toMatch(/secret|token/i);
    const listed = await api('GET', `/brands/${h.fixture.brandId}/channels`);
    expect((listed.body.items as unknown[]).length).toBe(3);
    expect(JSON.stringify(listed.body)).not.toMatch(/very-secret|wa-app-secret|wa-verify-token|line-token/);

    const updated = await api('PATCH', `/channels/${String(created.body.id)}`, {
      name: 'Renamed',
      accessToken: 'new-token',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Renamed', hasAccessToken: true });
    expect(JSON.stringify(updated.body)).not.toMatch(/new-token/);
    const stored = await h.t.db('channels').where({ id: created.body.id }).first();
    expect(stored.line_access_token).toMatch(/^enc:v1:/);
    expect(toChannel(stored)).toMatchObject({ accessToken: 'new-token', channelSecret: 'very-secret-value' });

    const wrongField = await api('PATCH', `/channels/${String(created.body.id)}`, { appSecret: 'x' });
    expect(wrongField.status).toBe(400);
    const missing = await api('POST', `/brands/${h.fixture.brandId}/channels`, {
      kind: 'whatsapp',
      name: 'x',
    });
    expect(missing.status).toBe(400);
    expect(await h.t.db('channels')).toHaveLength(3);
  });

  it('takes a verify token as long as its column holds once sealed, and refuses a longer or non-ASCII one', async () => {
    h = await startChannelHub(kind);
    const create = (verifyToken: string) =>
      api('POST', `/brands/${h!.fixture.brandId}/channels`, {
        kind: 'whatsapp',
        name: 'Second WhatsApp',
        phoneNumberId: '109000000000099',
        displayNumber: '85230009999',
        appSecret: 'a'.repeat(32),
        verifyToken,
        accessToken: 'wa-token',
      });
    const longest = await create('v'.repeat(128));
    expect(longest.status).toBe(201);
    const stored = await h.t.db('channels').where({ id: longest.body.id }).first();
    expect(toChannel(stored)).toMatchObject({ verifyToken: 'v'.repeat(128) });
    for (const refused of ['v'.repeat(129), '驗證'.repeat(20), 'has space']) {
      const answer = await create(refused);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toMatch(/verifyToken/);
    }
    expect(await h.t.db('channels')).toHaveLength(3);
  });

  it("keeps a WhatsApp channel's approved templates, which consoles get with the brand row", async () => {
    h = await startChannelHub(kind);
    const templates = [{ name: 'spring_sale', language: 'zh_HK', preview: '春季優惠' }];
    const updated = await api('PATCH', `/channels/${TEST_WA.id}`, { templates });
    expect(updated.status).toBe(200);
    expect(updated.body.templates).toEqual(templates);
    const brandChange = await h.t.db('changes').where({ entity: 'brand' }).orderBy('seq', 'desc').first();
    expect(JSON.parse(brandChange.data).channels.whatsapp).toEqual({ phoneNumber: '85230001234', templates });
    for (const bad of [
      { name: 'Spring Sale', language: 'zh_HK', preview: 'x' },
      { name: 'ok', language: 'chinese', preview: 'x' },
    ]) {
      const res = await api('PATCH', `/channels/${TEST_WA.id}`, { templates: [bad] });
      expect(res.status).toBe(400);
    }
  });

  it('refuses template buttons WhatsApp would refuse (seed 002), one issue per broken rule, and keeps the list', async () => {
    h = await startChannelHub(kind);
    const buttons = [
      ...['官網', '門市', '活動'].map((text) => ({ kind: 'url', text })),
      { kind: 'phone', text: '撥打' },
      { kind: 'phone', text: '客服' },
    ];
    const bad = await api('PATCH', `/channels/${TEST_WA.id}`, {
      templates: [{ name: 'spring_sale', language: 'zh_HK', preview: '春季優惠', buttons }],
    });
    expect(bad.status).toBe(400);
    const issues = (bad.body.error as { details: { issues: { path: string; message: string }[] } }).details
      .issues;
    expect(issues).toEqual([
      { path: 'templates.0.buttons', message: 'at most 2 website buttons (3 given)' },
      { path: 'templates.0.buttons', message: 'at most 1 phone-call buttons (2 given)' },
    ]);
    expect((await api('GET', `/brands/${h.fixture.brandId}/channels`)).body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: TEST_WA.id, templates: [] })]),
    );
    const ok = await api('PATCH', `/channels/${TEST_WA.id}`, {
      templates: [
        { name: 'spring_sale', language: 'zh_HK', preview: '春季優惠', buttons: buttons.slice(1, 4) },
      ],
    });
    expect(ok.status).toBe(200);
    expect((ok.body.templates as { buttons: unknown[] }[])[0]!.buttons).toHaveLength(3);
  });

  it('reads and replaces binding settings with branch overrides', async () => {
    h = await startChannelHub(kind);
    const settings = {
      mode: 'free',
      prefix: '找專員',
      suffix: '',
      successMessage: { kind: 'module', messages: [{ type: 'text', text: '{店員姓名}為您服務' }] },
      repeatMessage: { kind: 'text', text: '已綁定{店員姓名}' },
      defaultReply: null,
      branchSuccessMessages: [{ branchId: h.fixture.branchB, successMessage: { kind: 'text', text: 'B!' } }],
    };
    const put = await api('PUT', `/brands/${h.fixture.brandId}/binding-settings`, settings);
    expect(put.status).toBe(200);
    const got = await api('GET', `/brands/${h.fixture.brandId}/binding-settings`);
    expect(got.body).toMatchObject({ ...settings, brandId: h.fixture.brandId });

    const bad = await api('PUT', `/brands/${h.fixture.brandId}/binding-settings`, {
      ...settings,
      mode: 'fixed',
      branchSuccessMessages: [{ branchId: 'nope', successMessage: { kind: 'text', text: 'x' } }],
    });
    expect(bad.status).toBe(400);
    expect((await api('GET', `/brands/${h.fixture.brandId}/binding-settings`)).body.mode).toBe('free');
  });

  it('documents the new routes in the OpenAPI document', async () => {
    h = await startChannelHub(kind);
    const doc = (await (await fetch(`${h.hub.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/api/admin/brands/{brandId}/channels']!)).toEqual(['post', 'get']);
    expect(doc.paths['/api/admin/channels/{channelId}']).toHaveProperty('patch');
    expect(Object.keys(doc.paths['/api/admin/brands/{brandId}/binding-settings']!)).toEqual(['get', 'put']);
  });
});
