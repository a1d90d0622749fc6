/**
 * broadcast.send: an associate's broadcast to their bound customers on ONE channel.
 * Inside the mutation's savepoint: the broadcast row (id = the mutation id), one recipient row per
 * customer (primary key broadcast + customer) and one queued outbound message each. The mutation
 * id is stored once and a retried push is answered `duplicate`, so a retried request never queues
 * a second round; the sender's retry keys keep LINE from delivering any message twice.
 *
 * LINE gets the text. WhatsApp customers who wrote in the last 24 hours get the text when one is
 * given, everyone else the approved template (the only thing WhatsApp allows outside the window).
 */
import { queueOutbound, whatsappWindowOpen } from '../../channels/outbound';
import { toChannel, type Channel } from '../../channels/store';
import { toWhatsappBodies, whatsappTemplateBody } from '../../channels/whatsapp';
import { recordBroadcast } from '../../broadcasts/rows';
import { salesStaffOf } from './staffChecks';
import { applied, rejected, type Applier } from './types';
import { uuidV7 } from '../../../domain/clock';

type Row = Record<string, unknown>;

export const applyBroadcastSend: Applier<'broadcast.send'> = async (mutation, ctx) => {
  const { payload } = mutation;
  const checked = await salesStaffOf(ctx, payload.staffId);
  if ('rejection' in checked) return checked.rejection;
  const { staff } = checked;
  const brandId = ctx.device.brandId;

  const channelRow = (await ctx
    .trx('channels')
    .where({ brand_id: brandId, kind: payload.channel })
    .orderBy('created_at')
    .first()) as Row | undefined;
  if (!channelRow) return rejected('CHANNEL_NOT_CONFIGURED', `The brand has no ${payload.channel} channel.`);
  const channel: Channel = toChannel(channelRow);
  if (channel.kind === 'line' && !payload.text) {
    return rejected('BROADCAST_TEXT_REQUIRED', 'A LINE broadcast needs a message.');
  }
  if (channel.kind === 'whatsapp') {
    const template = payload.template;
    if (!template) return rejected('TEMPLATE_REQUIRED', 'A WhatsApp broadcast needs an approved template.');
    if (!channel.templates.some((t) => t.name === template.name && t.language === template.language)) {
      return rejected('TEMPLATE_NOT_APPROVED', 'This template is not on the brand’s approved list.');
    }
  }

  const customers = (await ctx
    .trx('customers')
    .where({ brand_id: brandId, bound_staff_id: staff.id, channel: payload.channel })
    .orderBy('id')
    .select('id', 'channel_user_id')) as Row[];
  const now = ctx.clock.now();
  const at = now.toISOString();
  const broadcast: Row = {
    id: mutation.id,
    brand_id: brandId,
    staff_id: staff.id,
    device_id: ctx.device.id,
    channel: payload.channel,
    text: payload.text,
    template: payload.template ? JSON.stringify(payload.template) : null,
    state: customers.length === 0 ? 'done' : 'sending',
    total: customers.length,
    sent: 0,
    failed: 0,
    requested_at: at,
    updated_at: at,
  };
  await ctx.trx('broadcasts').insert(broadcast);

  const ids = { clock: ctx.clock, ids: uuidV7 };
  const recipients: Row[] = [];
  for (const customer of customers) {
    const to = String(customer.channel_user_id);
    const base = {
      brandId,
      channelId: channel.id,
      customerId: String(customer.id),
      recipient: to,
      broadcastId: mutation.id,
    };
    let outboundId: string;
    if (channel.kind === 'line') {
      outboundId = await queueOutbound(ctx.trx, ids, {
        ...base,
        kind: 'push',
        body: [{ type: 'text', text: payload.text }],
      });
    } else if (payload.text && (await whatsappWindowOpen(ctx.trx, channel.id, to, now))) {
      outboundId = await queueOutbound(ctx.trx, ids, {
        ...base,
        kind: 'text',
        body: toWhatsappBodies(to, [{ type: 'text', text: payload.text }])[0],
      });
    } else {
      outboundId = await queueOutbound(ctx.trx, ids, {
        ...base,
        kind: 'template',
        body: whatsappTemplateBody(to, payload.template!),
      });
    }
    recipients.push({ broadcast_id: mutation.id, customer_id: customer.id, outbound_id: outboundId });
  }
  for (let i = 0; i < recipients.length; i += 300) {
    await ctx.trx('broadcast_recipients').insert(recipients.slice(i, i + 300));
  }
  await recordBroadcast(ctx.trx, broadcast, now);
  return applied(true);
};
