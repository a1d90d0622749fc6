import { afterEach, describe, expect, it } from 'vitest';
import { ApiCallError } from '../api/client';
import en from './en';
import { errorText, formatDuration, formatTime } from './format';
import { setBrandEnglishLocale, setBrandTimeZone, timeZoneLabel } from './brandTime';
import { formatDateTime } from './till/words';
import zhTW from './zh-TW';
import { i18n } from './index';

const t = i18n.global.t;
const inLocale = <T>(locale: 'zh-TW' | 'en', fn: () => T): T => {
  i18n.global.locale.value = locale;
  return fn();
};

const flatten = (obj: object, prefix = ''): string[] =>
  Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? flatten(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );

describe('renderer words', () => {
  it('has every message in both languages', () => {
    expect(flatten(en).sort()).toEqual(flatten(zhTW).sort());
  });

  it('turns error codes into words in the current language', () => {
    const failed = new ApiCallError({ code: 'SIGNIN_FAILED', message: 'x' });
    expect(inLocale('zh-TW', () => errorText(t, 'zh-TW', failed))).toBe(
      '員工代碼或 PIN 密碼不正確，請再試一次。',
    );
    expect(inLocale('en', () => errorText(t, 'en', failed))).toBe(
      'The staff code or PIN is not correct. Please try again.',
    );
    const used = new ApiCallError({ code: 'PAIRING_CODE_USED', message: 'x' });
    expect(inLocale('zh-TW', () => errorText(t, 'zh-TW', used))).toContain('已被使用');
  });

  it('says when a locked sign-in may be retried', () => {
    const retryAt = new Date(Date.now() + 5 * 60_000);
    const locked = new ApiCallError({
      code: 'SIGNIN_LOCKED',
      message: 'x',
      details: { retryAt: retryAt.toISOString() },
    });
    const hhmm = `${String(retryAt.getHours()).padStart(2, '0')}:${String(retryAt.getMinutes()).padStart(2, '0')}`;
    expect(inLocale('en', () => errorText(t, 'en', locked))).toContain(hhmm);
    const noTime = new ApiCallError({ code: 'SIGNIN_LOCKED', message: 'x' });
    expect(inLocale('zh-TW', () => errorText(t, 'zh-TW', noTime))).toBe('登入失敗次數過多，請稍後再試。');
  });

  it('shows the minutes after midnight as 00:mm, not 24:mm, in both languages', () => {
    const afterMidnight = new Date();
    afterMidnight.setHours(0, 18, 38, 0);
    expect(formatTime('en', afterMidnight)).toBe('00:18:38');
    expect(formatTime('zh-TW', afterMidnight)).toBe('00:18:38');
  });

  it('names unknown codes instead of hiding them, and treats non-API errors as internal', () => {
    expect(inLocale('en', () => errorText(t, 'en', new ApiCallError({ code: 'WEIRD', message: '' })))).toBe(
      'Something went wrong (code WEIRD).',
    );
    expect(inLocale('en', () => errorText(t, 'en', new Error('boom')))).toContain('Something went wrong');
  });

  it('formats how long the device has been offline', () => {
    inLocale('zh-TW', () => {
      expect(formatDuration(t, 42_000)).toBe('42 秒');
      expect(formatDuration(t, 125_000)).toBe('2 分 5 秒');
      expect(formatDuration(t, 3 * 3600_000 + 60_000)).toBe('3 小時 1 分');
      expect(formatDuration(t, 23 * 3600_000 + 59 * 60_000)).toBe('23 小時 59 分');
      expect(formatDuration(t, 73 * 3600_000 + 30 * 60_000)).toBe('3 天 1 小時');
    });
    inLocale('en', () => {
      expect(formatDuration(t, 125_000)).toBe('2 min 5 s');
      expect(formatDuration(t, 24 * 3600_000)).toBe('1 d 0 h');
    });
  });

  describe("in the brand's time zone and locale, whatever the PC's", () => {
    afterEach(() => {
      setBrandTimeZone(null);
      setBrandEnglishLocale(null);
    });

    it('shows a Taipei brand its own time, and says which zone', () => {
      setBrandTimeZone('Asia/Taipei');
      // 2026-03-05 14:07 UTC is 22:07 in Taipei (the test machine's zone does not matter).
      expect(formatDateTime('zh-TW', '2026-03-05T14:07:00Z').replace(/\s/g, ' ')).toBe('2026/03/05 22:07');
      expect(timeZoneLabel('zh-TW', new Date('2026-03-05T14:07:00Z'))).toBe('Asia/Taipei (GMT+8)');
    });

    it('writes English dates day first (en-HK), not in US order', () => {
      setBrandTimeZone('Asia/Hong_Kong');
      expect(formatDateTime('en', '2026-03-05T14:07:00Z').replace(/\s/g, ' ')).toBe('05/03/2026, 22:07');
    });

    it("writes English dates in the brand's English locale; zh-TW stays zh-TW", () => {
      setBrandTimeZone('Asia/Taipei');
      const at = '2026-03-05T14:07:00Z';
      setBrandEnglishLocale('en-US');
      expect(formatDateTime('en', at).replace(/\s/g, ' ')).toBe('03/05/2026, 22:07');
      expect(formatDateTime('zh-TW', at).replace(/\s/g, ' ')).toBe('2026/03/05 22:07');
      setBrandEnglishLocale('en-GB');
      expect(formatDateTime('en', at).replace(/\s/g, ' ')).toBe('05/03/2026, 22:07');
      // Not English with a region: the day-first default.
      for (const tag of ['fr-FR', 'en', 'en-US-u-hc-h12', '']) {
        setBrandEnglishLocale(tag);
        expect(formatDateTime('en', at).replace(/\s/g, ' '), tag).toBe('05/03/2026, 22:07');
      }
    });

    it('ignores a zone that is not one', () => {
      setBrandTimeZone('Mars/Olympus');
      expect(timeZoneLabel('en')).toBeNull();
    });
  });
});
