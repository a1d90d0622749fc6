/**
 * The LINE Messaging API as the hub sees it: reply, push, multicast, profile and bot info, with
 * LINE's bearer-token check, error bodies (`{"message": …, "details"?: […]}`), `x-line-request-id`
 * on every answer and `X-Line-Retry-Key` handling (a key seen before answers 409 with
 * `x-line-accepted-request-id` and sends nothing again).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ResolvedChannels, ResolvedLineChannel } from './channels';
import { issueList, LineMulticastRequest, LinePushRequest, LineReplyRequest } from './formats';
import { lineMessageId, opaqueToken, requestId as newRequestId } from './ids';
import type { EmulatorState } from './state';

export interface LineRouteDeps {
  channels: ResolvedChannels;
  state: EmulatorState;
  /** Absolute URL of a pretend customer's picture. */
  pictureUrl(userId: string): string;
}

const RETRY_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(reply: FastifyReply, status: number, message: string, details?: unknown[]) {
  return reply.code(status).send(details ? { message, details } : { message });
}

function channelFor(deps: LineRouteDeps, request: FastifyRequest): ResolvedLineChannel | null {
  const header = request.headers.authorization ?? '';
  const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  return deps.channels.line.find((c) => c.channelAccessToken === token) ?? null;
}

export function registerLineRoutes(app: FastifyInstance, deps: LineRouteDeps): void {
  const { state } = deps;

  /** Authenticates, applies faults, validates: the channel and the body, or null when answered. */
  async function admit<S extends z.ZodType>(
    request: FastifyRequest,
    reply: FastifyReply,
    schema: S,
  ): Promise<{ channel: ResolvedLineChannel; body: z.output<S> } | null> {
    reply.header('x-line-request-id', newRequestId());
    const channel = channelFor(deps, request);
    if (!channel) {
      await fail(
        reply,
        401,
        'Authentication failed. Confirm that the access token in the authorization header is valid.',
      );
      return null;
    }
    const fault = state.takeFault('line');
    if (fault) {
      await (fault.status === 429
        ? fail(reply, 429, 'The API rate limit has been exceeded. Try again later.')
        : fail(reply, 500, 'An error occurred in the server.'));
      return null;
    }
    const parsed = schema.safeParse(request.body);
    if (!parsed.success) {
      const details = issueList(parsed.error);
      await fail(reply, 400, `The request body has ${details.length} error(s)`, details);
      return null;
    }
    return { channel, body: parsed.data };
  }

  /** LINE answers a repeated retry key with 409 and the first request's id; null = first time. */
  async function repeatedRetryKey(request: FastifyRequest, reply: FastifyReply): Promise<boolean | string> {
    const key = request.headers['x-line-retry-key'];
    if (key === undefined) return false;
    if (typeof key !== 'string' || !RETRY_KEY.test(key)) {
      await fail(reply, 400, 'The retry key must be a UUID (hexadecimal with hyphens).');
      return true;
    }
    const accepted = state.acceptedRetry(key);
    if (!accepted) return key;
    reply.header('x-line-accepted-request-id', accepted.requestId);
    const first = accepted.response as { sentMessages?: unknown } | undefined;
    await reply.code(409).send({
      message: 'The retry key is already accepted',
      ...(first?.sentMessages ? { sentMessages: first.sentMessages } : {}),
    });
    return true;
  }

  const sentMessages = (count: number) =>
    Array.from({ length: count }, () => ({ id: lineMessageId(), quoteToken: opaqueToken(32) }));

  app.post('/v2/bot/message/reply', async (request, reply) => {
    const admitted = await admit(request, reply, LineReplyRequest);
    if (!admitted) return reply;
    const { channel, body } = admitted;
    const userId = state.useReplyToken(body.replyToken, channel.channelId);
    if (!userId) return fail(reply, 400, 'Invalid reply token');
    const requestId = String(reply.getHeader('x-line-request-id'));
    state.record({
      channel: 'line',
      api: 'reply',
      from: channel.channelId,
      to: [userId],
      messages: body.messages,
      requestId,
    });
    return { sentMessages: sentMessages(body.messages.length) };
  });

  app.post('/v2/bot/message/push', async (request, reply) => {
    const admitted = await admit(request, reply, LinePushRequest);
    if (!admitted) return reply;
    const retry = await repeatedRetryKey(request, reply);
    if (retry === true) return reply;
    const { channel, body } = admitted;
    const requestId = String(reply.getHeader('x-line-request-id'));
    const response = { sentMessages: sentMessages(body.messages.length) };
    state.record({
      channel: 'line',
      api: 'push',
      from: channel.channelId,
      to: [body.to],
      messages: body.messages,
      requestId,
      ...(retry ? { retryKey: retry } : {}),
    });
    if (retry) state.acceptRetry(retry, requestId, response);
    return response;
  });

  app.post('/v2/bot/message/multicast', async (request, reply) => {
    const admitted = await admit(request, reply, LineMulticastRequest);
    if (!admitted) return reply;
    const retry = await repeatedRetryKey(request, reply);
    if (retry === true) return reply;
    const { channel, body } = admitted;
    const requestId = String(reply.getHeader('x-line-request-id'));
    state.record({
      channel: 'line',
      api: 'multicast',
      from: channel.channelId,
      to: body.to,
      messages: body.messages,
      requestId,
      ...(retry ? { retryKey: retry } : {}),
    });
    if (retry) state.acceptRetry(retry, requestId, {});
    return {};
  });

  app.get<{ Params: { userId: string } }>('/v2/bot/profile/:userId', async (request, reply) => {
    reply.header('x-line-request-id', newRequestId());
    if (!channelFor(deps, request)) {
      return fail(
        reply,
        401,
        'Authentication failed. Confirm that the access token in the authorization header is valid.',
      );
    }
    const { userId } = request.params;
    const displayName = state.nameOf('line', userId);
    if (!displayName) return fail(reply, 404, 'Not found');
    return { userId, displayName, pictureUrl: deps.pictureUrl(userId), statusMessage: '', language: 'zh-TW' };
  });

  app.get('/v2/bot/info', async (request, reply) => {
    reply.header('x-line-request-id', newRequestId());
    const channel = channelFor(deps, request);
    if (!channel) {
      return fail(
        reply,
        401,
        'Authentication failed. Confirm that the access token in the authorization header is valid.',
      );
    }
    return {
      userId: channel.botUserId,
      basicId: channel.basicId,
      displayName: channel.displayName,
      chatMode: 'bot',
      markAsReadMode: 'auto',
    };
  });
}
