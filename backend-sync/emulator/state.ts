/**
 * What the emulator remembers: every message the hub sent (the record tests and people read back),
 * pending faults, accepted LINE retry keys, issued reply tokens, and the pretend customers' names
 * and last inbound message (WhatsApp's 24-hour window).
 */
import type { Clock } from '../domain/clock';

export type ChannelKind = 'line' | 'whatsapp';

export interface SentRecord {
  /** 1, 2, 3… in the order the emulator accepted the calls; `?since=` takes it. */
  seq: number;
  at: string;
  channel: ChannelKind;
  /** LINE: reply · push · multicast; WhatsApp: messages. */
  api: 'reply' | 'push' | 'multicast' | 'messages';
  /** LINE channel id or WhatsApp phone number id the message went out from. */
  from: string;
  /** Recipients: LINE user ids, WhatsApp wa_ids. */
  to: string[];
  /** LINE: the message objects; WhatsApp: the one request body. */
  messages: unknown[];
  requestId: string;
  /** WhatsApp: the wamid answered. */
  messageIds?: string[];
  retryKey?: string;
}

export interface SentFilter {
  channel?: ChannelKind;
  to?: string;
  /** A seq (records after it) or an ISO time (records at or after it). */
  since?: string;
}

export interface FaultPlan {
  /** Calls still to fail. */
  remaining: number;
  channel: ChannelKind | 'any';
  status: 429 | 500;
}

interface ReplyToken {
  channelId: string;
  userId: string;
  expiresAt: number;
  used: boolean;
}

/** LINE reply tokens are valid for about a minute and usable once. */
export const REPLY_TOKEN_TTL_MS = 60_000;
/** LINE keeps a retry key for 24 hours. */
const RETRY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export function createEmulatorState(clock: Clock) {
  const sent: SentRecord[] = [];
  let seq = 0;
  const faults: FaultPlan[] = [];
  const retryKeys = new Map<string, { requestId: string; response: unknown; at: number }>();
  const replyTokens = new Map<string, ReplyToken>();
  const names = new Map<string, string>();
  const lastInbound = new Map<string, number>();

  return {
    record(entry: Omit<SentRecord, 'seq' | 'at'>): SentRecord {
      const record = { seq: ++seq, at: clock.now().toISOString(), ...entry };
      sent.push(record);
      return record;
    },
    sent(filter: SentFilter = {}): SentRecord[] {
      const since = filter.since;
      return sent.filter((r) => {
        if (filter.channel && r.channel !== filter.channel) return false;
        if (filter.to && !r.to.includes(filter.to)) return false;
        if (since !== undefined && since !== '') {
          if (/^\d+$/.test(since)) return r.seq > Number(since);
          return r.at >= new Date(since).toISOString();
        }
        return true;
      });
    },
    lastSeq: () => seq,
    clearSent(): number {
      const n = sent.length;
      sent.length = 0;
      return n;
    },

    addFault(plan: FaultPlan): void {
      faults.push(plan);
    },
    clearFaults(): void {
      faults.length = 0;
    },
    faults: (): FaultPlan[] => faults.map((f) => ({ ...f })),
    /** Takes one pending fault for this channel, if any. */
    takeFault(channel: ChannelKind): FaultPlan | null {
      const plan = faults.find((f) => f.remaining > 0 && (f.channel === 'any' || f.channel === channel));
      if (!plan) return null;
      plan.remaining -= 1;
      if (plan.remaining === 0) faults.splice(faults.indexOf(plan), 1);
      return { ...plan };
    },

    acceptedRetry(key: string): { requestId: string; response: unknown } | null {
      const hit = retryKeys.get(key);
      if (!hit || clock.now().getTime() - hit.at > RETRY_KEY_TTL_MS) return null;
      return hit;
    },
    acceptRetry(key: string, requestId: string, response: unknown): void {
      retryKeys.set(key, { requestId, response, at: clock.now().getTime() });
    },

    issueReplyToken(token: string, channelId: string, userId: string): void {
      replyTokens.set(token, {
        channelId,
        userId,
        expiresAt: clock.now().getTime() + REPLY_TOKEN_TTL_MS,
        used: false,
      });
    },
    /** The user a reply token answers, once; null when unknown, used, expired or another channel's. */
    useReplyToken(token: string, channelId: string): string | null {
      const t = replyTokens.get(token);
      if (!t || t.used || t.channelId !== channelId || clock.now().getTime() > t.expiresAt) return null;
      t.used = true;
      return t.userId;
    },

    rememberName(channel: ChannelKind, user: string, name: string): void {
      names.set(`${channel}:${user}`, name);
    },
    nameOf: (channel: ChannelKind, user: string): string | undefined => names.get(`${channel}:${user}`),
    noteInbound(phoneNumberId: string, waId: string): void {
      lastInbound.set(`${phoneNumberId}:${waId}`, clock.now().getTime());
    },
    lastInboundAt: (phoneNumberId: string, waId: string): number | undefined =>
      lastInbound.get(`${phoneNumberId}:${waId}`),
  };
}

export type EmulatorState = ReturnType<typeof createEmulatorState>;
