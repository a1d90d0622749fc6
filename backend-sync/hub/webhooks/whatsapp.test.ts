import { afterEach, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/databases';
import { whatsappSignature } from './signature';
import { postWhatsapp, startChannelHub, TEST_WA, waStatusBody, waTextBody, type ChannelHub } from './testing';

const WA_ID = '85291234567';

describe.each(testDbKinds())('WhatsApp webhook on %s', (kind) => {
  let h: ChannelHub | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const send = async (text: string, messageId?: string) => {
    const res = await postWhatsapp(
      h!.hub,
      waTextBody({ waId: WA_ID, name: '何小姐', text, ...(messageId ? { messageId } : {}) }),
    );
    expect(res.status).toBe(200);
    await h!.hub.channels.idle();
  };
  const customer = () => h!.t.db('customers').where({ channel: 'whatsapp', channel_user_id: WA_ID }).first();
  const texts = () => h!.platform.delivered.map((d) => (d.body as { text?: { body: string } }).text?.body);

  it('echoes hub.challenge for the right verify token, 403 otherwise', async () => {
    h = await startChannelHub(kind);
    const url = (token: string) =>
      `${h!.hub.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`;
    const ok = await fetch(url(TEST_WA.verifyToken));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1158201444');
    expect((await fetch(url('wrong'))).status).toBe(403);
  });

  it('binds from a signed message, with the phone and profile name, and replies in the window', async () => {
    h = await startChannelHub(kind);
    await send('聯絡專員 A101');
    expect(await customer()).toMatchObject({
      display_name: '何小姐',
      phone: `+${WA_ID}`,
      bound_staff_id: h.fixture.staff.associateA.id,
    });
    expect(texts()).toEqual(['我是Branch A的Staff A101']);
    const call = h.platform.calls.find((c) => c.path === `/v21.0/${TEST_WA.phoneNumberId}/messages`)!;
    expect(call.headers.authorization).toBe('Bearer wa-token');
    expect(call.body).toMatchObject({ messaging_product: 'whatsapp', to: WA_ID, type: 'text' });
  });

  it('rebinds in free mode and refuses in fixed mode', async () => {
    h = await startChannelHub(kind);
    await send('聯絡專員A101');
    await send('聯絡專員B201');
    expect((await customer()).bound_staff_id).toBe(h.fixture.staff.associateA.id);
    await h.setSettings({ mode: 'free' });
    await send('聯絡專員B201');
    expect((await customer()).bound_staff_id).toBe(h.fixture.staff.associateB.id);
    expect(texts()).toEqual(['我是Branch A的Staff A101', '您已綁定Staff A101', '我是Branch B的Staff B201']);
  });

  it('401 and nothing stored for a bad signature or a re-serialised body; 400 for malformed JSON', async () => {
    h = await startChannelHub(kind);
    const body = waTextBody({ waId: WA_ID, text: '聯絡專員A101' });
    expect((await postWhatsapp(h.hub, body, null)).status).toBe(401);
    expect((await postWhatsapp(h.hub, body, whatsappSignature(body, 'other'))).status).toBe(401);
    const resigned = whatsappSignature(body, TEST_WA.appSecret);
    expect((await postWhatsapp(h.hub, JSON.stringify(JSON.parse(body), null, 1), resigned)).status).toBe(401);
    expect((await postWhatsapp(h.hub, '{"object":')).status).toBe(400);
    expect(await h.t.db('webhook_inbox')).toHaveLength(0);
  });

  it('processes a message id delivered three times once', async () => {
    h = await startChannelHub(kind);
    const body = waTextBody({ waId: WA_ID, text: '聯絡專員A101', messageId: 'wamid.SAME' });
    await Promise.all([postWhatsapp(h.hub, body), postWhatsapp(h.hub, body), postWhatsapp(h.hub, body)]);
    await h.hub.channels.idle();
    expect(await h.t.db('binding_history')).toHaveLength(1);
    expect(h.platform.delivered).toHaveLength(1);
  });

  it('records delivery statuses, never moving one backwards, and failed is final', async () => {
    h = await startChannelHub(kind);
    await send('聯絡專員A101');
    const out = await h.t.db('outbound_messages').first();
    expect(out).toMatchObject({ status: 'sent', platform_message_id: 'wamid.1' });
    const status = async (s: string) => {
      await postWhatsapp(h!.hub, waStatusBody({ messageId: 'wamid.1', waId: WA_ID, status: s }));
      await h!.hub.channels.idle();
      return (await h!.t.db('outbound_messages').where({ id: out.id }).first()).status as string;
    };
    expect(await status('read')).toBe('read');
    expect(await status('delivered')).toBe('read'); // arrived late: ignored
    expect(await status('sent')).toBe('read');
    const row = await h.t.db('outbound_messages').where({ id: out.id }).first();
    expect(row.read_at).not.toBeNull();
    expect(row.delivered_at).not.toBeNull(); // the late status still fills its time

    await send('聯絡專員A101'); // already bound: the success message again → wamid.2
    const second = await h.t.db('outbound_messages').where({ platform_message_id: 'wamid.2' }).first();
    await postWhatsapp(h.hub, waStatusBody({ messageId: 'wamid.2', waId: WA_ID, status: 'failed' }));
    await postWhatsapp(h.hub, waStatusBody({ messageId: 'wamid.2', waId: WA_ID, status: 'delivered' }));
    await h.hub.channels.idle();
    expect((await h.t.db('outbound_messages').where({ id: second.id }).first()).status).toBe('failed');
  });
});
