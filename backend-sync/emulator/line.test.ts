/**
 * The emulator as LINE: signed webhooks that verify with an independent HMAC and match LINE's
 * documented shapes, the official SDK talking to it, retry keys, faults and the sent record.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { messagingApi } from '@line/bot-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LineWebhook } from './formats';
import { createEmulator, type Emulator } from './server';
import { startFakeHub, testChannels } from './testing';

const line = testChannels.line[0]!;
let hub: Awaited<ReturnType<typeof startFakeHub>>;
let emulator: Emulator;

beforeEach(async () => {
  hub = await startFakeHub();
  emulator = await createEmulator({ channels: testChannels, hubUrl: hub.url });
});
afterEach(async () => {
  await emulator.close();
  await hub.close();
});

const api = (token = line.channelAccessToken) =>
  new messagingApi.MessagingApiClient({ channelAccessToken: token, baseURL: emulator.url });

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${line.channelAccessToken}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });

const say = (body: object) =>
  fetch(`${emulator.url}/emulator/say`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

describe('pretend LINE customers', () => {
  it('post a text message webhook signed like LINE, in LINE’s shape', async () => {
    const answer = await say({ channel: 'line', user: 'U1', text: '聯絡專員 S001', displayName: '陳小姐' });
    expect(answer.status).toBe(200);
    expect(answer.body.hub).toMatchObject({ status: 200 });

    const [webhook] = hub.received;
    expect(webhook?.path).toBe('/webhooks/line');
    const expected = createHmac('sha256', line.channelSecret)
      .update(Buffer.from(webhook!.raw, 'utf8'))
      .digest('base64');
    expect(webhook!.headers['x-line-signature']).toBe(expected);

    const payload = LineWebhook.parse(webhook!.json);
    expect(payload.destination).toBe(line.botUserId);
    const event = payload.events[0]!;
    expect(event).toMatchObject({
      type: 'message',
      mode: 'active',
      source: { type: 'user', userId: 'U1' },
      deliveryContext: { isRedelivery: false },
      message: { type: 'text', text: '聯絡專員 S001' },
    });
  });

  it('follow, unfollow, and a redelivery with the same webhookEventId', async () => {
    await say({ channel: 'line', user: 'U2', event: 'follow' });
    await say({ channel: 'line', user: 'U2', text: 'hello' });
    await say({ channel: 'line', user: 'U2', redeliver: true });
    await say({ channel: 'line', user: 'U2', event: 'unfollow' });
    const events = hub.received.map((w) => LineWebhook.parse(w.json).events[0]!);
    expect(events.map((e) => e.type)).toEqual(['follow', 'message', 'message', 'unfollow']);
    expect(events[2]!.webhookEventId).toBe(events[1]!.webhookEventId);
    expect(events[2]!.deliveryContext.isRedelivery).toBe(true);
    expect('replyToken' in events[3]!).toBe(false);
    for (const w of hub.received) {
      expect(w.headers['x-line-signature']).toBe(
        createHmac('sha256', line.channelSecret).update(w.raw).digest('base64'),
      );
    }
  });

  it('refuse a message without text, and a redelivery of nothing', async () => {
    expect((await say({ channel: 'line', user: 'U3' })).status).toBe(400);
    expect((await say({ channel: 'line', user: 'U3', redeliver: true })).status).toBe(409);
    expect(hub.received).toHaveLength(0);
  });
});

describe('the LINE Messaging API, through the official SDK', () => {
  it('replies once per reply token, to the customer who wrote, and records it', async () => {
    const said = await emulator.say({ channel: 'line', user: 'U1', text: '聯絡專員 S001' });
    const answer = await api().replyMessage({
      replyToken: said.replyToken!,
      messages: [{ type: 'text', text: '您好！我是林小美' }],
    });
    expect(answer.sentMessages).toHaveLength(1);
    await expect(
      api().replyMessage({ replyToken: said.replyToken!, messages: [{ type: 'text', text: 'again' }] }),
    ).rejects.toMatchObject({ status: 400 });

    const sent = (await (await fetch(`${emulator.url}/emulator/sent?channel=line&to=U1`)).json()) as {
      items: { api: string; to: string[]; messages: unknown[] }[];
    };
    expect(sent.items).toEqual([
      expect.objectContaining({
        api: 'reply',
        to: ['U1'],
        messages: [{ type: 'text', text: '您好！我是林小美' }],
      }),
    ]);
  });

  it('pushes, multicasts, and knows profiles and the bot', async () => {
    await emulator.say({ channel: 'line', user: 'U9', text: 'hi', displayName: '王先生' });
    await api().pushMessage({ to: 'U9', messages: [{ type: 'text', text: 'push' }] });
    await api().multicast({ to: ['U9', 'U8'], messages: [{ type: 'text', text: 'multi' }] });
    expect(emulator.state.sent().map((r) => [r.api, r.to])).toEqual([
      ['push', ['U9']],
      ['multicast', ['U9', 'U8']],
    ]);
    expect(await api().getProfile('U9')).toMatchObject({ userId: 'U9', displayName: '王先生' });
    expect(await api().getBotInfo()).toMatchObject({ basicId: '@test-oa', userId: line.botUserId });
  });

  it('answers a wrong token with 401 and LINE’s error shape', async () => {
    const response = await post(
      '/v2/bot/message/push',
      { to: 'U1', messages: [{ type: 'text', text: 'x' }] },
      {
        authorization: 'Bearer wrong',
      },
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: expect.stringContaining('Authentication failed') });
    expect(emulator.state.sent()).toEqual([]);
  });

  it('answers a bad body with 400 and details', async () => {
    const response = await post('/v2/bot/message/push', { to: 'U1', messages: [] });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      message: expect.any(String),
      details: [expect.any(Object)],
    });
  });

  it('answers a repeated X-Line-Retry-Key with 409 and the first request id, sending nothing new', async () => {
    const key = randomUUID();
    const body = { to: 'U1', messages: [{ type: 'text', text: 'once' }] };
    const first = await post('/v2/bot/message/push', body, { 'x-line-retry-key': key });
    expect(first.status).toBe(200);
    const second = await post('/v2/bot/message/push', body, { 'x-line-retry-key': key });
    expect(second.status).toBe(409);
    expect(second.headers.get('x-line-accepted-request-id')).toBe(first.headers.get('x-line-request-id'));
    expect(await second.json()).toMatchObject({ message: expect.any(String) });
    expect(emulator.state.sent()).toHaveLength(1);
    // The SDK's own retry key parameter works the same way.
    const sdkKey = randomUUID();
    await api().pushMessage(body as never, sdkKey);
    await expect(api().pushMessage(body as never, sdkKey)).rejects.toMatchObject({ status: 409 });
    expect(emulator.state.sent()).toHaveLength(2);
  });

  it('fails the next N calls with 429 when asked, then recovers', async () => {
    const set = await fetch(`${emulator.url}/emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 2, channel: 'line' }),
    });
    expect(set.status).toBe(200);
    const body = { to: 'U1', messages: [{ type: 'text', text: 'retry me' }] };
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('/v2/bot/message/push', body)).status);
    expect(statuses).toEqual([429, 429, 200]);
    expect(emulator.state.sent()).toHaveLength(1);
  });
});

describe('the sent record', () => {
  it('filters by channel, recipient and since, and clears', async () => {
    const push = (to: string) => post('/v2/bot/message/push', { to, messages: [{ type: 'text', text: to }] });
    await push('Ua');
    await push('Ub');
    await push('Ua');
    const read = async (query: string) =>
      (
        (await (await fetch(`${emulator.url}/emulator/sent${query}`)).json()) as { items: { seq: number }[] }
      ).items.map((r) => r.seq);
    expect(await read('')).toEqual([1, 2, 3]);
    expect(await read('?to=Ua')).toEqual([1, 3]);
    expect(await read('?since=1')).toEqual([2, 3]);
    expect(await read('?channel=whatsapp')).toEqual([]);
    expect(await (await fetch(`${emulator.url}/emulator/sent`, { method: 'DELETE' })).json()).toEqual({
      cleared: 3,
    });
    expect(await read('')).toEqual([]);
  });
});
