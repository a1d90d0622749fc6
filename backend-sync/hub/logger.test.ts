/** The hub's request log lines leave the query string out: it can carry a channel secret. */
import Fastify, { type FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createHubLogger } from './logger';

describe('hub request logging', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('logs a WhatsApp verify handshake without its hub.verify_token', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    app = Fastify({ loggerInstance: createHubLogger('info', { destination }) }) as unknown as FastifyInstance;
    app.get(
      '/webhooks/whatsapp',
      async (request) => (request.query as Record<string, string>)['hub.challenge'],
    );
    const res = await app.inject({
      method: 'GET',
      url: '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wa-verify-secret-123&hub.challenge=42',
      headers: { host: 'hub.example.com' },
    });
    expect(res.body).toBe('42');
    const logged = lines.map((line) => JSON.parse(line) as { req?: Record<string, unknown> });
    const incoming = logged.find((line) => line.req);
    expect(incoming?.req).toMatchObject({
      method: 'GET',
      url: '/webhooks/whatsapp',
      host: 'hub.example.com',
    });
    expect(incoming?.req).toHaveProperty('remoteAddress');
    expect(lines.join('')).not.toContain('wa-verify-secret-123');
  });
});
