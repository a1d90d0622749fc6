/**
 * LINE Messaging API through the official SDK, against a configurable base URL (the real API,
 * or the channel emulator). Push and multicast carry X-Line-Retry-Key: LINE accepts a key once
 * and answers a repeat with 409 + x-line-accepted-request-id, which we count as sent.
 */
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import type { OutgoingMessage } from '../../domain/binding';
import { httpFailure, networkFailure, type ChannelSendError } from './errors';
import { parseRetryAfter } from './retry';
import type { LineChannel } from './store';

export const DEFAULT_LINE_API_BASE_URL = 'https://api.line.me';
export const DEFAULT_LINE_DATA_API_BASE_URL = 'https://api-data.line.me';

export type LineMessage = messagingApi.Message;

export function toLineMessages(messages: readonly OutgoingMessage[]): LineMessage[] {
  return messages.map((m): LineMessage => {
    if (m.type === 'text') return { type: 'text', text: m.text };
    if (m.type === 'image')
      return { type: 'image', originalContentUrl: m.url, previewImageUrl: m.previewUrl ?? m.url };
    // A buttons template: the card's text and one button opening the link.
    return {
      type: 'template',
      altText: m.text,
      template: { type: 'buttons', text: m.text, actions: [{ type: 'uri', label: m.label, uri: m.url }] },
    };
  });
}

export interface LineProfile {
  displayName: string;
  pictureUrl: string | null;
}

export interface LineApi {
  reply(replyToken: string, messages: LineMessage[]): Promise<{ messageId: string | null }>;
  push(to: string, messages: LineMessage[], retryKey: string): Promise<{ messageId: string | null }>;
  multicast(to: string[], messages: LineMessage[], retryKey: string): Promise<{ messageId: string | null }>;
  getProfile(userId: string): Promise<LineProfile>;
}

export function lineApi(channel: LineChannel, baseURL: string, now: () => Date = () => new Date()): LineApi {
  const client = new messagingApi.MessagingApiClient({ channelAccessToken: channel.accessToken, baseURL });
  const call = async <T>(work: () => Promise<T>, retried: () => T): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (
        error instanceof HTTPFetchError &&
        error.status === 409 &&
        error.headers.get('x-line-accepted-request-id')
      ) {
        return retried(); // an earlier attempt with this retry key got through
      }
      throw classify(error, now());
    }
  };
  return {
    reply: (replyToken, messages) =>
      call(
        async () => ({ messageId: firstId(await client.replyMessage({ replyToken, messages })) }),
        () => ({ messageId: null }),
      ),
    push: (to, messages, retryKey) =>
      call(
        async () => ({ messageId: firstId(await client.pushMessage({ to, messages }, retryKey)) }),
        () => ({ messageId: null }),
      ),
    multicast: (to, messages, retryKey) =>
      call(
        async () => {
          await client.multicast({ to, messages }, retryKey);
          return { messageId: null };
        },
        () => ({ messageId: null }),
      ),
    getProfile: (userId) =>
      call(
        async () => {
          const p = await client.getProfile(userId);
          return { displayName: p.displayName, pictureUrl: p.pictureUrl ?? null };
        },
        () => ({ displayName: '', pictureUrl: null }),
      ),
  };
}

const firstId = (r: { sentMessages?: { id: string }[] }): string | null => r.sentMessages?.[0]?.id ?? null;

function classify(error: unknown, now: Date): ChannelSendError {
  if (error instanceof HTTPFetchError) {
    const retryAfterMs = parseRetryAfter(error.headers.get('retry-after'), now);
    return httpFailure(
      error.status,
      lineMessage(error.body),
      retryAfterMs === undefined ? {} : { retryAfterMs },
    );
  }
  return networkFailure(error);
}

function lineMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : body.slice(0, 200);
  } catch {
    return body.slice(0, 200);
  }
}
