/**
 * Outbound messages: every message to a customer is first a row (status queued, with its retry
 * key), written in the same transaction as whatever caused it, and then sent by the sender below.
 * A hub that stops between the two sends the row at its next start; a retry reuses the row's
 * X-Line-Retry-Key, so LINE never delivers it twice.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock, IdGenerator } from '../../domain/clock';
import { ChannelErrorCode, ChannelSendError, networkFailure } from './errors';
import { lineApi, type LineMessage } from './line';
import { backoffDelayMs, type RetryPolicy } from './retry';
import { groupCommit } from './groupCommit';
import { getChannel, type Channel } from './store';
import { sendWhatsapp, WHATSAPP_WINDOW_MS, type WhatsappBody } from './whatsapp';

export type OutboundKind = 'reply' | 'push' | 'multicast' | 'text' | 'image' | 'interactive' | 'template';
export type OutboundStatus = 'queued' | 'sent' | 'failed' | 'delivered' | 'read';

export interface OutboundInput {
  brandId: string;
  channelId: string;
  customerId?: string | null;
  /** LINE user id or WhatsApp wa_id; a list for multicast. */
  recipient: string | string[];
  kind: OutboundKind;
  /** LINE: the messages array; WhatsApp: the Cloud API message body. */
  body: unknown;
  replyToken?: string;
  sourceInboxId?: number;
  /** The broadcast this message is part of (its counts follow the message's status). */
  broadcastId?: string;
}

export async function queueOutbound(
  trx: Knex | Knex.Transaction,
  deps: { clock: Clock; ids: IdGenerator },
  input: OutboundInput,
): Promise<string> {
  const id = deps.ids();
  await trx('outbound_messages').insert({
    id,
    brand_id: input.brandId,
    channel_id: input.channelId,
    customer_id: input.customerId ?? null,
    recipient: Array.isArray(input.recipient) ? JSON.stringify(input.recipient) : input.recipient,
    kind: input.kind,
    body: JSON.stringify(input.body),
    reply_token: input.replyToken ?? null,
    retry_key: deps.ids(),
    status: 'queued',
    attempts: 0,
    source_inbox_id: input.sourceInboxId ?? null,
    broadcast_id: input.broadcastId ?? null,
    created_at: deps.clock.now().toISOString(),
  });
  return id;
}

export interface OutboundSenderDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  lineApiBaseUrl: string;
  whatsappApiBaseUrl: string;
  retry: RetryPolicy;
  /** Messages sent at once (each retries on its own schedule). */
  concurrency?: number;
  /** A message reached sent or failed for good (its status is committed). */
  onSettled?: (message: { id: string; broadcastId: string | null }) => void;
}

export interface OutboundSender {
  /** Send whatever is queued (call after committing new rows). Never throws. */
  kick(): void;
  /** Resolves when nothing is being sent and nothing queued is left unattempted. */
  idle(): Promise<void>;
  /** Stops: waits for calls in flight, abandons back-off waits (those rows stay queued). */
  close(): Promise<void>;
}

type Row = Record<string, unknown>;

