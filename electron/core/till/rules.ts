/**
 * The brand's till rules (time zone, wrong-code lock, offline redeem limit) and the offline-limit
 * rule itself: past how long offline the till stops redeeming.
 */
import { DEFAULT_TIME_ZONE } from '../../../backend-sync/domain/validity';
import type { BrandRow } from '../../../backend-sync/protocol';

/** The brand's till rules, with the documented defaults until the brand row has synced. */
export interface TillRules {
  timeZone: string;
  verifyMaxAttempts: number;
  verifyLockSeconds: number;
  offlineRedeemLimitHours: number;
}

export const DEFAULT_RULES: TillRules = {
  timeZone: DEFAULT_TIME_ZONE,
  verifyMaxAttempts: 5,
  verifyLockSeconds: 300,
  offlineRedeemLimitHours: 72,
};

export const rulesOf = (brand: Partial<BrandRow>): TillRules => ({
  timeZone: brand.timeZone || DEFAULT_RULES.timeZone,
  verifyMaxAttempts: brand.verifyMaxAttempts ?? DEFAULT_RULES.verifyMaxAttempts,
  verifyLockSeconds: brand.verifyLockSeconds ?? DEFAULT_RULES.verifyLockSeconds,
  offlineRedeemLimitHours: brand.offlineRedeemLimitHours ?? DEFAULT_RULES.offlineRedeemLimitHours,
});

/** Offline since `offlineSince`: the moment after which the brand no longer allows redeeming. */
export const offlineRedeemUntil = (offlineSince: string, rules: TillRules): Date =>
  new Date(Date.parse(offlineSince) + rules.offlineRedeemLimitHours * 3_600_000);

/** Offline (per the sync status, kept in meta across restarts) for longer than the brand allows. */
export function isOfflineTooLong(offlineSince: string | null, now: Date, rules: TillRules): boolean {
  if (!offlineSince) return false;
  return now.getTime() > offlineRedeemUntil(offlineSince, rules).getTime();
}
