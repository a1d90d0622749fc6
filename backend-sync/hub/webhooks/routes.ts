/**
 * POST /webhooks/line, GET + POST /webhooks/whatsapp.
 *
 * These routes live in their own fastify scope whose only body parser keeps the raw bytes: the
 * signature is checked over exactly what the platform signed, before any JSON parsing. Order:
 * signature (401, nothing stored) → nesting and JSON (400) → NUL or shape (400: every field that
 * reaches a column is bounded by the schemas) → channel from destination / phone_number_id →
 * events committed to the inbox → 200. The work happens after the answer.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import { ErrorCode } from '../../domain/errors';
import type { Clock } from '../../domain/clock';
import {
  channelDirectory,
  type ChannelDirectory,
  type LineChannel,
  type WhatsappChannel,
} from '../channels/store';
import { sendError } from '../http/errors';
import { findNul, jsonDepth, MAX_JSON_DEPTH, PLATFORM_ID } from '../http/inputBounds';
import type { Inbox, InboxEvent } from './inbox';
import { LineWebhookBody } from './lineEvents';
import { sameSecret, verifyLineSignature, verifyWhatsappSignature } from './signature';
import { WhatsappWebhookBody, type WhatsappMessageItem } from './whatsappEvents';

export const LINE_WEBHOOK_PATH = '/webhooks/line';
export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';
export const DEFAULT_WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface WebhookRouteDeps {
  db: Knex;
  clock: Clock;
  inbox: Inbox;
  bodyLimit: number;
  /** Called after events were committed to the inbox. */
  received(): void;
}

const SIGNATURE_INVALID = 'SIGNATURE_INVALID';

interface RouteDeps extends WebhookRouteDeps {
  channels: ChannelDirectory;
}

/** The channels a check accepts, trying the cached list first and the table when none matches. */
async function matching<C>(load: (fresh: boolean) => Promise<C[]>, accept: (c: C) => boolean): Promise<C[]> {
  const cached = (await load(false)).filter(accept);
  return cached.length > 0 ? cached : (await load(true)).filter(accept);
}

export async function registerWebhookRoutes(
  app: FastifyInstance,
  routeDeps: WebhookRouteDeps,
): Promise<void> {
  const deps: RouteDeps = { ...routeDeps, channels: channelDirectory(routeDeps.db) };
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(LINE_WEBHOOK_PATH, { bodyLimit: deps.bodyLimit }, (request, reply) =>
      lineWebhook(deps, request, reply),
    );
    scope.post(WHATSAPP_WEBHOOK_PATH, { bodyLimit: deps.bodyLimit }, (request, reply) =>
      whatsappWebhook(deps, request, reply),
    );
    scope.get(WHATSAPP_WEBHOOK_PATH, (request, reply) => whatsappHandshake(deps, request, reply));
  });
}

const rawOf = (request: FastifyRequest): Buffer =>
  Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * The body as JSON, or the 400 it gets: not JSON, nested deeper than any platform sends (it
 * would reach recursive code: zod, JSON.stringify, the logger), or holding a NUL (PostgreSQL
 * cannot store one; SQLite would, so both refuse it here).
 */
function parseJson(
  raw: Buffer,
): { ok: true; value: unknown } | { ok: false; message: string; details?: Record<string, unknown> } {
  const text = raw.toString('utf8');
  if (jsonDepth(text) > MAX_JSON_DEPTH)
    return {
      ok: false,
      message: `The body is nested deeper than ${MAX_JSON_DEPTH} levels.`,
      details: { reason: 'nesting', maxDepth: MAX_JSON_DEPTH },
    };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'The body is not JSON.', details: { reason: 'json' } };
  }
  const nul = findNul(value);
  if (nul !== null)
    return { ok: false, message: 'The body holds a NUL character.', details: { reason: 'nul', path: nul } };
  return { ok: true, value };
}