export function createOutboundSender(deps: OutboundSenderDeps): OutboundSender {
  const concurrency = deps.concurrency ?? 8;
  const inFlight = new Set<string>();
  const tasks = new Set<Promise<void>>();
  let closed = false;
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let draining: Promise<void> | null = null;
  let again = false;
  const log = deps.logger.child({ component: 'outbound' });

  // Statuses are bookkeeping nobody waits on: gather them for 25 ms so a burst of sends costs a
  // few commits (each an fsync that blocks the event loop), not one per message.
  const store = groupCommit(deps.db, 25);
  const channels = new Map<string, { at: number; channel: Channel | null }>();
  const channelOf = async (id: string): Promise<Channel | null> => {
    const hit = channels.get(id);
    if (hit && Date.now() - hit.at < 1000) return hit.channel;
    const channel = await getChannel(deps.db, id);
    channels.set(id, { at: Date.now(), channel });
    return channel;
  };

  const drain = async (): Promise<void> => {
    do {
      again = false;
      const waiting: Row[] = [];
      while (!closed) {
        if (waiting.length === 0) {
          let query = deps
            .db('outbound_messages')
            .where({ status: 'queued' })
            .orderBy('created_at')
            .limit(200);
          if (inFlight.size > 0) query = query.whereNotIn('id', [...inFlight]);
          waiting.push(...((await query) as Row[]));
          if (waiting.length === 0) break;
        }
        while (waiting.length > 0 && inFlight.size < concurrency) start(waiting.shift()!);
        if (inFlight.size >= concurrency) await Promise.race(tasks);
      }
    } while (again && !closed);
  };

  const start = (row: Row) => {
    const id = String(row.id);
    inFlight.add(id);
    const task = deliver(row)
      .catch((err: unknown) => log.error({ err, outboundId: id }, 'outbound delivery crashed'))
      .finally(() => {
        inFlight.delete(id);
        tasks.delete(task);
      });
    tasks.add(task);
  };

  const settled = (row: Row) =>
    deps.onSettled?.({
      id: String(row.id),
      broadcastId: row.broadcast_id == null ? null : String(row.broadcast_id),
    });

  const deliver = async (row: Row): Promise<void> => {
    const id = String(row.id);
    let attempts = Number(row.attempts);
    const channel = await channelOf(String(row.channel_id));
    for (;;) {
      attempts += 1;
      try {
        if (!channel) throw new ChannelSendError(ChannelErrorCode.CHANNEL_MISSING, 'channel removed', false);
        await ensureWindowOpen(deps, channel, row);
        const { messageId } = await sendOnce(deps, channel, row);
        const sentAt = deps.clock.now().toISOString();
        await store.write((trx) =>
          trx('outbound_messages').where({ id, status: 'queued' }).update({
            status: 'sent',
            attempts,
            sent_at: sentAt,
            platform_message_id: messageId,
            error: null,
            error_code: null,
          }),
        );
        settled(row);
        return;
      } catch (caught) {
        const error = caught instanceof ChannelSendError ? caught : networkFailure(caught);
        const failure = { attempts, error: error.message, error_code: error.code };
        if (error.retryable && attempts < deps.retry.maxAttempts && !closed) {
          const delay = backoffDelayMs(deps.retry, attempts, error.extra.retryAfterMs);
          const nextAttemptAt = new Date(deps.clock.now().getTime() + delay).toISOString();
          await store.write((trx) =>
            trx('outbound_messages')
              .where({ id })
              .update({ ...failure, next_attempt_at: nextAttemptAt }),
          );
          log.warn({ outboundId: id, code: error.code, attempts, delay }, 'outbound send refused for now');
          await Promise.race([deps.retry.sleep(delay), stopped]);
          if (closed) return; // stays queued: the next start sends it, with the same retry key
          continue;
        }
        const failedAt = deps.clock.now().toISOString();
        await store.write((trx) =>
          trx('outbound_messages')
            .where({ id, status: 'queued' })
            .update({ ...failure, status: 'failed', failed_at: failedAt }),
        );
        log.warn({ outboundId: id, code: error.code, attempts }, 'outbound message failed');
        settled(row);
        return;
      }
    }
  };

  const kick = () => {
    if (closed) return;
    if (draining) {
      again = true;
      return;
    }
    draining = drain()
      .catch((err: unknown) => log.error({ err }, 'outbound drain failed'))
      .finally(() => {
        draining = null;
      });
  };

  return {
    kick,
    idle: async () => {
      while (draining || tasks.size > 0) {
        await Promise.allSettled([draining, ...tasks]);
      }
    },
    close: async () => {
      closed = true;
      stop();
      await Promise.allSettled([draining, ...tasks]);
    },
  };
}

async function ensureWindowOpen(deps: OutboundSenderDeps, channel: Channel, row: Row): Promise<void> {
  if (channel.kind !== 'whatsapp' || row.kind === 'template') return;
  if (!(await whatsappWindowOpen(deps.db, channel.id, String(row.recipient), deps.clock.now()))) {
    throw new ChannelSendError(
      ChannelErrorCode.WHATSAPP_WINDOW_CLOSED,
      'Outside the 24-hour customer-service window only templates may be sent.',
      false,
    );
  }
}

export async function whatsappWindowOpen(
  db: Knex,
  channelId: string,
  waId: string,
  now: Date,
): Promise<boolean> {
  const row: Row | undefined = await db('whatsapp_windows')
    .where({ channel_id: channelId, wa_id: waId })
    .first();
  return !!row && now.getTime() - Date.parse(String(row.last_inbound_at)) < WHATSAPP_WINDOW_MS;
}

async function sendOnce(
  deps: OutboundSenderDeps,
  channel: Channel,
  row: Row,
): Promise<{ messageId: string | null }> {
  const body: unknown = JSON.parse(String(row.body));
  if (channel.kind === 'whatsapp') {
    return sendWhatsapp(channel, deps.whatsappApiBaseUrl, body as WhatsappBody, () => deps.clock.now());
  }
  const api = lineApi(channel, deps.lineApiBaseUrl, () => deps.clock.now());
  const messages = body as LineMessage[];
  const retryKey = String(row.retry_key);
  switch (row.kind) {
    case 'reply':
      return api.reply(String(row.reply_token), messages);
    case 'multicast':
      return api.multicast(JSON.parse(String(row.recipient)) as string[], messages, retryKey);
    default:
      return api.push(String(row.recipient), messages, retryKey);
  }
}
