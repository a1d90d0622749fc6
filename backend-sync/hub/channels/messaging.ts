/**
 * Sending to one customer on their channel (what later features — referral links, sales coupons,
 * broadcasts — call): checks WhatsApp's 24-hour window up front, queues the rows, kicks the sender.
 */
import type { Knex } from 'knex';
import type { OutgoingMessage } from '../../domain/binding';
import type { Clock, IdGenerator } from '../../domain/clock';
import { AppError } from '../../domain/errors';
import { ChannelErrorCode } from './errors';
import { toLineMessages } from './line';
import { queueOutbound, whatsappWindowOpen, type OutboundSender } from './outbound';
import type { Channel } from './store';
import { toWhatsappBodies, whatsappTemplateBody } from './whatsapp';

export interface WhatsappTemplate {
  name: string;
  language: string;
  components?: unknown[];
}

export interface CustomerMessage {
  channel: Channel;
  customerId?: string | null;
  /** LINE user id or WhatsApp wa_id. */
  to: string;
  messages?: OutgoingMessage[];
  /** WhatsApp only: an approved template (the one thing allowed outside the 24-hour window). */
  template?: WhatsappTemplate;
}

export async function sendToCustomer(
  db: Knex,
  deps: { clock: Clock; ids: IdGenerator; sender: OutboundSender },
  message: CustomerMessage,
): Promise<string[]> {
  const { channel } = message;
  const ids: string[] = [];
  await db.transaction(async (trx) => {
    const base = { brandId: channel.brandId, channelId: channel.id, customerId: message.customerId ?? null };
    if (channel.kind === 'line') {
      ids.push(
        await queueOutbound(trx, deps, {
          ...base,
          recipient: message.to,
          kind: 'push',
          body: toLineMessages(message.messages ?? []),
        }),
      );
      return;
    }
    if (message.template) {
      const body = whatsappTemplateBody(message.to, message.template);
      ids.push(await queueOutbound(trx, deps, { ...base, recipient: message.to, kind: 'template', body }));
      return;
    }
    if (!(await whatsappWindowOpen(trx, channel.id, message.to, deps.clock.now()))) {
      throw new AppError(
        ChannelErrorCode.WHATSAPP_WINDOW_CLOSED,
        'The customer has not written in the last 24 hours: only a template may be sent.',
      );
    }
    for (const body of toWhatsappBodies(message.to, message.messages ?? [])) {
      ids.push(
        await queueOutbound(trx, deps, { ...base, recipient: message.to, kind: body.type as 'text', body }),
      );
    }
  });
  deps.sender.kick();
  return ids;
}
