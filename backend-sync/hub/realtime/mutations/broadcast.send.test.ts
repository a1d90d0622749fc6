/**
 * broadcast.send at the hub: one channel, exactly the associate's bound customers of that channel,
 * once each even when the request is pushed again; WhatsApp gets the approved template outside
 * the 24-hour window and the text inside it; the counts come back to the associate's list.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock, uuidV7 } from '../../../domain/clock';
import { SyncEvent, type BroadcastRow, type PullResponse, type SessionOpenResponse } from '../../../protocol';
import { createCustomersBulk } from '../../customers/customers';
import { testDbKinds } from '../../testing/databases';
import { startChannelHub, TEST_WA, type ChannelHub } from '../../webhooks/testing';
import { connectFixtureDevice, request, type DeviceClient } from '../testing';
import { push } from './testing';

const TEMPLATE = { name: 'spring_sale', language: 'zh_HK' };

const broadcast = (
  staffId: string,
  channel: 'line' | 'whatsapp',
  text: string | null,
  template: { name: string; language: string } | null = null,
) => ({
  id: uuidV7(),
  kind: 'broadcast.send' as const,
  payload: { staffId, channel, text, template },
  deviceTime: '2026-03-01T02:00:00.000Z',
});

describe.each(testDbKinds())('broadcast.send on %s', (kind) => {
  let h: ChannelHub;
  let a1: DeviceClient;
  beforeEach(async () => {
    h = await startChannelHub(kind);
    const { staff, brandId } = h.fixture;
    await h.t
      .db('channels')
      .where({ id: TEST_WA.id })
      .update({
        wa_templates: JSON.stringify([{ ...TEMPLATE, preview: '春季優惠' }]),
      });
    await createCustomersBulk(h.t.db, { clock: systemClock, ids: uuidV7 }, brandId, {
      customers: [
        { channel: 'line', channelUserId: 'U-mine-1', displayName: 'L1', boundStaffId: staff.associateA.id },
        { channel: 'line', channelUserId: 'U-mine-2', displayName: 'L2', boundStaffId: staff.associateA.id },
        { channel: 'line', channelUserId: 'U-other', displayName: 'L3', boundStaffId: staff.managerA.id },
        { channel: 'line', channelUserId: 'U-free', displayName: 'L4' },
        {
          channel: 'whatsapp',
          channelUserId: '85291234567',
          displayName: 'W1',
          boundStaffId: staff.associateA.id,
        },
        {
          channel: 'whatsapp',
          channelUserId: '85251234567',
          displayName: 'W2',
          boundStaffId: staff.associateA.id,
        },
      ],
    });
    a1 = await connectFixtureDevice(h, 'device-a1');
  });
  afterEach(() => h.close());

  it('sends a LINE text to my LINE customers only, once each even when pushed twice', async () => {
    const b = broadcast(h.fixture.staff.associateA.id, 'line', '週末全店 9 折');
    expect((await push(a1, [b])).results[0]).toMatchObject({ status: 'applied' });
    expect((await push(a1, [b])).results[0]).toMatchObject({
      status: 'duplicate',
      first: { status: 'applied' },
    });
    await h.hub.channels.idle();
    const pushes = h.platform.delivered.filter((d) => d.path === '/v2/bot/message/push');
    expect(pushes.map((d) => d.to).sort()).toEqual(['U-mine-1', 'U-mine-2']);
    expect(pushes.map((d) => (d.body as { messages: unknown[] }).messages)).toEqual([
      [{ type: 'text', text: '週末全店 9 折' }],
      [{ type: 'text', text: '週末全店 9 折' }],
    ]);
    expect(await h.t.db('broadcasts').where({ id: b.id }).first()).toMatchObject({
      state: 'done',
      total: 2,
      sent: 2,
      failed: 0,
    });
  });

  it('sends WhatsApp text inside the 24-hour window and the approved template outside it', async () => {
    await h.t.db('whatsapp_windows').insert({
      channel_id: TEST_WA.id,
      wa_id: '85291234567',
      customer_id: null,
      last_inbound_at: h.clock.now().toISOString(),
    });
    const b = broadcast(h.fixture.staff.associateA.id, 'whatsapp', '今天到店有禮', TEMPLATE);
    expect((await push(a1, [b])).results[0]).toMatchObject({ status: 'applied' });
    await h.hub.channels.idle();
    const sent = h.platform.delivered
      .map(
        (d) => d.body as { to: string; type: string; template?: { name: string }; text?: { body: string } },
      )
      .sort((x, y) => x.to.localeCompare(y.to));
    expect(sent.map((m) => [m.to, m.type, m.template?.name ?? m.text?.body])).toEqual([
      ['85251234567', 'template', 'spring_sale'],
      ['85291234567', 'text', '今天到店有禮'],
    ]);
  });

  it('refuses what cannot be sent, and shows progress in my list only', async () => {
    const me = h.fixture.staff.associateA;
    const { results } = await push(a1, [
      broadcast(me.id, 'whatsapp', null, { name: 'made_up', language: 'zh_HK' }),
      broadcast(me.id, 'whatsapp', 'hi', null),
      broadcast(me.id, 'line', null),
      broadcast(h.fixture.staff.admin.id, 'line', 'hi'),
    ]);
    expect(results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual([
      'TEMPLATE_NOT_APPROVED',
      'TEMPLATE_REQUIRED',
      'BROADCAST_TEXT_REQUIRED',
      'FORBIDDEN',
    ]);
    expect(h.platform.delivered).toEqual([]);

    const b = broadcast(me.id, 'line', 'hello');
    await push(a1, [b]);
    await h.hub.channels.idle();
    const session = await request<SessionOpenResponse>(a1.socket, SyncEvent.sessionOpen, {
      staffId: me.id,
      pin: me.pin,
    });
    const page = await request<PullResponse>(a1.socket, SyncEvent.pull, {
      stream: session.streams[0],
      cursor: 0,
    });
    const rows = page.changes.filter((c) => c.entity === 'broadcast' && c.op === 'upsert');
    const last = (rows.at(-1) as { data: BroadcastRow }).data;
    expect(last).toMatchObject({ id: b.id, state: 'done', total: 2, sent: 2, failed: 0, summary: 'hello' });
    const device = await request<PullResponse>(a1.socket, SyncEvent.pull, { cursor: 0 });
    expect(device.changes.filter((c) => c.entity === 'broadcast')).toEqual([]);
  });
});
