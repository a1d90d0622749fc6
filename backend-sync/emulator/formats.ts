/**
 * The platforms' wire formats as zod schemas: the webhooks the emulator posts (checked in its
 * tests, so a payload that drifts from the documented shape fails there, not at the hub) and the
 * API request bodies it accepts from the hub (validated loosely: the fields the platform insists
 * on, the rest passed through and recorded as sent).
 *
 * Sources: LINE Messaging API reference (webhook event objects, send reply / push / multicast),
 * WhatsApp Cloud API reference (messages endpoint, webhooks `messages` field).
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// LINE webhooks

const LineSource = z.object({ type: z.literal('user'), userId: z.string().min(1) });
const LineEventBase = z.object({
  mode: z.enum(['active', 'standby']),
  timestamp: z.number().int().positive(),
  source: LineSource,
  /** ULID: 26 characters of Crockford base 32. */
  webhookEventId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/),
  deliveryContext: z.object({ isRedelivery: z.boolean() }),
});

export const LineMessageEvent = LineEventBase.extend({
  type: z.literal('message'),
  replyToken: z.string().min(1),
  message: z.object({
    id: z.string().regex(/^\d+$/),
    type: z.literal('text'),
    quoteToken: z.string().min(1),
    text: z.string().min(1).max(5000),
  }),
});
export const LineFollowEvent = LineEventBase.extend({
  type: z.literal('follow'),
  replyToken: z.string().min(1),
  follow: z.object({ isUnblocked: z.boolean() }),
});
export const LineUnfollowEvent = LineEventBase.extend({ type: z.literal('unfollow') });
export const LineEvent = z.discriminatedUnion('type', [LineMessageEvent, LineFollowEvent, LineUnfollowEvent]);
export type LineEvent = z.infer<typeof LineEvent>;

export const LineWebhook = z.object({
  /** The bot's user id. */
  destination: z.string().regex(/^U[0-9A-Za-z]{16,40}$/),
  events: z.array(LineEvent),
});
export type LineWebhook = z.infer<typeof LineWebhook>;

// ---------------------------------------------------------------------------------------------
// LINE API requests

/** A message object; only `type` is checked (text needs its text). */
export const LineMessage = z
  .looseObject({ type: z.string().min(1) })
  .refine(
    (m) => m.type !== 'text' || (typeof m.text === 'string' && m.text.length > 0 && m.text.length <= 5000),
    { message: 'text messages need a text of 1–5000 characters' },
  );
const LineMessages = z.array(LineMessage).min(1).max(5);

export const LineReplyRequest = z.looseObject({
  replyToken: z.string().min(1),
  messages: LineMessages,
  notificationDisabled: z.boolean().optional(),
});
export const LinePushRequest = z.looseObject({
  to: z.string().min(1),
  messages: LineMessages,
  notificationDisabled: z.boolean().optional(),
});
export const LineMulticastRequest = z.looseObject({
  to: z.array(z.string().min(1)).min(1).max(500),
  messages: LineMessages,
  notificationDisabled: z.boolean().optional(),
});

// ---------------------------------------------------------------------------------------------
// WhatsApp webhooks

const WhatsAppMetadata = z.object({ display_phone_number: z.string(), phone_number_id: z.string() });
const wamid = z.string().regex(/^wamid\.[A-Za-z0-9+/=_-]+$/);
const unixSeconds = z.string().regex(/^\d{10}$/);

export const WhatsAppInboundText = z.object({
  from: z.string().regex(/^\d{6,15}$/),
  id: wamid,
  timestamp: unixSeconds,
  type: z.literal('text'),
  text: z.object({ body: z.string().min(1).max(4096) }),
});

export const WhatsAppStatus = z.object({
  id: wamid,
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  /** The sender's reference from the message request, echoed back. */
  biz_opaque_callback_data: z.string().optional(),
  timestamp: unixSeconds,
  recipient_id: z.string(),
  conversation: z
    .object({
      id: z.string(),
      origin: z.object({ type: z.string() }),
      expiration_timestamp: z.string().optional(),
    })
    .optional(),
  pricing: z.object({ billable: z.boolean(), pricing_model: z.string(), category: z.string() }).optional(),
  errors: z
    .array(z.object({ code: z.number().int(), title: z.string(), message: z.string().optional() }))
    .optional(),
});

export const WhatsAppWebhook = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z
    .array(
      z.object({
        id: z.string(),
        changes: z
          .array(
            z.object({
              field: z.literal('messages'),
              value: z.object({
                messaging_product: z.literal('whatsapp'),
                metadata: WhatsAppMetadata,
                contacts: z
                  .array(z.object({ profile: z.object({ name: z.string() }), wa_id: z.string() }))
                  .optional(),
                messages: z.array(WhatsAppInboundText).optional(),
                statuses: z.array(WhatsAppStatus).optional(),
              }),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});
export type WhatsAppWebhook = z.infer<typeof WhatsAppWebhook>;

// ---------------------------------------------------------------------------------------------
// WhatsApp API requests

const WhatsAppBase = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  recipient_type: z.literal('individual').optional(),
  /** Echoed in every status webhook of the message (the sender's own reference). */
  biz_opaque_callback_data: z.string().max(512).optional(),
  to: z.string().regex(/^\+?\d{6,15}$/, 'to must be a phone number in international format'),
});

export const WhatsAppSendRequest = z.discriminatedUnion('type', [
  WhatsAppBase.extend({
    type: z.literal('text'),
    text: z.looseObject({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }),
  }),
  WhatsAppBase.extend({
    type: z.literal('template'),
    template: z.looseObject({
      name: z.string().min(1),
      language: z.looseObject({ code: z.string().min(2) }),
      components: z.array(z.looseObject({ type: z.string() })).optional(),
    }),
  }),
  WhatsAppBase.extend({
    type: z.literal('interactive'),
    interactive: z.looseObject({
      type: z.string().min(1),
      body: z.looseObject({ text: z.string().min(1).max(1024) }).optional(),
      action: z.looseObject({}),
    }),
  }),
]);
export type WhatsAppSendRequest = z.infer<typeof WhatsAppSendRequest>;

/** "Mark as read" goes to the same endpoint. */
export const WhatsAppMarkRead = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  status: z.literal('read'),
  message_id: wamid,
});

/** The issue paths of a failed parse, for error messages like the platforms give. */
export const issueList = (error: z.ZodError): { property: string; message: string }[] =>
  error.issues.slice(0, 10).map((i) => ({ property: i.path.join('.') || '(body)', message: i.message }));
