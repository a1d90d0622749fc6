/**
 * The customers screen's facts → words: "role - name", add requests and broadcasts in words, the
 * hub's refusal codes, and the add form's checks. Pure (takes `t` and the locale), so it is tested
 * without a screen, in both languages.
 */
import type {
  BroadcastView,
  CustomerAddRequest,
  CustomerDetail,
} from '../../../../electron/core/consoleApi/contract';
import { ApiCallError } from '../../api';
import { errorText } from '../format';

type T = (key: string, named?: Record<string, unknown>) => string;
type StaffRef = CustomerAddRequest['currentStaff'];
export type Tone = 'success' | 'warning' | 'error' | 'info' | 'default';

/** The contract's limits, repeated here so the form says what is wrong before the core does. */
export const PHONE_MAX = 40;
export const NAME_MAX = 100;
export const SEARCH_MAX = 200;
export const LINE_TEXT_MAX = 5000;
export const WHATSAPP_TEXT_MAX = 4096;

/** "銷售人員 - 林小美" / "Sales associate - Mei Lin"; the name alone when the role is unknown. */
/** An add request's line: the name and the number, or the number once when it is the name too. */
export function requestLine(t: T, request: Pick<CustomerAddRequest, 'name' | 'phone'>): string {
  const sameDigits = (a: string, b: string) => a.replace(/\D/g, '') === b.replace(/\D/g, '');
  if (request.name === '' || sameDigits(request.name, request.phone)) return request.phone;
  return t('customerAdd.requestLine', { name: request.name, phone: request.phone });
}

export function staffLabel(t: T, staff: StaffRef): string {
  if (!staff) return t('customers.someoneElse');
  if (!staff.role) return staff.displayName;
  return t('customers.staffLabel', { role: t(`roles.${staff.role}`), name: staff.displayName });
}

/** Who holds a number: "銷售人員 - 王小明（台北信義店）" / "Sales associate - Ming Wang at Taipei Xinyi". */
export function holderLabel(t: T, staff: StaffRef, branchName: string | null): string {
  const who = staffLabel(t, staff);
  return branchName ? t('customers.staffAtBranch', { staff: who, branch: branchName }) : who;
}

/**
 * The letter an avatar shows when there is no picture (or it cannot load offline): the first
 * letter or digit, so a customer named by their number ("+85291234567") shows "9", not "+".
 */
export function initialOf(name: string): string {
  const first = Array.from(name.trim()).find((c) => /[\p{L}\p{N}]/u.test(c));
  return first ? first.toLocaleUpperCase() : '?';
}

const AVATAR_COLOURS = ['#2b6c8a', '#5c7c3a', '#8a5a2b', '#6b4f8a', '#2b7f74', '#8a3f5a', '#4f5f8a'];

/** A steady colour per customer, so the same person looks the same on every page. */
export function avatarColour(id: string): string {
  let hash = 0;
  for (const c of id) hash = (hash * 31 + c.codePointAt(0)!) >>> 0;
  return AVATAR_COLOURS[hash % AVATAR_COLOURS.length]!;
}

export type CouponState = 'claimed' | 'opened' | 'redeemed';

export function couponState(c: CustomerDetail['coupons'][number]): CouponState {
  if (c.redeemedAt) return 'redeemed';
  if (c.openedAt) return 'opened';
  return 'claimed';
}

export const COUPON_TONES: Record<CouponState, Tone> = {
  claimed: 'default',
  opened: 'info',
  redeemed: 'success',
};

const PHONE_REASONS = new Set(['TOO_SHORT', 'TOO_LONG', 'INVALID_LENGTH', 'INVALID_COUNTRY', 'NOT_A_NUMBER']);

/** PHONE_INVALID in words; libphonenumber's reason (details.reason) says what to fix when given. */
export function phoneInvalidText(t: T, phone: string, details: Record<string, unknown> | undefined): string {
  const reason = typeof details?.reason === 'string' ? details.reason : null;
  const shown = typeof details?.phone === 'string' ? details.phone : phone;
  if (reason && PHONE_REASONS.has(reason))
    return t(`customerAdd.phoneInvalidReasons.${reason}`, { phone: shown });
  return t('customerAdd.phoneInvalid', { phone: shown });
}

/** The hub's refusal codes this screen has its own words for. */
const KNOWN_REFUSALS = new Set([
  'CUSTOMER_BOUND_ELSEWHERE',
  'CUSTOMER_TAKEOVER_UNCONFIRMED',
  'PHONE_INVALID',
  'CHANNEL_NOT_CONFIGURED',
  'TEMPLATE_NOT_APPROVED',
  'TEMPLATE_REQUIRED',
  'BROADCAST_TEXT_REQUIRED',
  'STAFF_NOT_FOUND',
  'STAFF_INACTIVE',
  'STAFF_NOT_IN_BRANCH',
]);

