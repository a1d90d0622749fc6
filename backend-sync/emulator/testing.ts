/**
 * Test helpers: channels with throwaway secrets, and a tiny fake hub that keeps every webhook's
 * raw body and headers (so tests can check signatures over the exact bytes) and answers 200.
 */
import Fastify from 'fastify';
import type { EmulatorChannels } from './channels';

export const testChannels: EmulatorChannels = {
  line: [
    {
      channelId: '1650000000',
      channelSecret: '0123456789abcdef0123456789abcdef',
      channelAccessToken: 'line-test-token',
      botUserId: 'U0123456789abcdef0123456789abcdef',
      basicId: '@test-oa',
    },
  ],
  whatsapp: [
    {
      businessAccountId: '300000000000001',
      phoneNumberId: '400000000000001',
      displayPhoneNumber: '85239990000',
      appSecret: 'wa-test-app-secret',
      accessToken: 'wa-test-token',
      verifyToken: 'wa-test-verify',
    },
  ],
};

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  json: unknown;
}

export async function startFakeHub() {
  const received: ReceivedWebhook[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  for (const path of ['/webhooks/line', '/webhooks/whatsapp']) {
    app.post(path, async (request) => {
      const raw = request.body as string;
      received.push({ path, headers: request.headers, raw, json: JSON.parse(raw) });
      for (const w of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      return { ok: true };
    });
  }
  app.get('/webhooks/whatsapp', async (request, reply) => {
    const q = request.query as Record<string, string>;
    if (q['hub.mode'] === 'subscribe' && q['hub.verify_token'] === 'wa-test-verify')
      return q['hub.challenge'];
    return reply.code(403).send('forbidden');
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    received,
    /** Resolves once `count` webhooks in total have arrived (or rejects after `timeoutMs`). */
    waitFor(count: number, timeoutMs = 5_000): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${received.length} of ${count} webhooks arrived`)),
          timeoutMs,
        );
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    close: () => app.close(),
  };
}
