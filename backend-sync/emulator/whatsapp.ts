/**
 * The WhatsApp Cloud API's messages endpoint as the hub sees it: `POST /{version}/{phone number
 * id}/messages` with the Graph API's bearer check and error bodies, answered like the platform,
 * then the delivery story posted back to the hub as signed `statuses` webhooks: sent → delivered
 * → read, or sent → failed (131047) for a free-form message outside the customer's 24-hour window.
 * Each status carries the message's `biz_opaque_callback_data`, and like Meta the emulator keeps
 * posting a status the hub did not take (down, or not 200) until it does (or the emulator closes).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../domain/clock';
import type { ResolvedChannels, ResolvedWhatsAppChannel } from './channels';
import { issueList, WhatsAppMarkRead, WhatsAppSendRequest, type WhatsAppWebhook } from './formats';
import { opaqueToken, requestId as newRequestId, wamid as newWamid } from './ids';
import type { EmulatorState } from './state';
import type { WebhookPoster } from './webhooks';

export interface WhatsAppRouteDeps {
  channels: ResolvedChannels;
  state: EmulatorState;
  clock: Clock;
  poster: WebhookPoster;
  /** Pause between status webhooks (sent, delivered, read), and between retries of one. */
  statusDelayMs: number;
  /** Refuse free-form messages outside the 24-hour customer service window, as the platform does. */
  enforceWindow: boolean;
  onBackgroundError(err: unknown): void;
}

const WINDOW_MS = 24 * 60 * 60 * 1000;
/** Posts of one status the hub did not take before the emulator gives up on it. */
const STATUS_TRIES = 30;

function graphError(reply: FastifyReply, status: number, code: number, message: string, extra: object = {}) {
  return reply.code(status).send({
    error: { message, type: 'OAuthException', code, ...extra, fbtrace_id: opaqueToken(8) },
  });
}

export function registerWhatsAppRoutes(app: FastifyInstance, deps: WhatsAppRouteDeps) {
  const { state, clock } = deps;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let closed = false;

  const unixNow = () => String(Math.floor(clock.now().getTime() / 1000));

  function statusPayload(
    channel: ResolvedWhatsAppChannel,
    status: {
      id: string;
      status: 'sent' | 'delivered' | 'read' | 'failed';
      recipient: string;
      callbackData: string | undefined;
    },
  ): WhatsAppWebhook {
    const failed = status.status === 'failed';
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: channel.businessAccountId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: channel.displayPhoneNumber,
                  phone_number_id: channel.phoneNumberId,
                },
                statuses: [
                  {
                    id: status.id,
                    status: status.status,
                    timestamp: unixNow(),
                    recipient_id: status.recipient,
                    ...(status.callbackData === undefined
                      ? {}
                      : { biz_opaque_callback_data: status.callbackData }),
                    ...(failed
                      ? {
                          errors: [
                            {
                              code: 131047,
                              title: 'Re-engagement message',
                              message:
                                'More than 24 hours have passed since the recipient last replied to the sender number.',
                            },
                          ],
                        }
                      : {
                          conversation: { id: opaqueToken(16), origin: { type: 'service' } },
                          pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
                        }),
                  },
                ],
              },
            },
          ],
        },
      ],
    };
  }

  /**
   * Posts the statuses one after another, `statusDelayMs` apart. A status the hub did not take is
   * posted again, backing off to 5 s, up to STATUS_TRIES times (Meta retries for days), so a hub
   * that was down still hears how its messages went.
   */
  function tellStatuses(
    channel: ResolvedWhatsAppChannel,
    message: { id: string; recipient: string; callbackData: string | undefined },
    steps: ('sent' | 'delivered' | 'read' | 'failed')[],
    failures = 0,
  ): void {
    if (!deps.poster.hubUrl()) return;
    const [next, ...rest] = steps;
    if (!next || closed || failures >= STATUS_TRIES) return;
    const delay = Math.min(deps.statusDelayMs * 2 ** failures, 5_000);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (closed) return;
      deps.poster.whatsapp(statusPayload(channel, { ...message, status: next }), channel.appSecret).then(
        (answer) =>
          answer.status === 200
            ? tellStatuses(channel, message, rest)
            : tellStatuses(channel, message, steps, failures + 1),
        (err: unknown) => {
          deps.onBackgroundError(err);
          tellStatuses(channel, message, steps, failures + 1);
        },
      );
    }, delay);
    timers.add(timer);
  }

  function channelFor(request: FastifyRequest<{ Params: { phoneNumberId: string } }>) {
    const token = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
    return deps.channels.whatsapp.find(
      (c) => c.accessToken === token && c.phoneNumberId === request.params.phoneNumberId,
    );
  }

  app.post<{ Params: { version: string; phoneNumberId: string } }>(
    '/:version/:phoneNumberId/messages',
    async (request, reply) => {
      if (!/^v\d+\.\d+$/.test(request.params.version)) {
        return graphError(reply, 400, 2500, `Unknown path components: /${request.params.version}`);
      }
      const channel = channelFor(request);
      if (!channel) {
        return graphError(reply, 401, 190, 'Invalid OAuth access token - Cannot parse access token');
      }
      const fault = state.takeFault('whatsapp');
      if (fault) {
        return fault.status === 429
          ? graphError(reply, 429, 130429, '(#130429) Rate limit hit', {
              error_data: {
                messaging_product: 'whatsapp',
                details: 'Cloud API message throughput has been reached.',
              },
            })
          : graphError(reply, 500, 131000, 'Something went wrong');
      }
      const markRead = WhatsAppMarkRead.safeParse(request.body);
      if (markRead.success) return { success: true };

      const parsed = WhatsAppSendRequest.safeParse(request.body);
      if (!parsed.success) {
        const details = issueList(parsed.error);
        return graphError(reply, 400, 100, '(#100) Invalid parameter', {
          error_data: {
            messaging_product: 'whatsapp',
            details: details.map((d) => `${d.property}: ${d.message}`).join('; '),
          },
        });
      }
      const body = parsed.data;
      const waId = body.to.replace(/^\+/, '');
      const id = newWamid();
      state.record({
        channel: 'whatsapp',
        api: 'messages',
        from: channel.phoneNumberId,
        to: [waId],
        messages: [body],
        requestId: newRequestId(),
        messageIds: [id],
      });
      const lastInbound = state.lastInboundAt(channel.phoneNumberId, waId);
      const inWindow = lastInbound !== undefined && clock.now().getTime() - lastInbound < WINDOW_MS;
      const refused = deps.enforceWindow && body.type !== 'template' && !inWindow;
      tellStatuses(
        channel,
        { id, recipient: waId, callbackData: body.biz_opaque_callback_data },
        refused ? ['failed'] : ['sent', 'delivered', 'read'],
      );
      return {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: waId }],
        messages: [{ id }],
      };
    },
  );

  return {
    close(): void {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
