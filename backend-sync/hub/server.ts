/**
 * createHub: fastify (HTTP) and socket.io (realtime) on one port, knex on SQLite or PostgreSQL.
 * Used by the CLI (`npm run hub`), the embedded hub of `npm start` / `start:web`, and tests — all
 * of which stop and start it, so close() releases sockets, the port and the database cleanly.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { Server as SocketServer } from 'socket.io';
import { keyFromDataDir, sealChannelSecrets, useSecretKeys } from './channels/secretBox';
import { resolveHubConfig, type AdminTokenSource, type HubOptions } from './config';
import { openHubDb, type HubDbKind, dbKind } from './db';
import { seedDemo, type DemoSummary } from './demo/seed';
import { registerEnrollRoute } from './devices/enroll';
import { registerIdentifyRoute } from './devices/identify';
import { registerAdminRoutes } from './http/admin';
import { registerBackOffice } from './http/backOffice';
import { frameworkErrors, installErrorHandler } from './http/errors';
import { registerHealthRoute } from './http/health';
import { createHubLogger } from './logger';
import { attachRealtime } from './realtime';
import { registerChannels, type HubChannels } from './webhooks/registerChannels';

export type { HubOptions } from './config';

export interface Hub {
  /** http://host:port (what a console enrolls against). */
  url: string;
  port: number;
  db: Knex;
  dbKind: HubDbKind;
  demo: DemoSummary | null;
  /** The bearer token of the admin API, and where it came from ('generated' = print it once). */
  adminToken: string;
  adminTokenSource: AdminTokenSource;
  logger: Logger;
  /** Poke the brand's connected devices (after a write made outside the hub's own handlers). */
  notifyChanges(brandId: string): void;
  /** False until a back-office account exists (the CLI then says how to make the first). */
  hasAdminAccounts: boolean;
  /** LINE/WhatsApp webhooks, their inbox and the outbound sender. */
  channels: HubChannels;
  close(): Promise<void>;
}

export async function createHub(options: HubOptions): Promise<Hub> {
  const config = resolveHubConfig(options);
  const logger = createHubLogger(config.logLevel);
  const db = await openHubDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(config.searchPath ? { searchPath: config.searchPath } : {}),
  });

  let app: FastifyInstance | undefined;
  let io: SocketServer | undefined;
  try {
    useSecretKeys(config.secretKeys ?? [keyFromDataDir(config.dataDir)]);
    const demo = config.demo ? await seedDemo(db, { clock: config.clock, ids: config.ids }) : null;
    await sealChannelSecrets(db);

    // The pino Logger type is wider than FastifyBaseLogger; the instance is the same.
    const server = Fastify({
      loggerInstance: logger,
      bodyLimit: 1024 * 1024,
      frameworkErrors,
      // Closing must not wait on a request nothing will finish (a webhook held by a platform's
      // retry while the channels shut down): every socket is closed; platforms retry webhooks.
      forceCloseConnections: true,
    }) as unknown as FastifyInstance;
    app = server;
    installErrorHandler(server);
    // WHY one server: consoles need one URL for enroll (HTTP) and sync (socket.io), and the shop's
    // firewall one port.
    io = new SocketServer(server.server, {
      path: config.socketPath,
      serveClient: false,
      cors: { origin: true },
    });
    // Channels are registered after the routes below; a push that queued messages (a broadcast)
    // kicks their sender through this late-bound hook.
    let sendQueued = (): void => undefined;
    const realtime = attachRealtime(io, {
      db,
      clock: config.clock,
      logger,
      onPushCommitted: () => sendQueued(),
      ...(options.faults ? { faults: options.faults } : {}),
    });

    registerHealthRoute(server, db);
    registerEnrollRoute(server, { db, clock: config.clock });
    registerIdentifyRoute(server, { db });
    await registerAdminRoutes(server, {
      db,
      adminToken: config.adminToken,
      clock: config.clock,
      ids: config.ids,
      logger,
      notifyChanges: realtime.notifyChanges,
      kickOutbound: () => sendQueued(),
    });

    await registerBackOffice(server, config.backOfficeDir);

    const channels = await registerChannels(server, {
      db,
      clock: config.clock,
      ids: config.ids,
      logger,
      notifyChanges: realtime.notifyChanges,
      lineApiBaseUrl: config.lineApiBaseUrl,
      whatsappApiBaseUrl: config.whatsappApiBaseUrl,
      webhookBodyLimit: config.webhookBodyLimit,
      ...(options.outboundRetry ? { retry: options.outboundRetry } : {}),
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.whatsappStatusWaitMs ? { whatsappStatusWaitMs: options.whatsappStatusWaitMs } : {}),
    });

    sendQueued = () => channels.sender.kick();
    await server.listen({ port: config.port, host: config.host });
    channels.start();
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${urlHost(config.host)}:${port}`;
    logger.info({ url, db: dbKind(db), demo: config.demo }, 'hub listening');

    const started = { app: server, io };
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      db,
      dbKind: dbKind(db),
      demo,
      adminToken: config.adminToken,
      adminTokenSource: config.adminTokenSource,
      hasAdminAccounts: Boolean(await db('admin_users').first('id')),
      logger,
      notifyChanges: realtime.notifyChanges,
      channels,
      close: () => {
        closing ??= (async () => {
          await realtime.settle();
          await closeSockets(started.io);
          // HTTP before the channels: a webhook still in flight (a platform's status retry) is
          // answered by a working inbox, so closing never waits on a request nothing will finish.
          await started.app.close();
          await channels.close();
          await db.destroy();
          logger.info('hub stopped');
        })();
        return closing;
      },
    };
  } catch (err) {
    if (io) await closeSockets(io).catch(() => undefined);
    if (app) await app.close().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    throw err;
  }
}

/**
 * Disconnects every device and stops engine.io without closing the http server (fastify owns it
 * and closes it next; closing it twice would fail).
 */
async function closeSockets(io: SocketServer): Promise<void> {
  io.disconnectSockets(true);
  io.engine.close();
}

/** Listening on all interfaces still needs a reachable host in the URL we print. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
