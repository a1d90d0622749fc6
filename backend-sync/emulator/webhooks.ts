/**
 * Posting signed webhooks to the hub, as the platforms do: the JSON is serialised once and the
 * signature computed over exactly those bytes.
 */
import { lineSignature, whatsAppSignature } from './signatures';

export interface HubAnswer {
  url: string;
  status: number;
  body: string;
}

export interface WebhookPoster {
  hubUrl(): string | null;
  line(payload: unknown, channelSecret: string): Promise<HubAnswer>;
  whatsapp(payload: unknown, appSecret: string): Promise<HubAnswer>;
}

export const LINE_WEBHOOK_PATH = '/webhooks/line';
export const WHATSAPP_WEBHOOK_PATH = '/webhooks/whatsapp';

export function createWebhookPoster(getHubUrl: () => string | null, timeoutMs = 10_000): WebhookPoster {
  async function post(path: string, payload: unknown, headers: (raw: string) => Record<string, string>) {
    const base = getHubUrl();
    if (!base) throw new Error('The emulator has no hub URL to post webhooks to (start it with --hub).');
    const url = new URL(path, base).toString();
    const raw = JSON.stringify(payload);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers(raw) },
      body: raw,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { url, status: response.status, body: await response.text() };
  }
  return {
    hubUrl: getHubUrl,
    line: (payload, secret) =>
      post(LINE_WEBHOOK_PATH, payload, (raw) => ({
        'x-line-signature': lineSignature(secret, raw),
        'user-agent': 'LineBotWebhook/2.0',
      })),
    whatsapp: (payload, secret) =>
      post(WHATSAPP_WEBHOOK_PATH, payload, (raw) => ({
        'x-hub-signature-256': whatsAppSignature(secret, raw),
        'user-agent': 'facebookexternalua',
      })),
  };
}
