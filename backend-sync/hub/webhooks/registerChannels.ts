/**
 * Channels on the hub: webhook routes, the inbox processor, the outbound sender and broadcast
 * progress (counts that follow the sender), wired together. createHub calls registerChannels before listening, start() after (processes what a
 * previous run left in the inbox and outbox), and close() before closing the database.
 */
import type { FastifyInstance } from 'fastify';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock, IdGenerator } from '../../domain/clock';
import { createBroadcastProgress } from '../broadcasts/progress';
import { createOutboundSender, type OutboundSender } from '../channels/outbound';
import { defaultRetryPolicy, type RetryPolicy } from '../channels/retry';
import { createInbox } from './inbox';
import { lineEventHandler } from './lineEvents';
import { createInboxProcessor, type InboxProcessor } from './processor';
import { DEFAULT_WEBHOOK_BODY_LIMIT, registerWebhookRoutes } from './routes';
import { whatsappEventHandler } from './whatsappEvents';

export interface ChannelsDeps {
  db: Knex;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  notifyChanges(brandId: string): void;
  lineApiBaseUrl: string;
  whatsappApiBaseUrl: string;
  webhookBodyLimit?: number;
  retry?: Partial<RetryPolicy>;
  whatsappStatusWaitMs?: number;
  faults?: (point: string) => void;
}

export interface HubChannels {
  inbox: InboxProcessor;
  sender: OutboundSender;
  /** Work left by a previous run: unprocessed events, unsent messages. */
  start(): void;
  /** Resolves when received events are processed and queued messages attempted. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function registerChannels(app: FastifyInstance, deps: ChannelsDeps): Promise<HubChannels> {
  const broadcasts = createBroadcastProgress(deps);
  const sender = createOutboundSender({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    lineApiBaseUrl: deps.lineApiBaseUrl,
    whatsappApiBaseUrl: deps.whatsappApiBaseUrl,
    retry: { ...defaultRetryPolicy, ...deps.retry },
    ...(deps.whatsappStatusWaitMs ? { whatsappStatusWaitMs: deps.whatsappStatusWaitMs } : {}),
    ...(deps.faults ? { faults: deps.faults } : {}),
    onSettled: ({ broadcastId }) => {
      if (broadcastId) broadcasts.settled(broadcastId);
    },
  });
  const inbox = createInboxProcessor({
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    handlers: {
      line: lineEventHandler(deps),
      whatsapp: whatsappEventHandler(deps),
    },
    onCommitted: ({ changedBrandIds, queued }) => {
      for (const brandId of changedBrandIds) deps.notifyChanges(brandId);
      if (queued) sender.kick();
    },
  });
  await registerWebhookRoutes(app, {
    db: deps.db,
    clock: deps.clock,
    inbox: createInbox(deps.db),
    bodyLimit: deps.webhookBodyLimit ?? DEFAULT_WEBHOOK_BODY_LIMIT,
    received: () => inbox.kick(),
  });
  return {
    inbox,
    sender,
    start: () => {
      inbox.kick();
      sender.kick();
      void broadcasts.recountOpen();
    },
    idle: async () => {
      await inbox.idle();
      await sender.idle();
      await broadcasts.idle();
    },
    close: async () => {
      await inbox.close();
      await sender.close();
      await broadcasts.idle();
    },
  };
}