/** The hub's refusal codes for adds and broadcasts, in words; anything else as the app's errors. */
export function refusalText(
  t: T,
  locale: string,
  code: string | null,
  holder?: { staff: StaffRef; branchName: string | null },
): string | null {
  switch (code) {
    case null:
      return null;
    case 'CUSTOMER_BOUND_ELSEWHERE':
    case 'CUSTOMER_TAKEOVER_UNCONFIRMED':
      return t(`customerErrors.${code}`, {
        who: holderLabel(t, holder?.staff ?? null, holder?.branchName ?? null),
      });
    default:
      return KNOWN_REFUSALS.has(code)
        ? t(`customerErrors.${code}`)
        : errorText(t, locale, new ApiCallError({ code, message: code }));
  }
}

/** A thrown error from customers.add / broadcast: PHONE_INVALID names the number, the rest as above. */
export function customersErrorText(t: T, locale: string, err: unknown, phone = ''): string {
  if (!(err instanceof ApiCallError)) return errorText(t, locale, err);
  if (err.code === 'PHONE_INVALID') return phoneInvalidText(t, phone, err.details);
  return refusalText(t, locale, err.code) ?? errorText(t, locale, err);
}

export const ADD_TONES: Record<CustomerAddRequest['state'], Tone> = {
  queued: 'warning',
  added: 'success',
  needs_confirmation: 'warning',
  refused: 'error',
  failed: 'error',
};

/** One add request's state as a tag title and the sentence under it. */
export function addRequestWords(
  t: T,
  locale: string,
  r: CustomerAddRequest,
): { tone: Tone; title: string; detail: string } {
  const title = t(`customerAdd.states.${r.state}`);
  const tone = ADD_TONES[r.state];
  const holder = { staff: r.currentStaff, branchName: r.currentBranchName };
  switch (r.state) {
    case 'queued':
      return { tone, title, detail: t('customerAdd.stateDetails.queued') };
    case 'added':
      return { tone, title, detail: t('customerAdd.stateDetails.added', { name: r.name, phone: r.phone }) };
    case 'needs_confirmation':
      return {
        tone,
        title,
        detail: t('customerAdd.stateDetails.needs_confirmation', {
          who: holderLabel(t, r.currentStaff, r.currentBranchName),
        }),
      };
    case 'refused':
      return {
        tone,
        title,
        detail:
          r.code === 'PHONE_INVALID'
            ? phoneInvalidText(t, r.phone, undefined)
            : (refusalText(t, locale, r.code, holder) ?? t('customerAdd.stateDetails.refused')),
      };
    case 'failed':
      return {
        tone,
        title,
        detail: !r.code
          ? t('customerAdd.stateDetails.failedPlain')
          : KNOWN_REFUSALS.has(r.code)
            ? refusalText(t, locale, r.code, holder)!
            : t('customerAdd.stateDetails.failed', { code: r.code }),
      };
  }
}

export const BROADCAST_TONES: Record<BroadcastView['state'], Tone> = {
  queued: 'warning',
  sending: 'info',
  done: 'success',
  refused: 'error',
};

/** A broadcast's state as a tag title and its counts (or the refusal) in words. */
export function broadcastWords(
  t: T,
  locale: string,
  b: BroadcastView,
): { tone: Tone; title: string; detail: string } {
  const title = t(`broadcast.states.${b.state}`);
  // Done with failures is still done, but it should not look all green.
  const tone = b.state === 'done' && b.failed > 0 ? 'warning' : BROADCAST_TONES[b.state];
  const counts = { sent: b.sent, failed: b.failed, total: b.total };
  switch (b.state) {
    case 'queued':
      return { tone, title, detail: t('broadcast.queuedNote') };
    case 'sending':
      return { tone, title, detail: t('broadcast.progress', counts) };
    case 'done':
      return { tone, title, detail: t('broadcast.result', counts) };
    case 'refused':
      return { tone, title, detail: refusalText(t, locale, b.code) ?? t('customerAdd.stateDetails.refused') };
  }
}

export interface AddFormProblems {
  phone: string | null;
  name: string | null;
}

/**
 * The add form's own checks (empty number, too long): the same limits as the contract, said in
 * words with the count so a pasted 10,000-character name is explained, not silently cut.
 */
export function checkAddForm(t: T, phone: string, name: string): AddFormProblems {
  const p = phone.trim();
  const n = name.trim();
  return {
    phone:
      p === ''
        ? t('customerAdd.phoneRequired')
        : p.length > PHONE_MAX
          ? t('customerAdd.phoneTooLong', { max: PHONE_MAX, count: p.length })
          : null,
    name: n.length > NAME_MAX ? t('customerAdd.nameTooLong', { max: NAME_MAX, count: n.length }) : null,
  };
}

/** The broadcast text's check: required for LINE, optional for WhatsApp; the limit per channel. */
export function checkBroadcastText(t: T, channel: 'line' | 'whatsapp', text: string): string | null {
  const s = text.trim();
  const max = channel === 'line' ? LINE_TEXT_MAX : WHATSAPP_TEXT_MAX;
  if (channel === 'line' && s === '') return t('broadcast.textRequired');
  if (s.length > max) return t('broadcast.textTooLong', { max, count: s.length });
  return null;
}
