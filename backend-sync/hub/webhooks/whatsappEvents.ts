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
import type { Channel } from '../channels/store';
import { toWhatsappBodies } from '../channels/whatsapp';
import type { ApplyResult, BatchMemo, EventHandler, InboxRecord } from './processor';

export const WhatsappMessage = z.looseObject({
  from: z.string(),
  id: z.string().min(1),
  timestamp: z.string(),
  type: z.string(),
  text: z.looseObject({ body: z.string() }).optional(),
  button: z.looseObject({ text: z.string() }).optional(),
  interactive: z.looseObject({}).optional(),
});

export const WhatsappStatus = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.string(),
  recipient_id: z.string().optional(),
  errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional() })).optional(),
});

export const WhatsappContact = z.looseObject({
  wa_id: z.string(),
  profile: z.looseObject({ name: z.string().optional() }).optional(),
});

export const WhatsappWebhookBody = z.looseObject({
  object: z.string(),
  entry: z.array(
    z.looseObject({
      id: z.string().optional(),
      changes: z.array(
        z.looseObject({
          field: z.string(),
          value: z.looseObject({
            metadata: z
              .looseObject({ phone_number_id: z.string(), display_phone_number: z.string().optional() })
              .optional(),
            contacts: z.array(WhatsappContact).optional(),
            messages: z.array(WhatsappMessage).optional(),
            statuses: z.array(WhatsappStatus).optional(),
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

const epoch = (seconds: string, fallback: Date): string => {
  const n = Number(seconds);
  return Number.isFinite(n) && n > 0 ? new Date(n * 1000).toISOString() : fallback.toISOString();
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
  memo: BatchMemo,
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
