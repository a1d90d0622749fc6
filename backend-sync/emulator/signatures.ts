/**
 * Webhook signatures exactly as the platforms make them, over the raw body bytes:
 * LINE `X-Line-Signature` = base64(HMAC-SHA256(channel secret, body));
 * WhatsApp (Meta) `X-Hub-Signature-256` = 'sha256=' + hex(HMAC-SHA256(app secret, body)).
 */
import { createHmac } from 'node:crypto';

export const lineSignature = (channelSecret: string, rawBody: string | Buffer): string =>
  createHmac('sha256', channelSecret).update(rawBody).digest('base64');

export const whatsAppSignature = (appSecret: string, rawBody: string | Buffer): string =>
  `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
