/**
 * Channel rows → typed channels. Secrets live only in these objects on their way to a signature
 * check or an API call; views for the admin API are made elsewhere (http/admin/channels.ts) and
 * say only whether a secret is set.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { WhatsappTemplateRef } from '../../protocol';
import { open } from './secretBox';

type Row = Record<string, unknown>;

export interface LineChannel {
  kind: 'line';
  id: string;
  brandId: string;
  name: string;
  channelId: string | null;
  /** The bot's user id (a webhook's `destination`); null until configured or first seen. */
  destination: string | null;
  channelSecret: string;
  accessToken: string;
  basicId: string | null;
}

export interface WhatsappChannel {
  kind: 'whatsapp';
  id: string;
  brandId: string;
  name: string;
  phoneNumberId: string;
  displayNumber: string | null;
  businessAccountId: string | null;
  appSecret: string;
  verifyToken: string;
  accessToken: string;
  /** Approved message templates (what may be sent outside the 24-hour window). */
  templates: WhatsappTemplateRef[];
}

export type Channel = LineChannel | WhatsappChannel;

const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const sn = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toChannel(row: Row): Channel {
  if (row.kind === 'line') {
    return {
      kind: 'line',
      id: s(row.id),
      brandId: s(row.brand_id),
      name: s(row.name),
      channelId: sn(row.line_channel_id),
      destination: sn(row.line_destination),
      channelSecret: open(s(row.line_channel_secret)),
      accessToken: open(s(row.line_access_token)),
      basicId: sn(row.line_basic_id),
    };
  }
  return {
    kind: 'whatsapp',
    id: s(row.id),
    brandId: s(row.brand_id),
    name: s(row.name),
    phoneNumberId: s(row.wa_phone_number_id),
    displayNumber: sn(row.wa_display_number),
    businessAccountId: sn(row.wa_business_account_id),
    appSecret: open(s(row.wa_app_secret)),
    verifyToken: open(s(row.wa_verify_token)),
    accessToken: open(s(row.wa_access_token)),
    templates: parseTemplates(row.wa_templates),
  };
}

/** The stored template list; a malformed one counts as none (nothing unapproved is ever sent). */
function parseTemplates(value: unknown): WhatsappTemplateRef[] {
  if (value === null || value === undefined) return [];
  try {
    const parsed = z.array(WhatsappTemplateRef).safeParse(JSON.parse(String(value)));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export async function getChannel(db: Knex, id: string): Promise<Channel | null> {
  const row: Row | undefined = await db('channels').where({ id }).first();
  return row ? toChannel(row) : null;
}

/**
 * The webhook routes' view of the channels: read at most once a second, and again at once when
 * nothing matches (a channel just added or its secret just changed), so a burst of webhooks does
 * not query the channel table per request.
 */
export interface ChannelDirectory {
  line(fresh?: boolean): Promise<LineChannel[]>;
  whatsapp(fresh?: boolean): Promise<WhatsappChannel[]>;
}

export function channelDirectory(db: Knex, maxAgeMs = 1000): ChannelDirectory {
  let cached: { at: number; line: LineChannel[]; whatsapp: WhatsappChannel[] } | null = null;
  const load = async (fresh: boolean) => {
    if (!fresh && cached && Date.now() - cached.at < maxAgeMs) return cached;
    const rows: Row[] = await db('channels').orderBy('created_at');
    const channels = rows.map(toChannel);
    cached = {
      at: Date.now(),
      line: channels.filter((c): c is LineChannel => c.kind === 'line'),
      whatsapp: channels.filter((c): c is WhatsappChannel => c.kind === 'whatsapp'),
    };
    return cached;
  };
  return {
    line: async (fresh = false) => (await load(fresh)).line,
    whatsapp: async (fresh = false) => (await load(fresh)).whatsapp,
  };
}
