/**
 * Outbound messages: every message to a customer is first a row (status queued, with its retry
 * key), written in the same transaction as whatever caused it, and then sent by the sender below.
 *
 * Each attempt is recorded (status 'sending', committed) before the platform is called, and its
 * outcome after. A hub killed in between finds 'sending' rows at its next start and settles them
 * without ever sending a message twice:
 *   LINE push / multicast  sent again with the row's X-Line-Retry-Key: LINE (and the emulator)
 *                          answer a key it accepted before with 409, which counts as sent.
 *   LINE reply             tried again with the same token while it is usable: 200 means the
 *                          first attempt never arrived; LINE's 400 cannot tell "used" from
 *                          "expired", so the row becomes 'unknown' (never pushed as well).
 *   WhatsApp               the Cloud API has no idempotency key, so the row becomes 'unknown' (so
 *                          does one that got no answer or a 5xx) and
 *                          is not sent again unchecked: each message carries our id as
 *                          biz_opaque_callback_data, which the platform's status webhooks echo;
 *                          a status settles the row (channels/statuses.ts), and only a row no
 *                          status named within whatsappStatusWaitMs of the hub being up (each
 *                          start restarts the wait) is sent again.
 * Several hub nodes may share one PostgreSQL outbox. A row is claimed by the attempt itself: the
 * update to 'sending' names the attempt count it read (compare-and-set), so of two nodes that read
 * the same row one claims it and the other finds nothing to do. A 'sending' row whose attempt began
 * more than the lease ago (its node died, or hangs) is settled by any node as above — which, by the
 * same rules, never sends a message twice. One SQLite hub is one process: its lease is 0.
 * A LINE reply token is used only until reply_by (about a minute after the event); after that,
 * or when LINE refuses a token we never used, the message goes as a push with its retry key.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock, IdGenerator } from '../../domain/clock';
import { ChannelErrorCode, ChannelSendError, networkFailure } from './errors';
import { lineApi, type LineMessage } from './line';
import { backoffDelayMs, type RetryPolicy } from './retry';
import { groupCommit } from './groupCommit';
import type { SendRate } from './sendRate';
import { getChannel, type Channel } from './store';
import { dbKind } from '../db';
import { sendWhatsapp, WHATSAPP_WINDOW_MS, type WhatsappBody } from './whatsapp';

export type OutboundKind = 'reply' | 'push' | 'multicast' | 'text' | 'image' | 'interactive' | 'template';
export type OutboundStatus = 'queued' | 'sending' | 'sent' | 'unknown' | 'failed' | 'delivered' | 'read';

/**
 * How long after its event a LINE reply token is still used. LINE's tokens last about a minute
 * (the emulator: REPLY_TOKEN_TTL_MS); the margin covers the call itself and clock drift.
 */
export const REPLY_TOKEN_USABLE_MS = 50_000;
/**
 * How long a WhatsApp message of unknown outcome waits, with the hub up, for a status webhook
 * naming it before it is sent again. It must outlast the platform's pause between retries of a
 * webhook the hub missed, or a message that did go out is sent twice; a message that never left
 * is that much later.
 */
export const DEFAULT_WHATSAPP_STATUS_WAIT_MS = 30 * 60_000;
/**
 * How long an attempt in flight belongs to the node that began it (PostgreSQL, several nodes).
 * Longer than any platform call takes; a dead node's attempts wait this long to be settled.
 */
