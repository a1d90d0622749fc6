/**
 * Serves the back office (backend-sync/backoffice, built into out/backoffice) at /admin/. It is a
 * single-page app that talks only to /api/admin, so every rule it shows is the API's. When the
 * build is missing the page says how to make it, instead of a bare 404.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const BACK_OFFICE_PATH = '/admin/';

export async function registerBackOffice(app: FastifyInstance, dir: string): Promise<void> {
  app.get('/admin', (_request, reply) => reply.redirect(BACK_OFFICE_PATH));
  if (!existsSync(path.join(dir, 'index.html'))) {
    app.get(`${BACK_OFFICE_PATH}*`, (_request, reply) =>
      reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The back office is not built: run `npm run build:backoffice`, then reload.'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: BACK_OFFICE_PATH,
    decorateReply: false,
    // Hashed asset names change with every build; index.html must be re-read each time.
    setHeaders: (res, file) => {
      res.header(
        'cache-control',
        file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
      );
      res.header('x-frame-options', 'DENY');
      res.header(
        'content-security-policy',
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
      );
    },
  });
}