async function lineWebhook(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const raw = rawOf(request);
  const signature = header(request, 'x-line-signature');
  // The destination names the channel, but it is inside the body we may not trust yet: the
  // channel is the one whose secret verifies the signature, and must then match the destination.
  const [channel]: (LineChannel | undefined)[] = signature
    ? await matching(
        (fresh) => deps.channels.line(fresh),
        (c) => verifyLineSignature(raw, signature, c.channelSecret),
      )
    : [];
  if (!channel) {
    request.log.warn({ hasSignature: !!signature }, 'LINE webhook refused: signature');
    return sendError(reply, 401, SIGNATURE_INVALID, 'X-Line-Signature is missing or does not match.');
  }
  const json = parseJson(raw);
  if (!json.ok) return sendError(reply, 400, ErrorCode.VALIDATION_FAILED, json.message, json.details);
  const body = LineWebhookBody.safeParse(json.value);
  if (!body.success) return sendError(reply, 400, ErrorCode.VALIDATION_FAILED, 'Not a LINE webhook body.');

  const { destination, events } = body.data;
  let known = channel.destination;
  if (known === null) {
    // First webhook of a channel configured without its bot user id: learn it (once).
    await deps
      .db('channels')
      .where({ id: channel.id })
      .whereNull('line_destination')
      .update({ line_destination: destination });
    const row = await deps.db('channels').where({ id: channel.id }).first('line_destination');
    known = row ? String(row.line_destination) : null;
    channel.destination = known; // the cached copy too
  }
  if (known !== destination) {
    request.log.warn(
      { channelId: channel.id, destination },
      'LINE webhook for an unknown destination ignored',
    );
    return reply.status(200).send({});
  }
  const inboxEvents: InboxEvent[] = events.map((e) => ({
    platform: 'line',
    eventKey: e.webhookEventId,
    channelId: channel.id,
    kind: e.type,
    payload: e,
  }));
  await deps.inbox.record(inboxEvents, deps.clock.now());
  if (inboxEvents.length > 0) deps.received();
  return reply.status(200).send({});
}

async function whatsappWebhook(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const raw = rawOf(request);
  const signature = header(request, 'x-hub-signature-256');
  // One Meta app (one app secret) may serve several numbers.
  const verified: WhatsappChannel[] = signature
    ? await matching(
        (fresh) => deps.channels.whatsapp(fresh),
        (c) => verifyWhatsappSignature(raw, signature, c.appSecret),
      )
    : [];
  if (verified.length === 0) {
    request.log.warn({ hasSignature: !!signature }, 'WhatsApp webhook refused: signature');
    return sendError(reply, 401, SIGNATURE_INVALID, 'X-Hub-Signature-256 is missing or does not match.');
  }
  const json = parseJson(raw);
  if (!json.ok) return sendError(reply, 400, ErrorCode.VALIDATION_FAILED, json.message, json.details);
  const body = WhatsappWebhookBody.safeParse(json.value);
  if (!body.success)
    return sendError(reply, 400, ErrorCode.VALIDATION_FAILED, 'Not a WhatsApp webhook body.');

  const events: InboxEvent[] = [];
  for (const entry of body.data.entry) {
    for (const change of entry.changes) {
      const phoneNumberId = change.value.metadata?.phone_number_id;
      const channel = verified.find((c) => c.phoneNumberId === phoneNumberId);
      if (!channel) {
        if (change.field === 'messages') {
          request.log.warn({ phoneNumberId }, 'WhatsApp webhook for an unknown phone number id ignored');
        }
        continue;
      }
      for (const message of change.value.messages ?? []) {
        const contact =
          change.value.contacts?.find((c) => c.wa_id === message.from) ?? change.value.contacts?.[0] ?? null;
        const payload: WhatsappMessageItem = { message, contact };
        events.push({
          platform: 'whatsapp',
          eventKey: message.id,
          channelId: channel.id,
          kind: 'message',
          payload,
        });
      }
      for (const status of change.value.statuses ?? []) {
        events.push({
          platform: 'whatsapp',
          eventKey: `status:${status.id}:${status.status}`,
          channelId: channel.id,
          kind: 'status',
          payload: status,
        });
      }
    }
  }
  await deps.inbox.record(events, deps.clock.now());
  if (events.length > 0) deps.received();
  return reply.status(200).send({});
}

async function whatsappHandshake(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const query = request.query as Record<string, unknown>;
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  // The challenge is echoed back: only a bounded, printable one (Meta sends a number).
  if (
    mode === 'subscribe' &&
    typeof token === 'string' &&
    typeof challenge === 'string' &&
    PLATFORM_ID.test(challenge)
  ) {
    if (
      (
        await matching(
          (fresh) => deps.channels.whatsapp(fresh),
          (c) => sameSecret(c.verifyToken, token),
        )
      ).length > 0
    ) {
      return reply.status(200).type('text/plain').send(challenge);
    }
  }
  request.log.warn('WhatsApp webhook verification refused');
  return sendError(reply, 403, ErrorCode.FORBIDDEN, 'hub.verify_token does not match.');
}