export const DEFAULT_OUTBOUND_LEASE_MS = 60_000;

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
  /** When the reply token stops being usable (ISO); after it the message goes as a push. */
  replyBy?: string;
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
    reply_by: input.replyBy ?? null,
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
  /** A message reached sent, failed or unknown (its status is committed). */
  onSettled?: (message: { id: string; broadcastId: string | null }) => void;
  /** See DEFAULT_WHATSAPP_STATUS_WAIT_MS. */
  whatsappStatusWaitMs?: number;
  /** See DEFAULT_OUTBOUND_LEASE_MS (0 on SQLite unless given). */
  leaseMs?: number;
  /** The platforms' send rates, shared by the nodes (sendRate.ts); unlimited when absent. */
  sendRate?: SendRate;
  /**
   * Fault-injection tests only: called at `outbound:before-send` (the attempt is committed, the
   * platform not called yet) and `outbound:after-send` (the platform answered, nothing recorded).
   */
  faults?: (point: string) => void;
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
  const statusWaitMs = deps.whatsappStatusWaitMs ?? DEFAULT_WHATSAPP_STATUS_WAIT_MS;
  const leaseMs = deps.leaseMs ?? (dbKind(deps.db) === 'postgres' ? DEFAULT_OUTBOUND_LEASE_MS : 0);
  const inFlight = new Set<string>();
  const tasks = new Set<Promise<void>>();
  let closed = false;
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let draining: Promise<void> | null = null;
  let again = false;
  let recheck: ReturnType<typeof setTimeout> | null = null;
  const log = deps.logger.child({ component: 'outbound' });

  // An attempt is committed before the platform is called (one fsync shared by the attempts that
  // start together). Outcomes are bookkeeping nobody waits on: gathered for 25 ms, so a burst of
  // sends costs a few commits; a crash before one commits leaves 'sending', settled at start.
  const attemptStore = groupCommit(deps.db, 0);
  const store = groupCommit(deps.db, 25);
  const channels = new Map<string, { at: number; channel: Channel | null }>();
  const channelOf = async (id: string): Promise<Channel | null> => {
    const hit = channels.get(id);
    if (hit && Date.now() - hit.at < 1000) return hit.channel;
    const channel = await getChannel(deps.db, id);
    channels.set(id, { at: Date.now(), channel });
    return channel;
  };

  /** What is due now: queued rows, attempts a crash left open, unknowns whose wait is over. */
  const due = async (): Promise<{ row: Row; uncertain: boolean }[]> => {
    const busy = [...inFlight];
    const now = deps.clock.now().toISOString();
    const leaseEnded = new Date(deps.clock.now().getTime() - leaseMs).toISOString();
    const leftOpen = (await deps
      .db('outbound_messages')
      .where({ status: 'sending' })
      .where((q) => q.whereNull('attempt_started_at').orWhere('attempt_started_at', '<=', leaseEnded))
      .modify((q) => (busy.length > 0 ? q.whereNotIn('id', busy) : q))
      .orderBy('created_at')
      .limit(200)) as Row[];
    const waited = (await deps
      .db('outbound_messages')
      .where({ status: 'unknown' })
      .whereNotNull('next_attempt_at')
      .where('next_attempt_at', '<=', now)
      .modify((q) => (busy.length > 0 ? q.whereNotIn('id', busy) : q))
      .orderBy('created_at')
      .limit(200)) as Row[];
    // A row backing off waits for its next_attempt_at, also after a restart or on another node.
    const queued = (await deps
      .db('outbound_messages')
      .where({ status: 'queued' })
      .where((q) => q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now))
      .modify((q) => (busy.length > 0 ? q.whereNotIn('id', busy) : q))
      .orderBy('created_at')
      .limit(200)) as Row[];
    return [
      ...leftOpen.map((row) => ({ row, uncertain: true })),
      ...waited.map((row) => ({ row, uncertain: false })),
      ...queued.map((row) => ({ row, uncertain: false })),
    ];
  };

  /**
   * Wakes the sender when the next row falls due: an unknown WhatsApp message's wait for a status
   * is over, or a queued one's back-off (one a previous run or another node left waiting).
   */
  const scheduleRecheck = async (): Promise<void> => {
    const next = (await deps
      .db('outbound_messages')
      .whereIn('status', ['unknown', 'queued'])
      .whereNotNull('next_attempt_at')
      .modify((q) => (inFlight.size > 0 ? q.whereNotIn('id', [...inFlight]) : q))
      .min({ at: 'next_attempt_at' })
      .first()) as { at: string | null } | undefined;
    if (recheck) clearTimeout(recheck);
    recheck = null;
    if (!next?.at || closed) return;
    const wait = Math.min(2 ** 31 - 1, Math.max(0, Date.parse(next.at) - deps.clock.now().getTime()));
    recheck = setTimeout(kick, wait);
    recheck.unref();
  };

  // A status webhook the platform could not deliver while the hub was down comes on its retry,
  // which needs the hub up: each start gives the unknowns their whole wait again.
  let waitsRestarted = false;
  const restartWaits = async (): Promise<void> => {
    if (waitsRestarted) return;
    waitsRestarted = true;
    await deps
      .db('outbound_messages')
      .where({ status: 'unknown' })
      .whereNotNull('next_attempt_at')
      .update({ next_attempt_at: new Date(deps.clock.now().getTime() + statusWaitMs).toISOString() });
  };

  const drain = async (): Promise<void> => {
    await restartWaits();
    do {
      again = false;
      const waiting: { row: Row; uncertain: boolean }[] = [];
      while (!closed) {
        if (waiting.length === 0) {
          waiting.push(...(await due()));
          if (waiting.length === 0) break;
        }
        while (waiting.length > 0 && inFlight.size < concurrency) start(waiting.shift()!);
        if (inFlight.size >= concurrency) await Promise.race(tasks);
      }
    } while (again && !closed);
    await scheduleRecheck();
  };

  const start = ({ row, uncertain }: { row: Row; uncertain: boolean }) => {
    const id = String(row.id);
    inFlight.add(id);
    const task = deliver(row, uncertain)
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

  /** The row's outcome cannot be found out now: 'unknown' (WhatsApp: until a status names it). */
  const markUnknown = async (row: Row, channel: Channel, reason: string, attempts: number) => {
    const nextAttemptAt =
      channel.kind === 'whatsapp' ? new Date(deps.clock.now().getTime() + statusWaitMs).toISOString() : null;
    await attemptStore.write((trx) =>
      trx('outbound_messages').where({ id: row.id }).whereIn('status', ['sending', 'queued']).update({
        status: 'unknown',
        attempts,
        error: reason,
        error_code: ChannelErrorCode.OUTCOME_UNKNOWN,
        next_attempt_at: nextAttemptAt,
      }),
    );
    log.warn({ outboundId: row.id, reason }, 'outbound outcome unknown');
    settled(row);
    await scheduleRecheck();
  };

  /**
   * Sends one row. `uncertain`: an earlier attempt may have reached the platform (a crash left it
   * 'sending'), so only a send the platform itself deduplicates may be tried again.
   */
  const deliver = async (row: Row, uncertain: boolean): Promise<void> => {
    const id = String(row.id);
    let attempts = Number(row.attempts);
    let kind = String(row.kind);
    let current = String(row.status);
    const channel = await channelOf(String(row.channel_id));
    for (;;) {
      try {
        if (!channel) throw new ChannelSendError(ChannelErrorCode.CHANNEL_MISSING, 'channel removed', false);
        const replyUsable =
          kind !== 'reply' || !row.reply_by || deps.clock.now().toISOString() < String(row.reply_by);
        if (uncertain && channel.kind === 'whatsapp')
          return await markUnknown(
            row,
            channel,
            'an attempt may have been sent before the hub stopped',
            attempts,
          );
        if (uncertain && kind === 'reply' && !replyUsable)
          return await markUnknown(
            row,
            channel,
            'the reply token expired before the first attempt was confirmed',
            attempts,
          );
        if (!replyUsable) kind = 'push'; // the token is too old to work: push, with the retry key
        await ensureWindowOpen(deps, channel, row);
        const read = attempts;
        attempts += 1;
        const startedAt = deps.clock.now().toISOString();
        let claimed = 0;
        await attemptStore.write(async (trx) => {
          claimed = await trx('outbound_messages')
            .where({ id, status: current, attempts: read })
            .update({ status: 'sending', kind, attempts, attempt_started_at: startedAt });
        });
        if (claimed === 0) return; // a status webhook settled it, or another node claimed it
        current = 'sending';
        await deps.sendRate?.take(channel);
        deps.faults?.('outbound:before-send');
        const { messageId } = await sendOnce(deps, channel, { ...row, kind });
        deps.faults?.('outbound:after-send');
        const sentAt = deps.clock.now().toISOString();
        await store.write((trx) =>
          trx('outbound_messages').where({ id, status: 'sending' }).update({
            status: 'sent',
            sent_at: sentAt,
            platform_message_id: messageId,
            next_attempt_at: null,
            error: null,
            error_code: null,
          }),
        );
        settled(row);
        return;
      } catch (caught) {
        const error = caught instanceof ChannelSendError ? caught : networkFailure(caught);
        if (kind === 'reply' && isRefusedReplyToken(error)) {
          // A token we had not used before was refused (expired, or never valid): push instead.
          // After an uncertain attempt the refusal may mean "used": then it stays unknown.
          if (uncertain)
            return await markUnknown(row, channel!, 'LINE refused the reply token again', attempts);
          kind = 'push';
          continue;
        }
        // WhatsApp has no idempotency key: no answer, or a 5xx ("something went wrong"), may
        // hide a message that went out. Only a status webhook can tell.
        if (channel?.kind === 'whatsapp' && (error.maybeDelivered || (error.extra.status ?? 0) >= 500)) {
          return await markUnknown(row, channel, `no answer from the platform: ${error.message}`, attempts);
        }
        // No answer to a reply: LINE may have taken the token, so it must not be pushed as well.
        if (kind === 'reply' && error.maybeDelivered) uncertain = true;
        const failure = { attempts, error: error.message, error_code: error.code, kind };
        if (error.retryable && attempts < deps.retry.maxAttempts && !closed) {
          const delay = backoffDelayMs(deps.retry, attempts, error.extra.retryAfterMs);
          // The number's whole throughput is spent (not one recipient's pair rate, 131056): every
          // node waits, not just this row.
          if (channel?.kind === 'whatsapp' && error.extra.platformCode === 130429)
            await deps.sendRate?.holdOff(channel, delay);
          const nextAttemptAt = new Date(deps.clock.now().getTime() + delay).toISOString();
          await store.write((trx) =>
            trx('outbound_messages')
              .where({ id, status: current })
              .update({ ...failure, status: 'queued', next_attempt_at: nextAttemptAt }),
          );
          current = 'queued';
          log.warn({ outboundId: id, code: error.code, attempts, delay }, 'outbound send refused for now');
          await Promise.race([deps.retry.sleep(delay), stopped]);
          if (closed) return; // stays queued: the next start sends it, with the same retry key
          continue;
        }
        const failedAt = deps.clock.now().toISOString();
        await store.write((trx) =>
          trx('outbound_messages')
            .where({ id, status: current })
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
        // A kick that came after the drain last looked (while it scheduled its recheck, or between
        // its end and here) found it still draining and only set `again`: drain once more for it.
        if (again) kick();
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
      if (recheck) clearTimeout(recheck);
      stop();
      await Promise.allSettled([draining, ...tasks]);
    },
  };
}

/** LINE's answer to a reply token it will not take: 400 "Invalid reply token". */
const isRefusedReplyToken = (error: ChannelSendError): boolean =>
  error.extra.status === 400 && /reply token/i.test(error.message);

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
    // Our id rides along and comes back in every status webhook of this message.
    const tagged = { ...(body as WhatsappBody), biz_opaque_callback_data: String(row.id) };
    return sendWhatsapp(channel, deps.whatsappApiBaseUrl, tagged, () => deps.clock.now());
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
