/**
 * The emulator as the WhatsApp Cloud API: inbound webhooks signed like Meta's and shaped like the
 * documented payload, the messages endpoint's answers and errors, statuses posted back signed,
 * the 24-hour window, faults, and the GET verification handshake.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WhatsAppWebhook } from './formats';
import { createEmulator, type Emulator } from './server';
import { startFakeHub, testChannels } from './testing';

const wa = testChannels.whatsapp[0]!;
let hub: Awaited<ReturnType<typeof startFakeHub>>;
let emulator: Emulator;

beforeEach(async () => {
  hub = await startFakeHub();
  emulator = await createEmulator({ channels: testChannels, hubUrl: hub.url, statusDelayMs: 5 });
});
afterEach(async () => {
  await emulator.close();
  await hub.close();
});

const send = (body: unknown, token = wa.accessToken, phoneNumberId = wa.phoneNumberId) =>
  fetch(`${emulator.url}/v21.0/${phoneNumberId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

const text = (to: string, body: string) => ({
  messaging_product: 'whatsapp',
  to,
  type: 'text',
  text: { body },
});
const signatureOf = (raw: string) =>
  `sha256=${createHmac('sha256', wa.appSecret).update(raw, 'utf8').digest('hex')}`;

describe('pretend WhatsApp customers', () => {
  it('post a text message webhook signed like Meta, in the Cloud API’s shape', async () => {
    const said = await emulator.say({
      channel: 'whatsapp',
      user: '+85291234567',
      text: '聯絡專員 S001',
      displayName: 'Ada',
    });
    expect(said.hub.status).toBe(200);
    const [webhook] = hub.received;
    expect(webhook?.path).toBe('/webhooks/whatsapp');
    expect(webhook!.headers['x-hub-signature-256']).toBe(signatureOf(webhook!.raw));
    const value = WhatsAppWebhook.parse(webhook!.json).entry[0]!.changes[0]!.value;
    expect(value.metadata).toEqual({
      display_phone_number: wa.displayPhoneNumber,
      phone_number_id: wa.phoneNumberId,
    });
    expect(value.contacts).toEqual([{ profile: { name: 'Ada' }, wa_id: '85291234567' }]);
    expect(value.messages![0]).toMatchObject({
      from: '85291234567',
      type: 'text',
      text: { body: '聯絡專員 S001' },
    });
    expect(said.eventId).toBe(value.messages![0]!.id);
  });
});

describe('the messages endpoint', () => {
  it('answers like the Cloud API, then posts sent → delivered → read, signed', async () => {
    await emulator.say({ channel: 'whatsapp', user: '85291234567', text: 'hi' });
    const response = await send(text('+85291234567', '您好'));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { messages: { id: string }[] };
    expect(answer).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: '+85291234567', wa_id: '85291234567' }],
      messages: [{ id: expect.stringMatching(/^wamid\./) }],
    });
    await hub.waitFor(4);
    const statuses = hub.received.slice(1).map((w) => {
      expect(w.headers['x-hub-signature-256']).toBe(signatureOf(w.raw));
      return WhatsAppWebhook.parse(w.json).entry[0]!.changes[0]!.value.statuses![0]!;
    });
    expect(statuses.map((s) => [s.status, s.id, s.recipient_id])).toEqual(
      ['sent', 'delivered', 'read'].map((s) => [s, answer.messages[0]!.id, '85291234567']),
    );
    expect(emulator.state.sent({ channel: 'whatsapp' })).toEqual([
      expect.objectContaining({ api: 'messages', to: ['85291234567'], messageIds: [answer.messages[0]!.id] }),
    ]);
  });

  it('echoes biz_opaque_callback_data in every status, and posts a status the hub missed again', async () => {
    await emulator.say({ channel: 'whatsapp', user: '85291234567', text: 'hi' }); // opens the window
    // The hub is down when the message is sent: nothing listens where the statuses go.
    const down = await startFakeHub();
    const downUrl = down.url;
    await down.close();
    emulator.setHubUrl(downUrl);
    const response = await send({ ...text('+85291234567', 'hi'), biz_opaque_callback_data: 'our-id-1' });
    expect(response.status).toBe(200);
    const { messages } = (await response.json()) as { messages: { id: string }[] };
    // The hub is back: the statuses arrive after all, in order, each naming our id.
    emulator.setHubUrl(hub.url);
    await hub.waitFor(4, 10_000);
    const statuses = hub.received
      .slice(1)
      .map((w) => WhatsAppWebhook.parse(w.json).entry[0]!.changes[0]!.value.statuses![0]!);
    expect(statuses.map((s) => [s.id, s.status, s.biz_opaque_callback_data])).toEqual([
      [messages[0]!.id, 'sent', 'our-id-1'],
      [messages[0]!.id, 'delivered', 'our-id-1'],
      [messages[0]!.id, 'read', 'our-id-1'],
    ]);
  });

  it('fails a free-form message outside the 24-hour window with 131047; templates go through', async () => {
    const refused = await send(text('85290000000', 'hello stranger'));
    expect(refused.status).toBe(200); // the platform accepts, then reports the failure
    await hub.waitFor(1);
    const failed = WhatsAppWebhook.parse(hub.received[0]!.json).entry[0]!.changes[0]!.value.statuses![0]!;
    expect(failed).toMatchObject({ status: 'failed', errors: [{ code: 131047 }] });

    const template = await send({
      messaging_product: 'whatsapp',
      to: '85290000000',
      type: 'template',
      template: { name: 'binding_notice', language: { code: 'zh_TW' } },
    });
    expect(template.status).toBe(200);
    await hub.waitFor(4);
    const last = WhatsAppWebhook.parse(hub.received[3]!.json).entry[0]!.changes[0]!.value.statuses![0]!;
    expect(last.status).toBe('read');
  });

  it('accepts interactive messages and mark-as-read', async () => {
    await emulator.say({ channel: 'whatsapp', user: '85291234567', text: 'hi' });
    const interactive = await send({
      messaging_product: 'whatsapp',
      to: '85291234567',
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Pick one' },
        action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A' } }] },
      },
    });
    expect(interactive.status).toBe(200);
    const read = await send({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.ABC123' });
    expect(await read.json()).toEqual({ success: true });
  });

  it('answers a wrong token with 401 / code 190 and a bad body with 400 / code 100', async () => {
    const wrong = await send(text('85291234567', 'x'), 'nope');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 190, type: 'OAuthException' } });
    const bad = await send({ messaging_product: 'whatsapp', to: '85291234567', type: 'text', text: {} });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 100 } });
    expect(emulator.state.sent()).toEqual([]);
  });

  it('fails the next call with 130429 when asked', async () => {
    emulator.state.addFault({ remaining: 1, channel: 'whatsapp', status: 429 });
    await emulator.say({ channel: 'whatsapp', user: '85291234567', text: 'hi' });
    const limited = await send(text('85291234567', 'x'));
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: { code: 130429 } });
    expect((await send(text('85291234567', 'x'))).status).toBe(200);
  });

  it('plays the GET verification handshake against the hub', async () => {
    const response = await fetch(`${emulator.url}/emulator/whatsapp/verify`, { method: 'POST' });
    expect(await response.json()).toEqual({ status: 200, verified: true });
  });
});
