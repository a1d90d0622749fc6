/**
 * The platforms' send rates, shared by every hub node: WhatsApp's per-number throughput (80
 * messages a second by default) and LINE's per-channel request limit. With Redis (several nodes)
 * the counters live there, so three nodes together stay under the platform's limit; one node counts
 * in memory. A WhatsApp 130429 ("rate limit hit") blocks the number for every node until its
 * back-off is over, so the others do not keep hitting the limit meanwhile (a LINE 429 backs off the
 * refused message only: LINE's per-request limits leave the channel's other sends alone).
 */
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { Channel } from './store';

/** WhatsApp Cloud API default throughput per business phone number. */
export const WHATSAPP_MESSAGES_PER_SECOND = 80;
/** LINE Messaging API: 2,000 requests a second per channel for sending. */
export const LINE_REQUESTS_PER_SECOND = 2_000;

export interface SendRate {
  /** Resolves when `channel` may send one more message (waits while its budget is spent). */
  take(channel: Channel): Promise<void>;
  /** The platform refused for its rate: no node sends on `channel` for `ms`. */
  holdOff(channel: Channel, ms: number): Promise<void>;
}

export function createSendRate(
  options: { redis?: unknown; sleep?: (ms: number) => Promise<void> } = {},
): SendRate {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limiter = (keyPrefix: string, points: number): RateLimiterAbstract =>
    options.redis
      ? new RateLimiterRedis({
          storeClient: options.redis,
          useRedisPackage: true,
          keyPrefix,
          points,
          duration: 1,
        })
      : new RateLimiterMemory({ keyPrefix, points, duration: 1 });
  const whatsapp = limiter('omo:send:wa', WHATSAPP_MESSAGES_PER_SECOND);
  const line = limiter('omo:send:line', LINE_REQUESTS_PER_SECOND);
  const of = (channel: Channel) => (channel.kind === 'whatsapp' ? whatsapp : line);

  return {
    take: async (channel) => {
      for (;;) {
        try {
          await of(channel).consume(channel.id);
          return;
        } catch (refused) {
          // Redis unreachable: sending goes on unthrottled rather than stopping every message.
          if (!(refused instanceof RateLimiterRes)) return;
          await sleep(Math.max(1, refused.msBeforeNext));
        }
      }
    },
    holdOff: async (channel, ms) => {
      await of(channel)
        .block(channel.id, Math.max(1, Math.ceil(ms / 1000)))
        .catch(() => undefined);
    },
  };
}
