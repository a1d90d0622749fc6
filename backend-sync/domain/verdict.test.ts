import { describe, expect, it } from 'vitest';
import { judgeClaim, type VerdictInput } from './verdict';

const base: VerdictInput = {
  coupon: {
    status: 'published',
    branchIds: [],
    validityMode: 'fixed',
    validFrom: '2026-11-01T00:00:00+08:00',
    validUntil: '2026-12-01T00:00:00+08:00',
    durationDays: null,
  },
  claim: {
    claimedAt: '2026-11-02T00:00:00Z',
    openedAt: null,
    redeemedAt: null,
    redeemedBranchId: null,
    redeemedDeviceId: null,
    redeemedStaffId: null,
  },
  branchId: 'TPE',
  now: new Date('2026-11-23T04:00:00Z'),
  timeZone: 'Asia/Taipei',
};

describe('judgeClaim', () => {
  it('says valid inside the window at an applicable branch', () => {
    expect(judgeClaim(base).kind).toBe('valid');
    expect(judgeClaim({ ...base, coupon: { ...base.coupon, branchIds: ['TPE'] } }).kind).toBe('valid');
  });
  it('refuses drafts and other branches before looking at dates', () => {
    const expiredDraft = {
      ...base,
      coupon: { ...base.coupon, status: 'draft' as const },
      now: new Date('2027-01-01T00:00:00Z'),
    };
    expect(judgeClaim(expiredDraft).kind).toBe('draft');
    expect(judgeClaim({ ...base, coupon: { ...base.coupon, branchIds: ['TXG'] } })).toEqual({
      kind: 'wrong_branch',
      branchIds: ['TXG'],
    });
  });
  it('says when, where and by whom a claim was redeemed, even once expired', () => {
    const redeemed = {
      ...base,
      claim: {
        ...base.claim,
        redeemedAt: '2026-11-20T03:00:00Z',
        redeemedBranchId: 'TPE',
        redeemedDeviceId: 'D1',
        redeemedStaffId: 'S1',
      },
      now: new Date('2027-01-01T00:00:00Z'),
    };
    expect(judgeClaim(redeemed)).toEqual({
      kind: 'already_redeemed',
      redeemedAt: new Date('2026-11-20T03:00:00Z'),
      branchId: 'TPE',
      deviceId: 'D1',
      staffId: 'S1',
    });
  });
  it('says not yet valid and expired with the moment', () => {
    expect(judgeClaim({ ...base, now: new Date('2026-10-31T15:00:00Z') })).toEqual({
      kind: 'not_yet_valid',
      startsAt: new Date('2026-10-31T16:00:00Z'),
    });
    expect(judgeClaim({ ...base, now: new Date('2026-12-01T00:00:00Z') })).toEqual({
      kind: 'expired',
      endedAt: new Date('2026-11-30T16:00:00Z'),
    });
  });
});
