/**
 * What reaches the customer when sending goes wrong, against the channel emulator (which, like
 * the platforms, expires LINE reply tokens after a minute, answers a repeated X-Line-Retry-Key
 * with 409 and posts WhatsApp statuses carrying biz_opaque_callback_data).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeHub } from '../../emulator/testing';
import { testDbKinds } from '../testing/databases';
import { EMU_LINE, EMU_WA, startEmulatorHub, type EmulatorHub } from '../testing/emulatorHub';

const USER = 'U4af4980629a1b2c3d4e5f60718293a4b';
const WA_USER = '85291234567';
const BOUND_REPLY = '我是Branch A的Staff A101';

const texts = (h: EmulatorHub, channel: 'line' | 'whatsapp') =>
  h.emulator.state.sent({ channel }).map((r) => ({
    api: r.api,
    to: r.to,
    text:
      channel === 'line'
        ? (r.messages as { text: string }[]).map((m) => m.text).join('|')
        : (r.messages[0] as { text: { body: string } }).text.body,
  }));

describe.each(testDbKinds())('outbound outcomes on %s', (kind) => {
  let h: EmulatorHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('pushes a binding reply whose reply token expired while LINE was down, once', async () => {
    h = await startEmulatorHub(kind, { retryBaseDelayMs: 20_000 });
    h.emulator.state.addFault({ remaining: 3, channel: 'line', status: 500 });
    await h.emulator.say({ channel: 'line', user: USER, text: '聯絡專員A101' });
    await h.hub.channels.idle();
    expect(texts(h, 'line')).toEqual([{ api: 'push', to: [USER], text: BOUND_REPLY }]);
    const rows = await h.t.db('outbound_messages');
    expect(rows).toMatchObject([{ kind: 'push', status: 'sent' }]);
  });

  it('answers an event processed after its reply token expired with a push, recorded', async () => {
    h = await startEmulatorHub(kind);
    // The webhook arrives while the hub is busy elsewhere: keep it, and deliver it 2 minutes later.
    const held = await startFakeHub();
    h.emulator.setHubUrl(held.url);
    await h.emulator.say({ channel: 'line', user: USER, text: '聯絡專員A101' });
    h.clock.advance(120_000);
    const webhook = held.received[0]!;
    await held.close();
    const res = await fetch(`${h.hub.url}/webhooks/line`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-line-signature': String(webhook.headers['x-line-signature']),
      },
      body: webhook.raw,
    });
    expect(res.status).toBe(200);
    await h.hub.channels.idle();
    expect(texts(h, 'line')).toEqual([{ api: 'push', to: [USER], text: BOUND_REPLY }]);
    expect(await h.t.db('outbound_messages')).toMatchObject([{ kind: 'push', status: 'sent' }]);
  });

  it('still replies through the token while it is fresh', async () => {
    h = await startEmulatorHub(kind);
    await h.emulator.say({ channel: 'line', user: USER, text: '聯絡專員A101' });
    await h.hub.channels.idle();
    expect(texts(h, 'line')).toEqual([{ api: 'reply', to: [USER], text: BOUND_REPLY }]);
  });

  it('does not resend a WhatsApp message whose answer was a 5xx until no status named it for the wait', async () => {
    h = await startEmulatorHub(kind, { whatsappStatusWaitMs: 60_000 });
    h.emulator.state.addFault({ remaining: 1, channel: 'whatsapp', status: 500 });
    await h.emulator.say({ channel: 'whatsapp', user: WA_USER, text: '聯絡專員A101' });
    await h.hub.channels.idle();
    expect(texts(h, 'whatsapp')).toEqual([]);
    expect(await h.t.db('outbound_messages')).toMatchObject([
      { status: 'unknown', error_code: 'OUTCOME_UNKNOWN' },
    ]);
    // Before the wait is over a kick sends nothing; after it, the message goes once.
    h.hub.channels.sender.kick();
    await h.hub.channels.idle();
    expect(texts(h, 'whatsapp')).toEqual([]);
    h.clock.advance(60_000);
    h.hub.channels.sender.kick();
    await h.hub.channels.idle();
    expect(texts(h, 'whatsapp')).toEqual([{ api: 'messages', to: [WA_USER], text: BOUND_REPLY }]);
    const sent = h.emulator.state.sent({ channel: 'whatsapp' })[0]!;
    expect(sent.messages[0]).toMatchObject({ biz_opaque_callback_data: expect.any(String) });
  });

  it('settles a WhatsApp message of unknown outcome from the status webhook that names it, never sending again', async () => {
    h = await startEmulatorHub(kind, { whatsappStatusWaitMs: 60_000 });
    await h.emulator.say({ channel: 'whatsapp', user: WA_USER, text: 'hello' });
    await h.hub.channels.idle();
    // As a crash would leave it: sent (the emulator has it) but recorded only as an attempt.
    const [row] = await h.t.db('customers').where({ channel: 'whatsapp' });
    const id = 'out-unknown-1';
    const body = { messaging_product: 'whatsapp', to: WA_USER, type: 'text', text: { body: 'hi' } };
    await h.t.db('outbound_messages').insert({
      id,
      brand_id: h.fixture.brandId,
      channel_id: 'channel-wa',
      customer_id: row.id,
      recipient: WA_USER,
      kind: 'text',
      body: JSON.stringify(body),
      retry_key: '5b0d3c9e-8f5e-4c55-9a55-1b1f0b7d2a11',
      status: 'sending',
      attempts: 1,
      created_at: h.clock.now().toISOString(),
    });
    const delivered = await fetch(`${h.emulator.url}/v21.0/${EMU_WA.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${EMU_WA.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...body, biz_opaque_callback_data: id }),
    });
    expect(delivered.status).toBe(200);
    h.hub.channels.start(); // what a restart does: the row becomes 'unknown', not sent again
    await h.hub.channels.idle();
    // The emulator's statuses arrive (sent → delivered → read) and settle it.
    await waitFor(async () => {
      const r = await h!.t.db('outbound_messages').where({ id }).first();
      return r.status === 'read';
    });
    h.clock.advance(120_000);
    h.hub.channels.sender.kick();
    await h.hub.channels.idle();
    expect(h.emulator.state.sent({ channel: 'whatsapp' })).toHaveLength(1);
    expect(await h.t.db('outbound_messages').where({ id }).first()).toMatchObject({
      status: 'read',
      platform_message_id: expect.stringMatching(/^wamid\./),
      error_code: null,
    });
  });

  it('sends a LINE push an attempt left open again with its retry key, delivered once', async () => {
    h = await startEmulatorHub(kind);
    await h.emulator.say({ channel: 'line', user: USER, text: 'hello' });
    await h.hub.channels.idle();
    const [customer] = await h.t.db('customers').where({ channel: 'line' });
    const retryKey = '0f8fad5b-d9cb-469f-a165-70867728950e';
    const messages = [{ type: 'text', text: 'once only' }];
    // The push reached LINE, then the hub died before recording it.
    const first = await fetch(`${h.emulator.url}/v2/bot/message/push`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${EMU_LINE.channelAccessToken}`,
        'content-type': 'application/json',
        'x-line-retry-key': retryKey,
      },
      body: JSON.stringify({ to: USER, messages }),
    });
    expect(first.status).toBe(200);
    await h.t.db('outbound_messages').insert({
      id: 'out-open-1',
      brand_id: h.fixture.brandId,
      channel_id: 'channel-line',
      customer_id: customer.id,
      recipient: USER,
      kind: 'push',
      body: JSON.stringify(messages),
      retry_key: retryKey,
      status: 'sending',
      attempts: 1,
      created_at: h.clock.now().toISOString(),
    });
    h.hub.channels.start();
    await h.hub.channels.idle();
    expect(texts(h, 'line')).toEqual([{ api: 'push', to: [USER], text: 'once only' }]);
    expect(await h.t.db('outbound_messages').where({ id: 'out-open-1' }).first()).toMatchObject({
      status: 'sent',
      attempts: 2,
    });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
