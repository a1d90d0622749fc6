/** The sign-in throttle: attempts per client IP in a window, and password checks in flight. */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../domain/clock';
import { createSignInThrottle } from './signInThrottle';

const limits = { attemptsPerIp: 10, windowMs: 60_000, concurrent: 2 };

describe('sign-in throttle', () => {
  it('refuses the 11th attempt from one IP in a minute, says how long to wait, and admits it after', () => {
    const clock = manualClock('2026-03-01T00:00:00Z');
    const throttle = createSignInThrottle(clock, limits);
    for (let i = 0; i < 10; i++) {
      throttle.admit('203.0.113.7')();
      clock.advance(1_000);
    }
    expect(() => throttle.admit('203.0.113.7')).toThrow(
      expect.objectContaining({ code: 'RATE_LIMITED', details: { retryAfterMs: 50_000 } }),
    );
    throttle.admit('198.51.100.1')(); // another client is not held up
    clock.advance(50_001);
    expect(() => throttle.admit('203.0.113.7')()).not.toThrow();
  });

  it('refuses a password check while the cap is in flight, and admits one once a check ends', () => {
    const throttle = createSignInThrottle(manualClock('2026-03-01T00:00:00Z'), limits);
    const first = throttle.admit('203.0.113.1');
    throttle.admit('203.0.113.2');
    expect(() => throttle.admit('203.0.113.3')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
    first();
    first(); // releasing twice frees one slot only
    throttle.admit('203.0.113.3');
    expect(() => throttle.admit('203.0.113.4')).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
  });
});
