/**
 * createEmulator: the channel emulator on loopback (fastify). It stands in for the LINE Messaging
 * API and the WhatsApp Cloud API (the hub's channel base URLs point here), records what the hub
 * sent, fails on request for retry tests, and plays customers who write to the brand.
 *
 *   LINE      POST /v2/bot/message/{reply,push,multicast} · GET /v2/bot/profile/:userId · GET /v2/bot/info
 *   WhatsApp  POST /:version/:phoneNumberId/messages (then statuses webhooks to the hub)
 *   Emulator  GET|DELETE /emulator/sent · GET|POST|DELETE /emulator/faults · POST /emulator/say
 *             POST /emulator/whatsapp/verify · GET /emulator/channels · GET /emulator/avatars/:user.svg
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { systemClock, type Clock } from '../domain/clock';
import { EmulatorChannels, type ResolvedChannels } from './channels';
import { createPretendCustomers, SayError, type SayRequest, type SayResult } from './customers';
import { registerLineRoutes } from './line';
import { createEmulatorState, type EmulatorState } from './state';
import { createWebhookPoster, WHATSAPP_WEBHOOK_PATH } from './webhooks';
import { registerWhatsAppRoutes } from './whatsapp';
import { avatarSvg } from './avatar';

export interface EmulatorOptions {
  channels: EmulatorChannels;
  /** Where webhooks go; may be set later (the demo starts the emulator before the hub). */
  hubUrl?: string | null;
  port?: number;
  host?: string;
  clock?: Clock;
  statusDelayMs?: number;
  enforceWhatsAppWindow?: boolean;
  /** Errors of background work (status webhooks the hub refused to take). */
  onBackgroundError?: (err: unknown) => void;
}

export interface Emulator {
  url: string;
  port: number;
  state: EmulatorState;
  channels: ResolvedChannels;
  setHubUrl(url: string | null): void;
  say(request: SayRequest): Promise<SayResult>;
  close(): Promise<void>;
}

const SentQuery = z.object({
  channel: z.enum(['line', 'whatsapp']).optional(),
  to: z.string().optional(),
  since: z.string().optional(),
});
const FaultRequest = z
  .object({
    count: z.number().int().min(1).max(1000),
    channel: z.enum(['line', 'whatsapp', 'any']).default('any'),
    status: z.union([z.literal(429), z.literal(500)]).default(429),
  })
  .strict();

const badRequest = (error: z.ZodError) => ({
  error: { code: 'VALIDATION_FAILED', message: z.prettifyError(error) },
});

export async function createEmulator(options: EmulatorOptions): Promise<Emulator> {
  const channels = EmulatorChannels.parse(options.channels);
  const clock = options.clock ?? systemClock;
  const state = createEmulatorState(clock);
  let hubUrl = options.hubUrl ?? null;
  const poster = createWebhookPoster(() => hubUrl);
  const customers = createPretendCustomers({ channels, state, clock, poster });
  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024 });
  let baseUrl = '';

  registerLineRoutes(app, {
    channels,
    state,
    pictureUrl: (userId) => `${baseUrl}/emulator/avatars/${encodeURIComponent(userId)}.svg`,
  });
  const whatsapp = registerWhatsAppRoutes(app, {
    channels,
    state,
    clock,
    poster,
    statusDelayMs: options.statusDelayMs ?? 150,
    enforceWindow: options.enforceWhatsAppWindow ?? true,
    onBackgroundError: options.onBackgroundError ?? (() => {}),
  });

  app.get('/healthz', async () => ({ ok: true }));

  app.get('/emulator/sent', async (request, reply) => {
    const query = SentQuery.safeParse(request.query);
    if (!query.success) return reply.code(400).send(badRequest(query.error));
    const filter = Object.fromEntries(Object.entries(query.data).filter(([, v]) => v !== undefined));
    return { items: state.sent(filter), lastSeq: state.lastSeq() };
  });
  app.delete('/emulator/sent', async () => ({ cleared: state.clearSent() }));

  app.get('/emulator/faults', async () => ({ faults: state.faults() }));
  app.post('/emulator/faults', async (request, reply) => {
    const parsed = FaultRequest.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(badRequest(parsed.error));
    state.addFault({
      remaining: parsed.data.count,
      channel: parsed.data.channel,
      status: parsed.data.status,
    });
    return { faults: state.faults() };
  });
  app.delete('/emulator/faults', async () => {
    state.clearFaults();
    return { faults: [] };
  });

  app.post('/emulator/say', async (request, reply) => {
    try {
      return await customers.say(request.body as SayRequest);
    } catch (err) {
      if (err instanceof z.ZodError) return reply.code(400).send(badRequest(err));
      if (err instanceof SayError)
        return reply
          .code(err.code === 'UNKNOWN_CHANNEL' ? 404 : 409)
          .send({ error: { code: err.code, message: err.message } });
      return reply.code(502).send({ error: { code: 'HUB_UNREACHABLE', message: (err as Error).message } });
    }
  });

  /** Plays Meta's `GET` subscription handshake against the hub's WhatsApp webhook. */
  app.post('/emulator/whatsapp/verify', async (_request, reply) => {
    const channel = channels.whatsapp.find((c) => c.verifyToken);
    if (!channel?.verifyToken || !hubUrl) {
      return reply
        .code(409)
        .send({ error: { code: 'NOT_CONFIGURED', message: 'No hub URL or verify token.' } });
    }
    const challenge = String(Date.now());
    const url = new URL(WHATSAPP_WEBHOOK_PATH, hubUrl);
    url.search = new URLSearchParams({
      'hub.mode': 'subscribe',
      'hub.verify_token': channel.verifyToken,
      'hub.challenge': challenge,
    }).toString();
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    const body = await response.text();
    return { status: response.status, verified: response.ok && body === challenge };
  });

  /** Public handles only: what a person playing the customer needs (never secrets or tokens). */
  app.get('/emulator/channels', async () => ({
    hubUrl,
    line: channels.line.map((c) => ({ channelId: c.channelId, basicId: c.basicId, botUserId: c.botUserId })),
    whatsapp: channels.whatsapp.map((c) => ({
      phoneNumberId: c.phoneNumberId,
      displayPhoneNumber: c.displayPhoneNumber,
    })),
  }));

  app.get<{ Params: { file: string } }>('/emulator/avatars/:file', async (request, reply) => {
    const user = request.params.file.replace(/\.svg$/, '');
    return reply.type('image/svg+xml').send(avatarSvg(user, state.nameOf('line', user) ?? user));
  });

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const port =
    app.server.address() && typeof app.server.address() === 'object'
      ? (app.server.address() as { port: number }).port
      : 0;
  baseUrl = address.replace('[::1]', '127.0.0.1');

  return {
    url: baseUrl,
    port,
    state,
    channels,
    setHubUrl(url) {
      hubUrl = url;
    },
    say: (request) => customers.say(request),
    async close() {
      whatsapp.close();
      await app.close();
    },
  };
}
