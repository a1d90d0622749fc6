/**
 * What a LINE webhook event does once it is in the inbox:
 *   follow    the customer is created or refreshed with their LINE display name and picture
 *   unfollow  recorded on the customer (and as an audit event)
 *   message   text → binding rules; the reply goes out through the event's reply token
 * Events from groups and rooms are ignored (binding is one-to-one).
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Clock, IdGenerator } from '../../domain/clock';
import { applyBindingMessage, upsertChannelCustomer } from '../binding/service';
import { loadBindingSettings } from '../binding/settings';
import { lineApi, toLineMessages, type LineProfile } from '../channels/line';
import { queueOutbound } from '../channels/outbound';
import type { Channel } from '../channels/store';
import type { ApplyResult, BatchMemo, EventHandler, InboxRecord } from './processor';

/** The parts of a LINE webhook event we read (LINE adds fields over time: passthrough). */
export const LineEvent = z.looseObject({
  type: z.string(),
  webhookEventId: z.string().min(1),
  timestamp: z.number(),
  mode: z.string().optional(),
  replyToken: z.string().optional(),
  source: z
    .looseObject({ type: z.string(), userId: z.string().optional() })
    .optional(),
  deliveryContext: z.looseObject({ isRedelivery: z.boolean() }).optional(),
  message: z.looseObject({ type: z.string(), id: z.string().optional(), text: z.string().optional() }).optional(),
});
export type LineEvent = z.infer<typeof LineEvent>;

export const LineWebhookBody = z.looseObject({
  destination: z.string(),
  events: z.array(z.looseObject({ webhookEventId: z.string().optional(), type: z.string().optional() })),
});

export interface LineHandlerDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  lineApiBaseUrl: string;
}

export function lineEventHandler(deps: LineHandlerDeps): EventHandler {
  return {
    prepare: async (record, channel) => {
      const event = LineEvent.parse(record.payload);
      const userId = event.source?.type === 'user' ? event.source.userId : undefined;
      if (!userId || channel.kind !== 'line') return undefined;
      // A follow always refreshes the profile; a message only for someone we have never seen.
      const wanted =
        event.type === 'follow' ||
        (event.type === 'message' &&
          !(await deps.db('customers')
            .where({ brand_id: channel.brandId, channel: 'line', channel_user_id: userId })
            .first('id')));
      if (!wanted) return undefined;
      return lineApi(channel, deps.lineApiBaseUrl, () => deps.clock.now()).getProfile(userId);
    },
    apply: (trx, record, channel, prepared, memo) =>
      applyLineEvent(trx, deps, record, channel, prepared as LineProfile | undefined, memo),
  };
}

async function applyLineEvent(
  trx: Knex.Transaction,
  deps: LineHandlerDeps,
  record: InboxRecord,
  channel: Channel,
  profile: LineProfile | undefined,
  memo: BatchMemo,
): Promise<ApplyResult> {
  const event = LineEvent.parse(record.payload);
  const userId = event.source?.type === 'user' ? event.source.userId : undefined;
  if (!userId || channel.kind !== 'line') return {};
  const contact = {
    brandId: channel.brandId,
    channel: 'line' as const,
    channelUserId: userId,
    displayName: profile?.displayName || null,
    avatarUrl: profile?.pictureUrl ?? null,
  };

  if (event.type === 'follow') {
    const { customer, changed } = await upsertChannelCustomer(trx, deps, contact);
    await trx('customers').where({ id: customer.id }).update({ unfollowed_at: null });
    return { changedBrandId: changed ? channel.brandId : undefined };
  }

  if (event.type === 'unfollow') {
    const at = new Date(event.timestamp).toISOString();
    const updated = await trx('customers')
      .where({ brand_id: channel.brandId, channel: 'line', channel_user_id: userId })
      .update({ unfollowed_at: at });
    await trx('events').insert({
      brand_id: channel.brandId,
      kind: 'line.unfollow',
      data: JSON.stringify({ channelId: channel.id, userId, knownCustomer: updated > 0 }),
      at,
    });
    return {};
  }

  if (event.type !== 'message' || event.message?.type !== 'text' || event.message.text === undefined) return {};
  const upserted = await upsertChannelCustomer(trx, deps, contact);
  const settings = await memo.get(`settings:${channel.brandId}`, () => loadBindingSettings(trx, channel.brandId));
  const result = await applyBindingMessage(trx, deps, {
    customer: upserted.customer,
    text: event.message.text,
    settings,
  });
  const changed = result.changed || upserted.changed;
  if (result.replies.length === 0) return { changedBrandId: changed ? channel.brandId : undefined };

  // A redelivered event may come after its reply token expired: push instead (with a retry key).
  const useReply = !!event.replyToken && !event.deliveryContext?.isRedelivery;
  await queueOutbound(trx, deps, {
    brandId: channel.brandId,
    channelId: channel.id,
    customerId: String(result.customer.id),
    recipient: userId,
    kind: useReply ? 'reply' : 'push',
    body: toLineMessages(result.replies).slice(0, 5),
    ...(useReply ? { replyToken: event.replyToken } : {}),
    sourceInboxId: record.id,
  });
  return { changedBrandId: changed ? channel.brandId : undefined, queued: true };
}
