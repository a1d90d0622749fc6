import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors';
import { testDbKinds } from '../testing/databases';
import {
  postWhatsapp,
  startChannelHub,
  TEST_LINE,
  TEST_WA,
  waTextBody,
  type ChannelHub,
} from '../webhooks/testing';
import { sendToCustomer } from './messaging';
import { getChannel, type Channel } from './store';

const LINE_USER = 'U0000000000000000000000000000aaaa';
const WA_ID = '85298765432';

describe.each(testDbKinds())('outbound messages on %s', (kind) => {
  let h: ChannelHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const channel = async (id: string) => (await getChannel(h!.t.db, id)) as Channel;
  const send = async (id: string, to: string, text: string, extra: object = {}) => {
    const ids = await sendToCustomer(
      h!.t.db,
      { clock: h!.clock, ids: () => crypto.randomUUID(), sender: h!.hub.channels.sender },
      { channel: await channel(id), to, messages: [{ type: 'text', text }], ...extra },
    );
    await h!.hub.channels.idle();
    return h!.t.db('outbound_messages').whereIn('id', ids);
  };

  it('retries a LINE push refused with 429 with the same retry key, honouring Retry-After', async () => {
    h = await startChannelHub(kind);
    h.platform.refuseNext(2, {
      status: 429,
      body: { message: 'Too many requests' },
      headers: { 'retry-after': '7' },
    });
    const [row] = await send(TEST_LINE.id, LINE_USER, 'hello');
    expect(row).toMatchObject({ status: 'sent', attempts: 3, kind: 'push' });
    const pushes = h.platform.calls.filter((c) => c.path === '/v2/bot/message/push');
    expect(pushes).toHaveLength(3);
    expect(new Set(pushes.map((c) => c.headers['x-line-retry-key']))).toEqual(new Set([row.retry_key]));
    expect(h.platform.delivered).toHaveLength(1);
    expect(h.sleeps.every((ms) => ms >= 7000)).toBe(true);
  });

  it('never sends twice when LINE accepted a push whose answer was lost', async () => {
    h = await startChannelHub(kind);
    h.platform.refuseNext(1, { status: 500, acceptAnyway: true });
    const [row] = await send(TEST_LINE.id, LINE_USER, 'hello');
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(h.platform.calls.filter((c) => c.path === '/v2/bot/message/push')).toHaveLength(2);
    expect(h.platform.delivered).toHaveLength(1);
  });

  it('gives up after the bounded number of attempts and records the failure', async () => {
    h = await startChannelHub(kind);
    h.platform.refuseNext(10, { status: 429 });
    const [row] = await send(TEST_LINE.id, LINE_USER, 'hello');
    expect(row).toMatchObject({ status: 'failed', attempts: 5, error_code: 'CHANNEL_RATE_LIMITED' });
    expect(h.sleeps).toHaveLength(4);
    expect(h.sleeps[3]!).toBeGreaterThan(h.sleeps[0]!); // exponential
  });

  it('backs off on WhatsApp 130429 and then sends once', async () => {
    h = await startChannelHub(kind);
    await postWhatsapp(h.hub, waTextBody({ waId: WA_ID, text: 'hi' })); // opens the 24-hour window
    await h.hub.channels.idle();
    h.platform.refuseNext(1, {
      status: 400,
      body: {
        error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, fbtrace_id: 'x' },
      },
    });
    const [row] = await send(TEST_WA.id, WA_ID, 'hello');
    expect(row).toMatchObject({ status: 'sent', attempts: 2, kind: 'text' });
    expect(h.platform.delivered).toHaveLength(1);
  });

  it('sends only templates outside the 24-hour window', async () => {
    h = await startChannelHub(kind);
    const wa = await channel(TEST_WA.id);
    const deps = { clock: h.clock, ids: () => crypto.randomUUID(), sender: h.hub.channels.sender };
    const text = { channel: wa, to: WA_ID, messages: [{ type: 'text' as const, text: 'hello' }] };
    await expect(sendToCustomer(h.t.db, deps, text)).rejects.toMatchObject({
      code: 'WHATSAPP_WINDOW_CLOSED',
    });
    await expect(sendToCustomer(h.t.db, deps, text)).rejects.toBeInstanceOf(AppError);

    await postWhatsapp(h.hub, waTextBody({ waId: WA_ID, text: 'hi', timestamp: h.clock.now().getTime() }));
    await h.hub.channels.idle();
    expect(await sendToCustomer(h.t.db, deps, text)).toHaveLength(1);
    h.clock.advance(24 * 3_600_000 + 1000);
    await expect(sendToCustomer(h.t.db, deps, text)).rejects.toMatchObject({
      code: 'WHATSAPP_WINDOW_CLOSED',
    });

    const [template] = await send(TEST_WA.id, WA_ID, '', {
      messages: [],
      template: { name: 'hello_world', language: 'zh_TW' },
    });
    expect(template).toMatchObject({ kind: 'template', status: 'sent' });
    expect(h.platform.delivered.at(-1)!.body).toMatchObject({
      type: 'template',
      template: { name: 'hello_world' },
    });
  });
});
