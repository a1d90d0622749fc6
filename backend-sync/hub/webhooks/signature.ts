/**
 * Webhook signatures, always over the raw request bytes (re-serialised JSON would not match):
 *   LINE      X-Line-Signature: base64(HMAC-SHA256(channel secret, body))
 *   WhatsApp  X-Hub-Signature-256: sha256=hex(HMAC-SHA256(app secret, body))
 * Compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const hmac = (secret: string, body: Buffer): Buffer => createHmac('sha256', secret).update(body).digest();

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export function lineSignature(body: Buffer | string, channelSecret: string): string {
  return hmac(channelSecret, Buffer.from(body)).toString('base64');
}

export function whatsappSignature(body: Buffer | string, appSecret: string): string {
  return `sha256=${hmac(appSecret, Buffer.from(body)).toString('hex')}`;
}

export function verifyLineSignature(body: Buffer, header: string, channelSecret: string): boolean {
  if (!channelSecret || !/^[A-Za-z0-9+/]+=*$/.test(header)) return false;
  return sameBytes(Buffer.from(header, 'base64'), hmac(channelSecret, body));
}

export function verifyWhatsappSignature(body: Buffer, header: string, appSecret: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!appSecret || !match) return false;
  return sameBytes(Buffer.from(match[1]!, 'hex'), hmac(appSecret, body));
}

/** Constant-time string equality (verify tokens). */
export function sameSecret(a: string, b: string): boolean {
  if (!a || !b) return false;
  const x = createHmac('sha256', 'cmp').update(a).digest();
  const y = createHmac('sha256', 'cmp').update(b).digest();
  return timingSafeEqual(x, y);
}
