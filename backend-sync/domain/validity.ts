/**
 * When a claim may be used: a pure function of (coupon, claim, now) in the brand's time zone.
 *
 * - fixed (自訂時間): [validFrom, validUntil).
 * - from_claim (自領取後倒數): from the claim time until local midnight after `durationDays`
 *   calendar days, the claim day counting as day 1 (claimed 23 Nov 10:00, 7 days → usable until
 *   30 Nov 00:00 local). Calendar days are what customers and cashiers count, hence the zone.
 * - from_open (自開封後倒數): the same countdown, started by the customer's first open. A claim the
 *   till has not seen opened is counted as opened now: the customer can only show the code by
 *   opening the coupon, and the open may not have synced to an offline till yet.
 * In the countdown modes the coupon's own validFrom / validUntil, when set, bound the window too.
 */
import { DateTime } from 'luxon';
import type { ClaimRow, CouponRow } from '../protocol';

export const DEFAULT_TIME_ZONE = 'Asia/Taipei';

export type ValidityCoupon = Pick<CouponRow, 'validityMode' | 'validFrom' | 'validUntil' | 'durationDays'>;
export type ValidityClaim = Pick<ClaimRow, 'claimedAt' | 'openedAt'>;

/** Half-open window [from, until); null bounds are open-ended. */
export interface ValidityWindow {
  from: Date | null;
  until: Date | null;
}

export type ValidityState =
  | { state: 'valid'; window: ValidityWindow }
  | { state: 'not_yet_valid'; window: ValidityWindow; startsAt: Date }
  | { state: 'expired'; window: ValidityWindow; endedAt: Date };

const toDate = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

const later = (a: Date | null, b: Date | null): Date | null =>
  a === null ? b : b === null ? a : a > b ? a : b;
const earlier = (a: Date | null, b: Date | null): Date | null =>
  a === null ? b : b === null ? a : a < b ? a : b;

/** Local midnight after `days` calendar days, counting the start's own day as day 1. */
export function countdownEnd(start: Date, days: number, timeZone: string): Date {
  return DateTime.fromJSDate(start, { zone: timeZone }).startOf('day').plus({ days }).toJSDate();
}

export function validityWindow(
  coupon: ValidityCoupon,
  claim: ValidityClaim,
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): ValidityWindow {
  const outer = { from: toDate(coupon.validFrom), until: toDate(coupon.validUntil) };
  if (coupon.validityMode === 'fixed') return outer;

  const start =
    coupon.validityMode === 'from_claim' ? new Date(claim.claimedAt) : (toDate(claim.openedAt) ?? now);
  const end = coupon.durationDays === null ? null : countdownEnd(start, coupon.durationDays, timeZone);
  return { from: later(outer.from, start), until: earlier(outer.until, end) };
}

export function validityAt(
  coupon: ValidityCoupon,
  claim: ValidityClaim,
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): ValidityState {
  const window = validityWindow(coupon, claim, now, timeZone);
  if (window.from !== null && now < window.from)
    return { state: 'not_yet_valid', window, startsAt: window.from };
  if (window.until !== null && now >= window.until)
    return { state: 'expired', window, endedAt: window.until };
  return { state: 'valid', window };
}
