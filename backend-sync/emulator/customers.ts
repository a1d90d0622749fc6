/**
 * Pretend customers: build the webhook the platform would send when a customer writes (or, on
 * LINE, follows / blocks), sign it with the channel's secret and post it to the hub. Remembers the
 * last LINE event per customer so `redeliver` can send it again as LINE does (same
 * webhookEventId, `deliveryContext.isRedelivery: true`).
 */
import { z } from 'zod';
import type { Clock } from '../domain/clock';
import type { ResolvedChannels } from './channels';
import type { LineEvent, LineWebhook, WhatsAppWebhook } from './formats';
import { lineMessageId, opaqueToken, ulid, wamid } from './ids';
import type { EmulatorState } from './state';
import type { HubAnswer, WebhookPoster } from './webhooks';

export const SayRequest = z
  .object({
    channel: z.enum(['line', 'whatsapp']),
    /** LINE user id, or the customer's WhatsApp number (digits, optional '+'). */
    user: z.string().trim().min(1).max(100),
    /** LINE: message (default), follow, unfollow. WhatsApp: message only. */
    event: z.enum(['message', 'follow', 'unfollow']).default('message'),
    text: z.string().min(1).max(4096).optional(),
    displayName: z.string().trim().min(1).max(100).optional(),
    /** Send this customer's last event again, as the platform's redelivery. */
    redeliver: z.boolean().default(false),
    /** LINE channel id or WhatsApp phone number id; default: the first configured. */
    via: z.string().optional(),
  })
  .refine((s) => s.redeliver || s.event !== 'message' || s.text !== undefined, {
    message: 'text is required for a message',
    path: ['text'],
  })
  .refine((s) => s.channel === 'line' || s.event === 'message', {
    message: 'WhatsApp customers can only send messages',
    path: ['event'],
  });
export type SayRequest = z.input<typeof SayRequest>;

export interface SayResult {
  channel: 'line' | 'whatsapp';
  /** What was posted (the platform's webhook body). */
  payload: LineWebhook | WhatsAppWebhook;
  /** The hub's answer. */
  hub: HubAnswer;
  /** LINE: webhookEventId; WhatsApp: the inbound wamid. */
  eventId: string;
  /** LINE message/follow: the reply token the hub may answer with. */
  replyToken?: string;
}

export class SayError extends Error {
  constructor(
    readonly code: 'UNKNOWN_CHANNEL' | 'NOTHING_TO_REDELIVER' | 'NO_HUB',
    message: string,
  ) {
    super(message);
  }
}

export interface CustomerDeps {
  channels: ResolvedChannels;
  state: EmulatorState;
  clock: Clock;
  poster: WebhookPoster;
}

const defaultName = (user: string) => `顧客 ${user.replace(/\D/g, '').slice(-4) || user.slice(-4)}`;

export function createPretendCustomers(deps: CustomerDeps) {
  const { state, clock } = deps;
  const lastLine = new Map<string, LineWebhook>();
  const lastWhatsApp = new Map<string, WhatsAppWebhook>();

  function lineChannel(via: string | undefined) {
    const c = via
      ? deps.channels.line.find((l) => l.channelId === via || l.botUserId === via)
      : deps.channels.line[0];
    if (!c)
      throw new SayError(
        'UNKNOWN_CHANNEL',
        via ? `No LINE channel ${via}.` : 'No LINE channel is configured.',
      );
    return c;
  }
  function whatsAppChannel(via: string | undefined) {
    const c = via
      ? deps.channels.whatsapp.find((w) => w.phoneNumberId === via || w.displayPhoneNumber === via)
      : deps.channels.whatsapp[0];
    if (!c) {
      throw new SayError(
        'UNKNOWN_CHANNEL',
        via ? `No WhatsApp number ${via}.` : 'No WhatsApp number is configured.',
      );
    }
    return c;
  }

  async function sayLine(input: z.output<typeof SayRequest>): Promise<SayResult> {
    const channel = lineChannel(input.via);
    const key = `${channel.channelId}:${input.user}`;
    let payload: LineWebhook;
    if (input.redeliver) {
      const last = lastLine.get(key);
      if (!last)
        throw new SayError('NOTHING_TO_REDELIVER', `Customer ${input.user} has sent nothing to redeliver.`);
      payload = {
        ...last,
        events: last.events.map((e) => ({ ...e, deliveryContext: { isRedelivery: true } })),
      };
    } else {
      state.rememberName(
        'line',
        input.user,
        input.displayName ?? state.nameOf('line', input.user) ?? defaultName(input.user),
      );
      const now = clock.now().getTime();
      const base = {
        mode: 'active' as const,
        timestamp: now,
        source: { type: 'user' as const, userId: input.user },
        webhookEventId: ulid(now),
        deliveryContext: { isRedelivery: false },
      };
      let event: LineEvent;
      if (input.event === 'unfollow') event = { ...base, type: 'unfollow' };
      else {
        const replyToken = opaqueToken(16);
        state.issueReplyToken(replyToken, channel.channelId, input.user);
        event =
          input.event === 'follow'
            ? { ...base, type: 'follow', replyToken, follow: { isUnblocked: false } }
            : {
                ...base,
                type: 'message',
                replyToken,
                message: {
                  id: lineMessageId(),
                  type: 'text',
                  quoteToken: opaqueToken(32),
                  text: input.text ?? '',
                },
              };
      }
      payload = { destination: channel.botUserId, events: [event] };
      lastLine.set(key, payload);
    }
    const hub = await deps.poster.line(payload, channel.channelSecret);
    const event = payload.events[0]!;
    return {
      channel: 'line',
      payload,
      hub,
      eventId: event.webhookEventId,
      ...('replyToken' in event ? { replyToken: event.replyToken } : {}),
    };
  }

  async function sayWhatsApp(input: z.output<typeof SayRequest>): Promise<SayResult> {
    const channel = whatsAppChannel(input.via);
    const waId = input.user.replace(/^\+/, '');
    const key = `${channel.phoneNumberId}:${waId}`;
    let payload: WhatsAppWebhook;
    if (input.redeliver) {
      const last = lastWhatsApp.get(key);
      if (!last)
        throw new SayError('NOTHING_TO_REDELIVER', `Customer ${waId} has sent nothing to redeliver.`);
      payload = last;
    } else {
      const name = input.displayName ?? state.nameOf('whatsapp', waId) ?? defaultName(waId);
      state.rememberName('whatsapp', waId, name);
      payload = {
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
                  contacts: [{ profile: { name }, wa_id: waId }],
                  messages: [
                    {
                      from: waId,
                      id: wamid(),
                      timestamp: String(Math.floor(clock.now().getTime() / 1000)),
                      type: 'text',
                      text: { body: input.text ?? '' },
                    },
                  ],
                },
              },
            ],
          },
        ],
      };
      lastWhatsApp.set(key, payload);
    }
    state.noteInbound(channel.phoneNumberId, waId);
    const hub = await deps.poster.whatsapp(payload, channel.appSecret);
    return {
      channel: 'whatsapp',
      payload,
      hub,
      eventId: payload.entry[0]!.changes[0]!.value.messages![0]!.id,
    };
  }

  return {
    async say(request: SayRequest): Promise<SayResult> {
      const input = SayRequest.parse(request);
      if (!deps.poster.hubUrl())
        throw new SayError('NO_HUB', 'The emulator has no hub URL (start it with --hub).');
      return input.channel === 'line' ? sayLine(input) : sayWhatsApp(input);
    },
  };
}
