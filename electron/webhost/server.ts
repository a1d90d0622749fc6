/**
 * The web host: serves the built renderer and the ConsoleApi over a WebSocket at `/api`, on
 * loopback only. It lets a browser (end-to-end tests, development, machines without the Electron
 * binary) use the same console core the Electron window uses.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ConsoleCore } from '../core';
import { allowedHosts, allowedOrigins, isLoopbackAddress } from './origin';
import { answerMessage, type EventMessage } from './protocol';

export interface WebHostOptions {
  core: Pick<ConsoleCore, 'dispatch' | 'onEvent'>;
  /** 0 picks a free port. */
  port?: number;
  /** Must be a loopback address. */
  host?: string;
  /** The built renderer (out/renderer). */
  staticDir: string;
  /** Largest accepted WebSocket message; bigger ones close the socket (code 1009). */
  maxMessageBytes?: number;
  logger?: Logger;
}

export interface WebHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackAddress(host)) throw new Error(`The web host only listens on loopback, not ${host}`);
  const staticDir = path.resolve(options.staticDir);
  const log = options.logger;

  const app = Fastify({ logger: false });
  let port = 0;

  app.addHook('onRequest', async (req, reply) => {
    if (!allowedHosts(port).has(req.headers.host ?? '')) {
      return reply.code(403).type('text/plain').send('Forbidden host');
    }
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    return payload;
  });

  await app.register(fastifyStatic, { root: staticDir, index: 'index.html', wildcard: true });
  // SPA fallback: paths without a file extension get the app; missing assets stay 404.
  app.setNotFoundHandler((req, reply) => {
    const wantsPage = req.method === 'GET' && path.extname(new URL(req.url, 'http://x').pathname) === '';
    if (wantsPage && existsSync(path.join(staticDir, 'index.html'))) {
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).type('text/plain').send('Not found');
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
  });
  wss.on('connection', (socket) => serveClient(socket));

  function serveClient(socket: WebSocket) {
    socket.on('error', (err) => log?.warn({ err: err.message }, 'web host socket error'));
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const raw = isBinary ? '' : rawToString(data);
      void answerMessage(raw, options.core.dispatch).then((reply) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
      });
    });
  }

  const unsubscribe = options.core.onEvent((event, payload) => {
    const message: EventMessage = { event, payload };
    const text = JSON.stringify(message);
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const originOk = allowedOrigins(port).has(req.headers.origin ?? '');
    const hostOk = allowedHosts(port).has(req.headers.host ?? '');
    if (pathname !== '/api' || !originOk || !hostOk) {
      log?.warn({ pathname, origin: req.headers.origin }, 'web host refused a WebSocket upgrade');
      socket.end(
        `HTTP/1.1 ${pathname === '/api' ? '403 Forbidden' : '404 Not Found'}\r\nConnection: close\r\n\r\n`,
      );
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  log?.info({ url }, 'web host listening');

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        unsubscribe();
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await app.close();
      })();
      return closing;
    },
  };
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
