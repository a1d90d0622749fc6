/**
 * The channels the emulator stands in for: per LINE channel its secret (signs webhooks), access
 * token (checked on every API call), bot user id (the webhook's `destination`) and basic id; per
 * WhatsApp number its app secret, access token, phone number id and display number.
 *
 * The demo's values are the hub's own demo channels (backend-sync/hub/demo/channels.ts), so the
 * webhooks the emulator signs verify at a demo hub and the hub's calls authenticate here.
 */
import { z } from 'zod';

export const LineChannelConfig = z.object({
  /** LINE's numeric channel id (shown in the records). */
  channelId: z.string().min(1),
  channelSecret: z.string().min(1),
  channelAccessToken: z.string().min(1),
  /** The bot's user id: the `destination` of every webhook for this channel. */
  botUserId: z.string().min(1),
  /** '@…' basic id, as `GET /v2/bot/info` answers it. */
  basicId: z.string().min(1),
  displayName: z.string().default('OMO 示範品牌'),
});
export type LineChannelConfig = z.input<typeof LineChannelConfig>;

export const WhatsAppChannelConfig = z.object({
  /** WhatsApp Business Account id: `entry[].id` of every webhook. */
  businessAccountId: z.string().min(1),
  phoneNumberId: z.string().min(1),
  /** As the platform shows it in `metadata.display_phone_number` (digits, no '+'). */
  displayPhoneNumber: z.string().min(1),
  appSecret: z.string().min(1),
  accessToken: z.string().min(1),
  /** The hub's webhook verify token, for the `GET` subscription handshake. */
  verifyToken: z.string().min(1).optional(),
});
export type WhatsAppChannelConfig = z.input<typeof WhatsAppChannelConfig>;

export const EmulatorChannels = z.object({
  line: z.array(LineChannelConfig),
  whatsapp: z.array(WhatsAppChannelConfig),
});
export type EmulatorChannels = z.input<typeof EmulatorChannels>;
export type ResolvedChannels = z.output<typeof EmulatorChannels>;
export type ResolvedLineChannel = ResolvedChannels['line'][number];
export type ResolvedWhatsAppChannel = ResolvedChannels['whatsapp'][number];
