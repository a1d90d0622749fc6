/**
 * What a WhatsApp webhook item does once it is in the inbox:
 *   message  the customer (wa_id, profile name, phone) is upserted, the 24-hour window reopened,
 *            and text goes through the binding rules; replies are sent as session messages
 *   status   recorded on the outbound message, only ever forward (sent → delivered → read)
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Clock, IdGenerator } from '../../domain/clock';
import { applyBindingMessage, upsertChannelCustomer } from '../binding/service';
import { loadBindingSettings } from '../binding/settings';
import { queueOutbound } from '../channels/outbound';
import { applyDeliveryStatus, type DeliveryStatus } from '../channels/statuses';
import { PLATFORM_ID } from '../http/inputBounds';
import type { Channel } from '../channels/store';
import { toWhatsappBodies } from '../channels/whatsapp';
import type { Memo } from '../binding/service';
import type { ApplyResult, EventHandler, InboxRecord } from './processor';

/** Every field that reaches a column is bounded here, at the route (see LineEvent). */
const platformId = z.string().regex(PLATFORM_ID);
const word = z.string().max(40);
/** A wa_id is the customer's number in digits (E.164 without '+'). */
const waId = z.string().regex(/^\d{4,20}$/);

export const WhatsappMessage = z.looseObject({
  from: waId,
  id: platformId,
  /** Seconds since the epoch, as a string. */
  timestamp: z.string().regex(/^\d{1,12}$/),
  type: word,
  text: z.looseObject({ body: z.string().max(5000) }).optional(),
  button: z.looseObject({ text: z.string().max(5000) }).optional(),
  interactive: z.looseObject({}).optional(),
});

export const WhatsappStatus = z.looseObject({
  id: platformId,
  status: word,
  timestamp: word,
  recipient_id: z.string().max(64).optional(),
  /** Ours, echoed back by the platform: the outbound message id (see channels/whatsapp.ts). */
  biz_opaque_callback_data: z.string().max(512).optional(),
  errors: z
    .array(z.looseObject({ code: z.number().optional(), title: z.string().max(500).optional() }))
    .max(20)
    .optional(),
});

export const WhatsappContact = z.looseObject({
  wa_id: waId,
  profile: z.looseObject({ name: z.string().optional() }).optional(),
});

export const WhatsappWebhookBody = z.looseObject({
  object: word,
  entry: z.array(
    z.looseObject({
      id: z.string().optional(),
      changes: z.array(
        z.looseObject({
          field: word,
          value: z.looseObject({
            metadata: z
              .looseObject({ phone_number_id: platformId, display_phone_number: word.optional() })
              .optional(),
            contacts: z.array(WhatsappContact).max(1000).optional(),
            messages: z.array(WhatsappMessage).max(1000).optional(),
            statuses: z.array(WhatsappStatus).max(1000).optional(),
          }),
        }),
      ),
    }),
  ),
});

/** What the inbox keeps for a message: the message with its sender's contact card. */
export interface WhatsappMessageItem {
  message: z.infer<typeof WhatsappMessage>;
  contact: z.infer<typeof WhatsappContact> | null;
}

export interface WhatsappHandlerDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
}

/** Seconds since the epoch as an ISO time; the fallback for anything a Date cannot hold. */
const epoch = (seconds: string, fallback: Date): string => {
  const at = new Date(Number(seconds) * 1000);
  return Number(seconds) > 0 && !Number.isNaN(at.getTime()) ? at.toISOString() : fallback.toISOString();
};

function interactiveTitle(interactive: unknown): string | undefined {
  const i = interactive as
    { button_reply?: { title?: unknown }; list_reply?: { title?: unknown } } | undefined;
  const title = i?.button_reply?.title ?? i?.list_reply?.title;
  return typeof title === 'string' ? title : undefined;
}

export function whatsappEventHandler(deps: WhatsappHandlerDeps): EventHandler {
  return {
    apply: (trx, record, channel, _prepared, memo) =>
      record.kind === 'status'
        ? applyStatus(trx, deps, record)
        : applyMessage(trx, deps, record, channel, memo),
  };
}

async function applyStatus(
  trx: Knex.Transaction,
  deps: WhatsappHandlerDeps,
  record: InboxRecord,
): Promise<ApplyResult> {
  const status = WhatsappStatus.parse(record.payload);
  if (!['sent', 'delivered', 'read', 'failed'].includes(status.status)) return {};
  await applyDeliveryStatus(trx, {
    platformMessageId: status.id,
    outboundId: status.biz_opaque_callback_data,
    status: status.status as DeliveryStatus,
    at: epoch(status.timestamp, deps.clock.now()),
    error: status.errors?.map((e) => `${e.code ?? ''} ${e.title ?? ''}`.trim()).join('; ') || null,
  });
  return {};
}

async function applyMessage(
  trx: Knex.Transaction,
  deps: WhatsappHandlerDeps,
  record: InboxRecord,
  channel: Channel,
  memo: Memo,
): Promise<ApplyResult> {
  const { message, contact } = record.payload as WhatsappMessageItem;
  const waId = contact?.wa_id ?? message.from;
  const upserted = await upsertChannelCustomer(trx, deps, {
    brandId: channel.brandId,
    channel: 'whatsapp',
    channelUserId: waId,
    displayName: contact?.profile?.name || null,
    phone: `+${waId}`,
  });
  const inboundAt = epoch(message.timestamp, deps.clock.now());
  await trx('whatsapp_windows')
    .insert({
      channel_id: channel.id,
      wa_id: waId,
      customer_id: upserted.customer.id,
      last_inbound_at: inboundAt,
    })
    .onConflict(['channel_id', 'wa_id'])
    .merge({ last_inbound_at: inboundAt, customer_id: upserted.customer.id });

  // Typed text, a quick-reply button's text, or the title of a picked interactive reply.
  const text = message.text?.body ?? message.button?.text ?? interactiveTitle(message.interactive);
  if (text === undefined) return { changedBrandId: upserted.changed ? channel.brandId : undefined };
  const settings = await memo.get(`settings:${channel.brandId}`, () =>
    loadBindingSettings(trx, channel.brandId),
  );
  const result = await applyBindingMessage(trx, deps, { customer: upserted.customer, text, settings, memo });
  const changed = result.changed || upserted.changed;
  for (const body of toWhatsappBodies(waId, result.replies)) {
    await queueOutbound(trx, deps, {
      brandId: channel.brandId,
      channelId: channel.id,
      customerId: String(result.customer.id),
      recipient: waId,
      kind: body.type as 'text' | 'image',
      body,
      sourceInboxId: record.id,
    });
  }
  return { changedBrandId: changed ? channel.brandId : undefined, queued: result.replies.length > 0 };
}
