import { afterEach, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/databases';
import { lineSignature } from './signature';
import {
  lineBody,
  lineFollowEvent,
  lineTextEvent,
  postLine,
  startChannelHub,
  TEST_LINE,
  type ChannelHub,
} from './testing';

const USER = 'U4af4980629a1b2c3d4e5f60718293a4b';

describe.each(testDbKinds())('LINE webhook on %s', (kind) => {
  let h: ChannelHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const send = async (text: string, extra: Partial<Parameters<typeof lineTextEvent>[0]> = {}) => {
    const res = await postLine(h!.hub, lineBody([lineTextEvent({ userId: USER, text, ...extra })]));
    expect(res.status).toBe(200);
    await h!.hub.channels.idle();
  };
  const customer = () => h!.t.db('customers').where({ channel: 'line', channel_user_id: USER }).first();
  const replies = () =>
    h!.platform.delivered.map((d) =>
      (d.body as { messages: { text: string }[] }).messages.map((m) => m.text).join('|'),
    );

  it('binds a customer from a signed binding message and replies through the reply token', async () => {
    h = await startChannelHub(kind, {
      profiles: { [USER]: { displayName: '陳大文', pictureUrl: 'https://p.example/a.jpg' } },
    });
    await send('聯絡專員 ａ１０１');
    const row = await customer();
    expect(row).toMatchObject({
      display_name: '陳大文',
      avatar_url: 'https://p.example/a.jpg',
      bound_staff_id: h.fixture.staff.associateA.id,
      bound_branch_id: h.fixture.branchA,
    });
    expect(replies()).toEqual(['我是Branch A的Staff A101']);
    expect(h.platform.delivered[0]!.path).toBe('/v2/bot/message/reply');
    const history = await h.t.db('binding_history').where({ customer_id: row.id });
    expect(history).toMatchObject([
      { from_staff_id: null, to_staff_id: h.fixture.staff.associateA.id, channel: 'line', source: 'webhook' },
    ]);
    const outbound = await h.t.db('outbound_messages').where({ customer_id: row.id });
    expect(outbound).toMatchObject([{ kind: 'reply', status: 'sent', attempts: 1 }]);
    // The associate's and the team's lists get the customer through the change log.
    const changes = await h.t.db('changes').where({ entity: 'customer', entity_id: row.id }).orderBy('seq');
    expect(changes.map((c) => [c.scope, c.op])).toEqual([
      [`staff:${h.fixture.staff.associateA.id}`, 'upsert'],
      [`team:${h.fixture.branchA}`, 'upsert'],
    ]);
    expect(JSON.parse(String(changes[0]!.data))).toMatchObject({
      history: [{ source: 'webhook', toStaffId: h.fixture.staff.associateA.id, toStaffName: 'Staff A101' }],
    });
  });

  it('refuses to rebind in fixed mode, naming the current associate', async () => {
    h = await startChannelHub(kind);
    await send('聯絡專員A101');
    await send('聯絡專員B201');
    expect((await customer()).bound_staff_id).toBe(h.fixture.staff.associateA.id);
    expect(replies()).toEqual(['我是Branch A的Staff A101', '您已綁定Staff A101']);
    expect(await h.t.db('binding_history')).toHaveLength(1);
  });

  it('moves the customer in free mode, with history and a delete for the old branch', async () => {
    h = await startChannelHub(kind);
    await h.setSettings({
      mode: 'free',
      branchSuccessMessages: [
        {
          branchId: h.fixture.branchB,
          successMessage: {
            kind: 'module',
            messages: [
              { type: 'text', text: 'B店{店員姓名}' },
              { type: 'image', url: 'https://img.example/b.png' },
            ],
          },
        },
      ],
    });
    await send('聯絡專員A101');
    await send('聯絡專員b201');
    const row = await customer();
    expect(row.bound_staff_id).toBe(h.fixture.staff.associateB.id);
    expect(replies()).toEqual(['我是Branch A的Staff A101', 'B店Staff B201|']);
    expect((h.platform.delivered[1]!.body as { messages: unknown[] }).messages[1]).toEqual({
      type: 'image',
      originalContentUrl: 'https://img.example/b.png',
      previewImageUrl: 'https://img.example/b.png',
    });
    const history = await h.t.db('binding_history').where({ customer_id: row.id }).orderBy('id');
    expect(history.map((r) => [r.from_staff_id, r.to_staff_id])).toEqual([
      [null, h.fixture.staff.associateA.id],
      [h.fixture.staff.associateA.id, h.fixture.staff.associateB.id],
    ]);
    const changes = await h.t.db('changes').where({ entity: 'customer', entity_id: row.id }).orderBy('seq');
    const { associateA, associateB } = h.fixture.staff;
    expect(changes.map((c) => [c.scope, c.op])).toEqual([
      [`staff:${associateA.id}`, 'upsert'],
      [`team:${h.fixture.branchA}`, 'upsert'],
      [`staff:${associateB.id}`, 'upsert'],
      [`team:${h.fixture.branchB}`, 'upsert'],
      [`staff:${associateA.id}`, 'delete'],
      [`team:${h.fixture.branchA}`, 'delete'],
    ]);
  });

  it('binds nothing for an unknown staff code and sends the default reply', async () => {
    h = await startChannelHub(kind);
    await send('聯絡專員Z999');
    expect((await customer()).bound_staff_id).toBeNull();
    expect(replies()).toEqual(['找不到這位專員']);
    await send('你們幾點開門？');
    expect(replies()).toHaveLength(1); // an ordinary message gets no automatic reply
  });

  it('answers 401 and stores nothing for a missing or wrong signature', async () => {
    h = await startChannelHub(kind);
    const body = lineBody([lineTextEvent({ userId: USER, text: '聯絡專員A101' })]);
    expect((await postLine(h.hub, body, null)).status).toBe(401);
    expect((await postLine(h.hub, body, lineSignature(body, 'another-secret'))).status).toBe(401);
    expect((await postLine(h.hub, body, 'not base64 at all!')).status).toBe(401);
    expect(await h.t.db('webhook_inbox')).toHaveLength(0);
    expect(await customer()).toBeUndefined();
  });

  it('refuses a body re-serialised after signing', async () => {
    h = await startChannelHub(kind);
    const body = lineBody([lineTextEvent({ userId: USER, text: '聯絡專員A101' })]);
    const signature = lineSignature(body, TEST_LINE.channelSecret);
    const reserialised = JSON.stringify(JSON.parse(body), null, 2);
    expect((await postLine(h.hub, reserialised, signature)).status).toBe(401);
    expect(await h.t.db('webhook_inbox')).toHaveLength(0);
  });

  it('answers 400 to malformed JSON with a valid signature, and 413 to a body over the limit', async () => {
    h = await startChannelHub(kind, { webhookBodyLimit: 4096 });
    const res = await postLine(h.hub, '{"destination": "U1", "events": [');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const big = lineBody([lineTextEvent({ userId: USER, text: 'x'.repeat(5000) })]);
    expect((await postLine(h.hub, big)).status).toBe(413);
    expect(await h.t.db('webhook_inbox')).toHaveLength(0);
  });

  it('logs and ignores an unknown destination', async () => {
    h = await startChannelHub(kind);
    const body = lineBody(
      [lineTextEvent({ userId: USER, text: '聯絡專員A101' })],
      'Uffffffffffffffffffffffffffffffff',
    );
    expect((await postLine(h.hub, body)).status).toBe(200);
    await h.hub.channels.idle();
    expect(await h.t.db('webhook_inbox')).toHaveLength(0);
    expect(await customer()).toBeUndefined();
    expect(h.platform.delivered).toHaveLength(0);
  });

  it('processes an event delivered three times once: one binding, one reply', async () => {
    h = await startChannelHub(kind);
    const event = lineTextEvent({ userId: USER, text: '聯絡專員A101' });
    const first = lineBody([event]);
    const again = lineBody([{ ...event, deliveryContext: { isRedelivery: true } }]);
    const answers = await Promise.all([
      postLine(h.hub, first),
      postLine(h.hub, again),
      postLine(h.hub, again),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.hub.channels.idle();
    expect(await h.t.db('webhook_inbox')).toHaveLength(1);
    expect(await h.t.db('binding_history')).toHaveLength(1);
    expect(h.platform.delivered).toHaveLength(1);
  });

  it('answers at once and processes the events after, even those left by a crash', async () => {
    h = await startChannelHub(kind);
    // An event committed to the inbox by a hub that died before processing it:
    await h.t.db('webhook_inbox').insert({
      platform: 'line',
      event_key: 'left-by-crash',
      channel_id: TEST_LINE.id,
      kind: 'message',
      payload: JSON.stringify(
        lineTextEvent({ userId: USER, text: '聯絡專員A101', webhookEventId: 'left-by-crash' }),
      ),
      received_at: h.clock.now().toISOString(),
      attempts: 0,
    });
    await h.hub.close();
    const restarted = await (
      await import('../server')
    ).createHub({
      port: 0,
      dataDir: h.t.options.dataDir,
      databaseUrl: h.t.options.databaseUrl ?? null,
      ...(h.t.options.searchPath ? { searchPath: h.t.options.searchPath } : {}),
      clock: h.clock,
      logLevel: 'silent',
      lineApiBaseUrl: h.platform.url,
    });
    h.hub = restarted;
    await restarted.channels.idle();
    expect((await customer()).bound_staff_id).toBe(h.fixture.staff.associateA.id);
    expect(await h.t.db('webhook_inbox').whereNull('processed_at')).toHaveLength(0);
  });

  it('keeps an event that fails from taking the others of its batch down with it', async () => {
    h = await startChannelHub(kind);
    // The route refuses such an event now (no timestamp); one already in the inbox (left by an
    // older hub) still fails alone when processed.
    await h.t.db('webhook_inbox').insert({
      platform: 'line',
      event_key: 'broken-event',
      channel_id: 'channel-line',
      kind: 'message',
      payload: JSON.stringify({
        type: 'message',
        webhookEventId: 'broken-event',
        source: { type: 'user', userId: USER },
      }),
      received_at: h.clock.now().toISOString(),
      attempts: 0,
    });
    const good = lineTextEvent({ userId: USER, text: '聯絡專員A101' });
    expect((await postLine(h.hub, lineBody([good]))).status).toBe(200);
    await h.hub.channels.idle();
    expect((await customer()).bound_staff_id).toBe(h.fixture.staff.associateA.id);
    const failed = await h.t.db('webhook_inbox').where({ event_key: 'broken-event' }).first();
    expect(failed).toMatchObject({ processed_at: null, attempts: 1 });
    expect(failed.error).toBeTruthy();
  });

  it('creates the customer on follow with their LINE profile and records an unfollow', async () => {
    h = await startChannelHub(kind, {
      profiles: { [USER]: { displayName: '林阿明', pictureUrl: 'https://p.example/m.jpg' } },
    });
    expect((await postLine(h.hub, lineBody([lineFollowEvent(USER)]))).status).toBe(200);
    await h.hub.channels.idle();
    expect(await customer()).toMatchObject({
      display_name: '林阿明',
      avatar_url: 'https://p.example/m.jpg',
      unfollowed_at: null,
    });
    expect(
      h.platform.calls.some(
        (c) => c.path === `/v2/bot/profile/${USER}` && c.headers.authorization === 'Bearer line-token',
      ),
    ).toBe(true);
    await postLine(h.hub, lineBody([lineFollowEvent(USER, 'unfollow')]));
    await h.hub.channels.idle();
    expect((await customer()).unfollowed_at).not.toBeNull();
    expect(await h.t.db('events').where({ kind: 'line.unfollow' })).toHaveLength(1);
  });
});
