/**
 * WhatsApp Cloud API over fetch: POST {base}/v21.0/{phone-number-id}/messages with the access
 * token as Bearer. Errors come back as { error: { code, message } }; 130429 (throughput) and
 * 131056 (pair rate) are "try later", 131047 is "outside the 24-hour window".
 */
import type { OutgoingMessage } from '../../domain/binding';
import { httpFailure, networkFailure } from './errors';
import { parseRetryAfter } from './retry';
import type { WhatsappChannel } from './store';

export const DEFAULT_WHATSAPP_API_BASE_URL = 'https://graph.facebook.com';
export const WHATSAPP_API_VERSION = 'v21.0';
export const WHATSAPP_WINDOW_MS = 24 * 3_600_000;

export type WhatsappBody = Record<string, unknown> & { type: string };

/** One Cloud API message body per reply message (WhatsApp sends one message per call). */
export function toWhatsappBodies(to: string, messages: readonly OutgoingMessage[]): WhatsappBody[] {
  return messages.map((m) => ({
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    ...(m.type === 'text'
      ? { type: 'text', text: { preview_url: false, body: m.text } }
      : m.type === 'link'
        ? { type: 'text', text: { preview_url: true, body: `${m.text}\n${m.url}` } }
        : { type: 'image', image: { link: m.url } }),
  }));
}

/** An approved template message (the one kind WhatsApp accepts outside the 24-hour window). */
export function whatsappTemplateBody(
  to: string,
  template: { name: string; language: string; components?: unknown[] },
): WhatsappBody {
  return {
    messaging_product: 'whatsapp',
    to,
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(template.components ? { components: template.components } : {}),
    },
  };
}

export async function sendWhatsapp(
  channel: WhatsappChannel,
  baseUrl: string,
  body: WhatsappBody,
  now: () => Date = () => new Date(),
): Promise<{ messageId: string | null }> {
  const url = `${baseUrl.replace(/\/+$/, '')}/${WHATSAPP_API_VERSION}/${encodeURIComponent(channel.phoneNumberId)}/messages`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${channel.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw networkFailure(error);
  }
  const text = await response.text();
  const parsed = safeJson(text) as {
    messages?: { id?: string }[];
    error?: { code?: number; message?: string };
  } | null;
  if (response.ok) return { messageId: parsed?.messages?.[0]?.id ?? null };
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
  throw httpFailure(response.status, parsed?.error?.message ?? text.slice(0, 200), {
    ...(typeof parsed?.error?.code === 'number' ? { platformCode: parsed.error.code } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
