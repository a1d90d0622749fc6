/** Verdicts and till errors in words, in both languages, from the real message tables. */
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import type { TillVerdict } from '../../../../electron/core/consoleApi/contract';
import { ApiCallError } from '../../api/client';
import en from '../en';
import zhTW from '../zh-TW';
import { formatDateTime, tillErrorText, verdictWords } from './words';

const i18n = createI18n({ legacy: false, locale: 'zh-TW', messages: { 'zh-TW': zhTW, en } });
const tIn = (locale: 'zh-TW' | 'en') => (key: string, named?: Record<string, unknown>) =>
  i18n.global.t(key, named ?? {}, { locale });
const zh = tIn('zh-TW');

const base: TillVerdict = {
  input: 'X',
  origin: 'wedge',
  verdict: 'valid',
  problem: null,
  coupon: null,
  claim: null,
  validFrom: null,
  validUntil: null,
  redeemed: null,
  branchNames: [],
  offlineTooLong: false,
};
const at = '2026-11-30T15:59:00.000Z';
const local = (locale: string) => formatDateTime(locale, at);

describe('verdict words', () => {
  it('formats date and minute the way cashiers read them', () => {
    expect(formatDateTime('zh-TW', new Date(2026, 10, 30, 23, 59))).toMatch(/^2026\/11\/30\s23:59$/);
  });

  it('gives each verdict its own tone, icon and reason', () => {
    const cases: [Partial<TillVerdict>, string, string[]][] = [
      [{ verdict: 'valid', validUntil: at }, '可兌換', [`有效期至 ${local('zh-TW')}`]],
      [{ verdict: 'expired', validUntil: at }, '已過期', [`有效期至 ${local('zh-TW')}`]],
      [{ verdict: 'not_yet_valid', validFrom: at }, '使用期限未到', [`${local('zh-TW')} 起可使用`]],
      [
        { verdict: 'wrong_branch', branchNames: ['台北信義店', '台中公益店'] },
        '此分店不適用',
        ['適用分店：台北信義店、台中公益店'],
      ],
      [{ verdict: 'draft' }, '優惠券仍為草稿', ['此優惠券尚未發布，不能兌換。']],
      [{ verdict: 'unknown_code' }, '查無此條碼', ['請確認條碼是否正確，或請顧客出示優惠券頁面。']],
      [
        { verdict: 'invalid_input', problem: 'EAN13_CHECK_DIGIT' },
        '條碼無法辨識',
        ['EAN-13 檢查碼不符，可能是誤讀，請重新掃描。'],
      ],
      [{ verdict: 'invalid_input', problem: 'SOMETHING_NEW' }, '條碼無法辨識', ['請重新掃描或手動輸入。']],
    ];
    const icons = new Set<string>();
    for (const [overrides, title, details] of cases) {
      const words = verdictWords(zh, 'zh-TW', { ...base, ...overrides });
      expect(words.title).toBe(title);
      expect(words.details).toEqual(details);
      icons.add(words.icon);
    }
    expect(icons.size).toBe(cases.length - 1); // the two invalid_input cases share one
    expect(verdictWords(zh, 'zh-TW', { ...base, verdict: 'valid' }).tone).toBe('success');
    expect(verdictWords(zh, 'zh-TW', { ...base, verdict: 'expired' }).tone).toBe('danger');
  });

  it('says when, where and by whom a code was redeemed, and never shows an id for a name', () => {
    const redeemed = {
      at,
      branchName: '台北信義店',
      deviceName: '櫃台 1',
      staffName: '林小美',
      pendingSync: true,
    };
    expect(verdictWords(zh, 'zh-TW', { ...base, verdict: 'already_redeemed', redeemed }).details).toEqual([
      `${local('zh-TW')} 於 台北信義店 櫃台 1 由 林小美`,
      '此裝置的兌換，尚待同步',
    ]);
    const unknownStaff = {
      ...redeemed,
      staffName: '01a20971-8559-748e-af5d-799be5576440',
      pendingSync: false,
    };
    expect(
      verdictWords(tIn('en'), 'en', { ...base, verdict: 'already_redeemed', redeemed: unknownStaff }).details,
    ).toEqual([`${local('en')} at 台北信義店 櫃台 1 by unknown staff`]);
  });
});

describe('till errors in words', () => {
  const err = (code: string, details?: Record<string, unknown>) =>
    new ApiCallError({ code, message: code, ...(details ? { details } : {}) });

  it('uses the details the core sends', () => {
    expect(tillErrorText(zh, 'zh-TW', err('VERIFICATION_WRONG', { attemptsLeft: 2 }))).toBe(
      '驗證碼錯誤，還可再試 2 次。',
    );
    expect(tillErrorText(zh, 'zh-TW', err('OFFLINE_TOO_LONG', { limitHours: 72 }))).toBe(
      '此裝置離線過久（超過 72 小時），恢復連線前無法兌換。',
    );
    expect(tillErrorText(tIn('en'), 'en', err('COUPON_EXPIRED', { endedAt: at }))).toBe(
      `Cannot redeem: the coupon expired (${local('en')}).`,
    );
  });

  it('falls back to the shared error words for other codes', () => {
    expect(tillErrorText(zh, 'zh-TW', err('FORBIDDEN'))).toBe('您沒有執行此操作的權限。');
    expect(tillErrorText(zh, 'zh-TW', err('SOMETHING'))).toBe('發生錯誤（代碼 SOMETHING）。');
  });
});
