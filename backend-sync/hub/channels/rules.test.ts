import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, defaultRetryPolicy, parseRetryAfter } from './retry';
import { statusMovesForward, type DeliveryStatus } from './statuses';

describe('delivery status order', () => {
  it('only ever moves forward, and failed is final', () => {
    const statuses: DeliveryStatus[] = ['sent', 'delivered', 'read', 'failed'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...statuses), { maxLength: 12 }), (arrivals) => {
        let current = 'queued';
        const rank = { queued: 0, sent: 1, delivered: 2, read: 3 } as Record<string, number>;
        for (const next of arrivals) {
          const before = current;
          if (statusMovesForward(current, next)) current = next;
          if (before === 'failed') expect(current).toBe('failed');
          if (current !== 'failed' && before !== 'failed')
            expect(rank[current]!).toBeGreaterThanOrEqual(rank[before]!);
        }
      }),
    );
    expect(statusMovesForward('read', 'failed')).toBe(false);
    expect(statusMovesForward('sent', 'failed')).toBe(true);
  });
});

describe('back-off', () => {
  const policy = { ...defaultRetryPolicy, random: () => 1 };

  it('grows exponentially up to the cap, never below Retry-After', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(policy, a))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelayMs(policy, 30)).toBe(policy.maxDelayMs);
    expect(backoffDelayMs(policy, 1, 7000)).toBe(7000);
    expect(backoffDelayMs({ ...policy, random: () => 0 }, 4)).toBe(2000); // jitter: half to full
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
