/**
 * The till's facts → words: a verdict's tone, icon, headline and reason lines, and the till's error
 * codes with their details. Pure (takes `t` and the locale), so it is tested without a screen.
 */
import { brandTimeZone, dateLocale } from '../brandTime';
import type { TillVerdict } from '../../../../electron/core/consoleApi/contract';
import { ApiCallError } from '../../api';
import { errorText } from '../format';

type T = (key: string, named?: Record<string, unknown>) => string;

export type Tone = 'success' | 'danger' | 'warning' | 'info';
export type IconName =
  'check' | 'ban' | 'hourglass' | 'clock' | 'pin' | 'draft' | 'question' | 'alert' | 'qr';

export interface VerdictWords {
  tone: Tone;
  icon: IconName;
  title: string;
  details: string[];
}

const LOOKS: Record<TillVerdict['verdict'], { tone: Tone; icon: IconName }> = {
  valid: { tone: 'success', icon: 'check' },
  already_redeemed: { tone: 'danger', icon: 'ban' },
  expired: { tone: 'danger', icon: 'hourglass' },
  not_yet_valid: { tone: 'warning', icon: 'clock' },
  wrong_branch: { tone: 'warning', icon: 'pin' },
  draft: { tone: 'warning', icon: 'draft' },
  unknown_code: { tone: 'danger', icon: 'question' },
  invalid_input: { tone: 'warning', icon: 'alert' },
  needs_claim_qr: { tone: 'info', icon: 'qr' },
};

/**
 * The core falls back to ids for names this device has not synced (e.g. staff of another branch);
 * a cashier cannot use an id, so those read as "unknown".
 */
const ID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const KNOWN_PROBLEMS = new Set([
  'EMPTY',
  'TOO_LONG',
  'UNPRINTABLE',
  'EAN13_CHECK_DIGIT',
  'CLAIM_TOKEN_MALFORMED',
]);

/**
 * A date and time in the brand's zone and the interface language (i18n/brandTime.ts), e.g.
 * "2026/11/30 23:59" (zh-TW), "30/11/2026, 23:59" (English, en-HK) or "11/30/2026, 23:59" (en-US).
 */
export function formatDateTime(locale: string, at: string | Date): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  return new Intl.DateTimeFormat(dateLocale(locale), {
    timeZone: brandTimeZone(),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

export function verdictWords(t: T, locale: string, v: TillVerdict): VerdictWords {
  const look = LOOKS[v.verdict];
  const date = (iso: string | null) => (iso ? formatDateTime(locale, iso) : '');
  const name = (n: string | null | undefined) => (n && !ID_LIKE.test(n) ? n : t('verdict.unknownName'));
  const details: string[] = [];
  switch (v.verdict) {
    case 'valid':
      details.push(
        v.validUntil ? t('verdict.validUntil', { date: date(v.validUntil) }) : t('verdict.validOpen'),
      );
      break;
    case 'not_yet_valid':
      if (v.validFrom) details.push(t('verdict.notYetValidFrom', { date: date(v.validFrom) }));
      break;
    case 'expired':
      if (v.validUntil) details.push(t('verdict.expiredAt', { date: date(v.validUntil) }));
      break;
    case 'already_redeemed':
      if (v.redeemed) {
        const place = [v.redeemed.branchName, v.redeemed.deviceName]
          .filter((n): n is string => n !== null && !ID_LIKE.test(n))
          .join(' ');
        details.push(
          t('verdict.redeemedWhen', {
            time: date(v.redeemed.at),
            place: place || t('verdict.unknownPlace'),
            staff: name(v.redeemed.staffName),
          }),
        );
        if (v.redeemed.pendingSync) details.push(t('verdict.redeemedPending'));
      }
      break;
    case 'wrong_branch':
      details.push(t('verdict.branches', { branches: v.branchNames.join(t('verdict.listSeparator')) }));
      break;
    case 'draft':
      details.push(t('verdict.draftDetail'));
      break;
    case 'unknown_code':
      details.push(t('verdict.unknownDetail'));
      break;
    case 'invalid_input':
      details.push(t(`verdict.problems.${v.problem && KNOWN_PROBLEMS.has(v.problem) ? v.problem : 'OTHER'}`));
      break;
    case 'needs_claim_qr':
      details.push(t('verdict.needsClaimQrDetail'));
      break;
  }
  return { ...look, title: t(`verdict.${v.verdict}`), details };
}

/** A redemption refused or failed, in words; the till's own codes use their details. */
export function tillErrorText(t: T, locale: string, err: unknown): string {
  if (!(err instanceof ApiCallError)) return errorText(t, locale, err);
  const d = err.details ?? {};
  const str = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : null);
  const num = (key: string) => (typeof d[key] === 'number' ? (d[key] as number) : null);
  const when = (key: string) => {
    const at = str(key);
    return at ? formatDateTime(locale, at) : '—';
  };
  switch (err.code) {
    case 'VERIFICATION_REQUIRED':
    case 'BRANCH_MISMATCH':
    case 'COUPON_DRAFT':
    case 'CONFLICT_NOT_OPEN':
      return t(`tillErrors.${err.code}`);
    case 'VERIFICATION_WRONG':
      return t('tillErrors.VERIFICATION_WRONG', { count: num('attemptsLeft') ?? 0 });
    case 'VERIFICATION_LOCKED':
      return t('tillErrors.VERIFICATION_LOCKED', { time: when('retryAt') });
    case 'OFFLINE_TOO_LONG': {
      const hours = num('limitHours');
      return hours === null
        ? t('tillErrors.OFFLINE_TOO_LONG_PLAIN')
        : t('tillErrors.OFFLINE_TOO_LONG', { hours });
    }
    case 'COUPON_EXPIRED':
      return t('tillErrors.COUPON_EXPIRED', { date: when('endedAt') });
    case 'COUPON_NOT_YET_VALID':
      return t('tillErrors.COUPON_NOT_YET_VALID', { date: when('startsAt') });
    case 'ALREADY_REDEEMED':
      return t('tillErrors.ALREADY_REDEEMED', { time: when('redeemedAt') });
    default:
      return errorText(t, locale, err);
  }
}
