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
import { PLATFORM_ID } from '../http/inputBounds';
import { loadBindingSettings } from '../binding/settings';
import { lineApi, toLineMessages, type LineProfile } from '../channels/line';
import { queueOutbound, REPLY_TOKEN_USABLE_MS } from '../channels/outbound';
import type { Channel, LineChannel } from '../channels/store';
import type { Memo } from '../binding/service';
import type { ApplyResult, EventHandler, InboxRecord } from './processor';

const platformId = z.string().regex(PLATFORM_ID);
const word = z.string().max(40);

/**
 * The parts of a LINE webhook event we read (LINE adds fields over time: passthrough). Every
 * field that reaches a column is bounded here, at the route, so one odd event is refused with
 * its webhook (400) before anything is written, never in the middle of a commit.
 */
export const LineEvent = z.looseObject({
  type: word,
  webhookEventId: platformId,
  /** Milliseconds since the epoch, within what a Date can hold (a time we can store and compare). */
  timestamp: z.number().int().min(0).max(4_102_444_800_000),
  mode: word.optional(),
  replyToken: platformId.optional(),
  source: z.looseObject({ type: word, userId: platformId.optional() }).optional(),
  deliveryContext: z.looseObject({ isRedelivery: z.boolean() }).optional(),
  message: z
    .looseObject({ type: word, id: platformId.optional(), text: z.string().max(5000).optional() })
    .optional(),
});
export type LineEvent = z.infer<typeof LineEvent>;

export const LineWebhookBody = z.looseObject({
  destination: platformId,
  events: z.array(LineEvent).max(1000),
});

export interface LineHandlerDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  lineApiBaseUrl: string;
}

export function lineEventHandler(deps: LineHandlerDeps): EventHandler {
  return {
    prepare: (items) => fetchProfiles(deps, items),
    apply: (trx, record, channel, prepared, memo) =>
      applyLineEvent(trx, deps, record, channel, prepared as LineProfile | undefined, memo),
  };
}

/** Profile fetches of a batch run side by side, this many at a time. */
const PROFILE_CONCURRENCY = 16;

/**
 * LINE profiles (display name, picture) for a batch: on every follow, and for a message from a
 * user we have never seen (one query finds which those are).
 */
async function fetchProfiles(
  deps: LineHandlerDeps,
  items: { record: InboxRecord; channel: Channel }[],
): Promise<Map<number, unknown>> {
  const wanted: { id: number; channel: LineChannel; userId: string; follow: boolean }[] = [];
  for (const { record, channel } of items) {
    const event = LineEvent.safeParse(record.payload);
    if (!event.success || channel.kind !== 'line') continue;
    const userId = event.data.source?.type === 'user' ? event.data.source.userId : undefined;
    if (userId && (event.data.type === 'follow' || event.data.type === 'message')) {
      wanted.push({ id: record.id, channel, userId, follow: event.data.type === 'follow' });
    }
  }
  const known = new Set<string>();
  const byBrand = new Map<string, typeof wanted>();
  for (const w of wanted.filter((x) => !x.follow)) {
    byBrand.set(w.channel.brandId, [...(byBrand.get(w.channel.brandId) ?? []), w]);
  }
  for (const [brandId, list] of byBrand) {
    const rows: { channel_user_id: string }[] = await deps
      .db('customers')
      .where({ brand_id: brandId, channel: 'line' })
      .whereIn('channel_user_id', [...new Set(list.map((w) => w.userId))])
      .select('channel_user_id');
    for (const r of rows) known.add(`${brandId}:${r.channel_user_id}`);
  }
  const todo = wanted.filter((w) => w.follow || !known.has(`${w.channel.brandId}:${w.userId}`));
  const profiles = new Map<number, unknown>();
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const w = todo[next++]!;
      try {
        profiles.set(
          w.id,
          await lineApi(w.channel, deps.lineApiBaseUrl, () => deps.clock.now()).getProfile(w.userId),
        );
      } catch {
        // No profile (blocked, API down): the customer gets a placeholder name, refreshed on follow.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROFILE_CONCURRENCY, todo.length) }, worker));
  return profiles;
}

async function applyLineEvent(
  trx: Knex.Transaction,
  deps: LineHandlerDeps,
  record: InboxRecord,
  channel: Channel,
  profile: LineProfile | undefined,
  memo: Memo,
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

  if (event.type !== 'message' || event.message?.type !== 'text' || event.message.text === undefined)
    return {};
  const upserted = await upsertChannelCustomer(trx, deps, contact);
  const settings = await memo.get(`settings:${channel.brandId}`, () =>
    loadBindingSettings(trx, channel.brandId),
  );
  const result = await applyBindingMessage(trx, deps, {
    customer: upserted.customer,
    text: event.message.text,
    settings,
    memo,
  });
  const changed = result.changed || upserted.changed;
  if (result.replies.length === 0) return { changedBrandId: changed ? channel.brandId : undefined };

  // A reply token works for about a minute after the event: an event processed later (after an
  // outage, or redelivered) is answered with a push (with a retry key), as is one whose token the
  // sender finds too old by the time it goes out (channels/outbound.ts).
  const replyBy = new Date(event.timestamp + REPLY_TOKEN_USABLE_MS);
  const useReply = !!event.replyToken && !event.deliveryContext?.isRedelivery && deps.clock.now() < replyBy;
  await queueOutbound(trx, deps, {
    brandId: channel.brandId,
    channelId: channel.id,
    customerId: String(result.customer.id),
    recipient: userId,
    kind: useReply ? 'reply' : 'push',
    body: toLineMessages(result.replies).slice(0, 5),
    ...(useReply ? { replyToken: event.replyToken, replyBy: replyBy.toISOString() } : {}),
    sourceInboxId: record.id,
  });
  return { changedBrandId: changed ? channel.brandId : undefined, queued: true };
}
