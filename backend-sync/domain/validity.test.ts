import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countdownEnd, validityAt, type ValidityCoupon } from './validity';

const TPE = 'Asia/Taipei';
const claim = (claimedAt: string, openedAt: string | null = null) => ({ claimedAt, openedAt });
const fixed = (validFrom: string, validUntil: string): ValidityCoupon => ({
  validityMode: 'fixed',
  validFrom,
  validUntil,
  durationDays: null,
});
const countdown = (mode: 'from_claim' | 'from_open', durationDays: number): ValidityCoupon => ({
  validityMode: mode,
  validFrom: null,
  validUntil: null,
  durationDays,
});

describe('fixed window', () => {
  const coupon = fixed('2026-12-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00');
  const c = claim('2026-11-20T10:00:00Z');
  it('is not yet valid one millisecond before it opens', () => {
    expect(validityAt(coupon, c, new Date('2026-11-30T15:59:59.999Z')).state).toBe('not_yet_valid');
  });
  it('is valid from the first instant', () => {
    expect(validityAt(coupon, c, new Date('2026-11-30T16:00:00.000Z')).state).toBe('valid');
  });
  it('is valid until the last millisecond and expired at the end', () => {
    expect(validityAt(coupon, c, new Date('2026-12-31T15:59:59.999Z')).state).toBe('valid');
    expect(validityAt(coupon, c, new Date('2026-12-31T16:00:00.000Z')).state).toBe('expired');
  });
});

describe('countdown from claim, in the brand time zone', () => {
  // 23 Nov 23:30 in Taipei is 23 Nov 15:30 UTC: the claim day is the 23rd locally.
  const c = claim('2026-11-23T15:30:00Z');
  const coupon = countdown('from_claim', 7);
  it('ends at local midnight after seven calendar days, the claim day counting as one', () => {
    expect(countdownEnd(new Date(c.claimedAt), 7, TPE).toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(validityAt(coupon, c, new Date('2026-11-29T15:59:59.999Z'), TPE).state).toBe('valid');
    expect(validityAt(coupon, c, new Date('2026-11-29T16:00:00.000Z'), TPE).state).toBe('expired');
  });
  it('counts days differently in another zone (Hong Kong shares +08:00; London does not)', () => {
    // In London the claim is still on the 23rd (15:30), ending at London midnight after 7 days.
    expect(countdownEnd(new Date(c.claimedAt), 7, 'Europe/London').toISOString()).toBe(
      '2026-11-30T00:00:00.000Z',
    );
  });
  it('is not yet valid before the claim existed', () => {
    expect(validityAt(coupon, c, new Date('2026-11-23T15:29:59Z'), TPE).state).toBe('not_yet_valid');
  });
  it('is bounded by the coupon outer end date', () => {
    const bounded = { ...coupon, validUntil: '2026-11-25T00:00:00+08:00' };
    expect(validityAt(bounded, c, new Date('2026-11-24T15:59:59Z'), TPE).state).toBe('valid');
    expect(validityAt(bounded, c, new Date('2026-11-24T16:00:00Z'), TPE).state).toBe('expired');
  });
});

describe('countdown from first open', () => {
  const coupon = countdown('from_open', 3);
  it('has not started while unopened: an unopened claim shown at the till counts as opened now', () => {
    const c = claim('2020-01-01T00:00:00Z', null);
    expect(validityAt(coupon, c, new Date('2026-11-23T02:00:00Z'), TPE).state).toBe('valid');
  });
  it('runs from the open, not from the claim', () => {
    const c = claim('2026-01-01T00:00:00Z', '2026-11-23T02:00:00Z'); // 10:00 local on the 23rd
    expect(validityAt(coupon, c, new Date('2026-11-25T15:59:59.999Z'), TPE).state).toBe('valid');
    expect(validityAt(coupon, c, new Date('2026-11-25T16:00:00.000Z'), TPE).state).toBe('expired');
  });
});

describe('properties', () => {
  const instant = fc.date({
    min: new Date('2024-01-01T00:00:00Z'),
    max: new Date('2030-01-01T00:00:00Z'),
    noInvalidDate: true,
  });
  const zone = fc.constantFrom('Asia/Taipei', 'Asia/Hong_Kong', 'Europe/London', 'America/New_York');

  it('a countdown claim is valid at its start and expired at its end, for any start, length and zone', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 400 }), zone, (start, days, tz) => {
        const coupon = countdown('from_claim', days);
        const c = claim(start.toISOString());
        const end = countdownEnd(start, days, tz);
        expect(validityAt(coupon, c, start, tz).state).toBe('valid');
        expect(validityAt(coupon, c, new Date(end.getTime() - 1), tz).state).toBe('valid');
        expect(validityAt(coupon, c, end, tz).state).toBe('expired');
      }),
    );
  });

  it('the countdown ends at a local midnight at least days−1 and at most days calendar days later', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 400 }), zone, (start, days, tz) => {
        const end = countdownEnd(start, days, tz);
        const hours = (end.getTime() - start.getTime()) / 3_600_000;
        // DST shifts a day by up to an hour.
        expect(hours).toBeGreaterThan((days - 1) * 24 - 1);
        expect(hours).toBeLessThanOrEqual(days * 24 + 1);
        const local = new Intl.DateTimeFormat('en-GB', {
          timeZone: tz,
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(end);
        expect(local).toBe('00:00');
      }),
    );
  });

  it('a fixed window: the state is a monotone function of time (not yet → valid → expired)', () => {
    fc.assert(
      fc.property(instant, instant, instant, (a, b, t) => {
        fc.pre(a.getTime() !== b.getTime());
        const [from, until] = a < b ? [a, b] : [b, a];
        const state = validityAt(
          fixed(from.toISOString(), until.toISOString()),
          claim(from.toISOString()),
          t,
        ).state;
        const expected = t < from ? 'not_yet_valid' : t >= until ? 'expired' : 'valid';
        expect(state).toBe(expected);
      }),
    );
  });
});
