/** Error codes, times and durations → words in the current language. */
import { ApiCallError } from '../api';
import { brandDay, brandTimeZone, dateLocale } from './brandTime';

/** vue-i18n's `t`, narrowed to the one form used here (so the global and per-component `t` both fit). */
type T = (key: string, named?: Record<string, unknown>) => string;

const KNOWN_CODES = new Set([
  'SIGNIN_FAILED',
  'SIGNIN_LOCKED',
  'PAIRING_CODE_INVALID',
  'PAIRING_CODE_USED',
  'HUB_UNREACHABLE',
  'NOT_ENROLLED',
  'ALREADY_ENROLLED',
  'NOT_SIGNED_IN',
  'VALIDATION_FAILED',
  'PROTOCOL_UNSUPPORTED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'INTERNAL',
  'CONSOLE_DISCONNECTED',
  'CONSOLE_TIMEOUT',
  'HUB_IDENTITY_MISMATCH',
  'ENROLL_OTHER_BRAND',
]);

/** When a locked sign-in may be retried, from whichever detail the core provides. */
function lockedUntil(details: Record<string, unknown> | undefined, now: number): Date | null {
  if (!details) return null;
  const at = details.retryAt ?? details.lockedUntil;
  if (typeof at === 'string' && !Number.isNaN(Date.parse(at))) return new Date(at);
  const seconds = details.retryAfterSeconds;
  if (typeof seconds === 'number') return new Date(now + seconds * 1000);
  const ms = details.retryAfterMs;
  if (typeof ms === 'number') return new Date(now + ms);
  return null;
}

export function errorText(t: T, locale: string, err: unknown): string {
  const code = err instanceof ApiCallError ? err.code : 'INTERNAL';
  if (code === 'SIGNIN_LOCKED') {
    const until = lockedUntil(err instanceof ApiCallError ? err.details : undefined, Date.now());
    return until
      ? t('errors.SIGNIN_LOCKED', { time: formatTime(locale, until) })
      : t('errors.SIGNIN_LOCKED_SOON');
  }
  if (KNOWN_CODES.has(code))
    return t(`errors.${code}`, err instanceof ApiCallError ? err.details : undefined);
  return t('errors.UNKNOWN', { code });
}

export function formatTime(locale: string, at: Date | string): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  const sameDay = brandDay(new Date()) === brandDay(date);
  return new Intl.DateTimeFormat(dateLocale(locale), {
    timeZone: brandTimeZone(),
    ...(sameDay ? {} : { month: 'numeric', day: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    // Not `hour12: false`: with English that picks the h24 cycle, and 00:18 after midnight shows
    // as "24:18". h23 is the 00–23 clock a till's receipts use.
    hourCycle: 'h23',
  }).format(date);
}

export function formatDuration(t: T, ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  // Days past a day: "73 小時" makes a manager count, and the 72 h offline limit is days long.
  if (d > 0) return t('duration.days', { d, h });
  if (h > 0) return t('duration.hours', { h, m });
  if (m > 0) return t('duration.minutes', { m, s });
  return t('duration.seconds', { s });
}
