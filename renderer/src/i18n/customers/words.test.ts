/** The customers screen's words, in both languages, from the real message tables. */
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import type { BroadcastView, CustomerAddRequest } from '../../../../electron/core/consoleApi/contract';
import { ApiCallError } from '../../api/client';
import en from '../en';
import zhTW from '../zh-TW';
import {
  addRequestWords,
  avatarColour,
  broadcastWords,
  checkAddForm,
  checkBroadcastText,
  couponState,
  customersErrorText,
  holderLabel,
  initialOf,
  requestLine,
  staffLabel,
} from './words';

const i18n = createI18n({ legacy: false, locale: 'zh-TW', messages: { 'zh-TW': zhTW, en } });
const tIn = (locale: 'zh-TW' | 'en') => (key: string, named?: Record<string, unknown>) =>
  i18n.global.t(key, named ?? {}, { locale });
const zh = tIn('zh-TW');
const eng = tIn('en');

const mei = { id: 's1', displayName: '林小美', role: 'sales_associate' as const };
const request = (overrides: Partial<CustomerAddRequest> = {}): CustomerAddRequest => ({
  id: 'm1',
  phone: '+852 9123 4567',
  name: '陳大文',
  takeOver: false,
  state: 'queued',
  requestedAt: '2026-03-01T02:00:00.000Z',
  currentStaff: null,
  currentBranchName: null,
  code: null,
  ...overrides,
});
const broadcast = (overrides: Partial<BroadcastView> = {}): BroadcastView => ({
  id: 'b1',
  channel: 'line',
  summary: '週年慶',
  state: 'queued',
  requestedAt: '2026-03-01T02:00:00.000Z',
  total: 0,
  sent: 0,
  failed: 0,
  code: null,
  ...overrides,
});

describe('customers words', () => {
  it('shows the associate as "role - name" in both languages', () => {
    expect(staffLabel(zh, mei)).toBe('銷售人員 - 林小美');
    expect(staffLabel(eng, mei)).toBe('Sales associate - 林小美');
    expect(staffLabel(zh, { ...mei, role: 'sales_manager' })).toBe('銷售經理 - 林小美');
    expect(staffLabel(zh, { ...mei, role: null })).toBe('林小美');
    expect(staffLabel(eng, null)).toBe('another associate');
    expect(holderLabel(zh, mei, '台北信義店')).toBe('銷售人員 - 林小美（台北信義店）');
    expect(holderLabel(eng, mei, 'Taipei Xinyi')).toBe('Sales associate - 林小美 at Taipei Xinyi');
    expect(holderLabel(eng, mei, null)).toBe('Sales associate - 林小美');
  });

  it('gives an avatar the first letter or digit, and a steady colour', () => {
    expect(initialOf('陳大文')).toBe('陳');
    expect(initialOf('  amy wong')).toBe('A');
    expect(initialOf('+85291234567')).toBe('8');
    expect(initialOf('')).toBe('?');
    expect(avatarColour('c-1')).toBe(avatarColour('c-1'));
    expect(avatarColour('c-1')).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('reads a coupon state from its times', () => {
    const c = { claimId: 'c', couponName: 'x', claimedAt: 'a', openedAt: null, redeemedAt: null };
    expect(couponState(c)).toBe('claimed');
    expect(couponState({ ...c, openedAt: 'b' })).toBe('opened');
    expect(couponState({ ...c, openedAt: 'b', redeemedAt: 'c' })).toBe('redeemed');
  });

  it('says each add request state, with who holds the number', () => {
    expect(addRequestWords(zh, 'zh-TW', request()).title).toBe('待送出');
    expect(addRequestWords(eng, 'en', request()).title).toBe('Pending');
    expect(addRequestWords(zh, 'zh-TW', request({ state: 'added' })).detail).toBe(
      '陳大文（+852 9123 4567）已加入您的名單。',
    );
    const held = { currentStaff: mei, currentBranchName: '台北信義店' };
    const confirm = addRequestWords(zh, 'zh-TW', request({ state: 'needs_confirmation', ...held }));
    expect(confirm.tone).toBe('warning');
    expect(confirm.detail).toBe('此號碼已綁定 銷售人員 - 林小美（台北信義店）。要接手這位顧客與對話嗎？');
    const refused = request({ state: 'refused', code: 'CUSTOMER_BOUND_ELSEWHERE', ...held });
    expect(addRequestWords(zh, 'zh-TW', refused).detail).toBe(
      '此號碼已綁定 銷售人員 - 林小美（台北信義店），品牌不允許轉移顧客。',
    );
    expect(addRequestWords(eng, 'en', refused).detail).toBe(
      'Already bound to Sales associate - 林小美 at 台北信義店; the brand does not allow transfers.',
    );
    expect(addRequestWords(eng, 'en', request({ state: 'refused', code: 'PHONE_INVALID' })).detail).toBe(
      '"+852 9123 4567" is not a valid phone number. Check the country code and the number.',
    );
    // A code this version does not know still reads as words, with the code for support.
    expect(addRequestWords(zh, 'zh-TW', request({ state: 'refused', code: 'SOMETHING_NEW' })).detail).toBe(
      '發生錯誤（代碼 SOMETHING_NEW）。',
    );
    expect(addRequestWords(eng, 'en', request({ state: 'failed', code: 'INTERNAL' })).detail).toContain(
      'code INTERNAL',
    );
    expect(addRequestWords(zh, 'zh-TW', request({ state: 'failed', code: 'STAFF_INACTIVE' })).detail).toBe(
      '您的員工帳號已停用，請聯絡管理員。',
    );
  });

  it('turns a thrown PHONE_INVALID into what to fix', () => {
    const err = (details?: Record<string, unknown>) =>
      new ApiCallError({ code: 'PHONE_INVALID', message: 'x', ...(details ? { details } : {}) });
    expect(customersErrorText(zh, 'zh-TW', err({ reason: 'TOO_SHORT' }), '123')).toBe(
      '「123」位數太少，請確認號碼是否完整。',
    );
    expect(customersErrorText(eng, 'en', err({ reason: 'NOT_A_NUMBER' }), 'abc')).toBe(
      '"abc" is not a phone number. Use only digits, spaces and +.',
    );
    expect(customersErrorText(eng, 'en', err(), '999')).toBe(
      '"999" is not a valid phone number. Check the country code and the number.',
    );
    expect(customersErrorText(zh, 'zh-TW', new ApiCallError({ code: 'FORBIDDEN', message: 'x' }))).toBe(
      '您沒有執行此操作的權限。',
    );
  });

  it('says how a broadcast went', () => {
    expect(broadcastWords(zh, 'zh-TW', broadcast()).detail).toBe('連線後送出');
    expect(broadcastWords(eng, 'en', broadcast({ state: 'sending', total: 10, sent: 4 })).detail).toBe(
      'Sent 4 of 10',
    );
    const done = broadcastWords(zh, 'zh-TW', broadcast({ state: 'done', total: 10, sent: 9, failed: 1 }));
    expect(done).toEqual({ tone: 'warning', title: '已完成', detail: '已送出 9，失敗 1（共 10）' });
    expect(broadcastWords(eng, 'en', broadcast({ state: 'done', total: 3, sent: 3 })).tone).toBe('success');
    expect(
      broadcastWords(eng, 'en', broadcast({ state: 'refused', code: 'TEMPLATE_NOT_APPROVED' })).detail,
    ).toBe('This WhatsApp template is not approved and cannot be used.');
    expect(broadcastWords(zh, 'zh-TW', broadcast({ state: 'refused', code: 'STAFF_INACTIVE' })).detail).toBe(
      '您的員工帳號已停用，請聯絡管理員。',
    );
  });

  it('checks the add form the way the contract does, and says so in words', () => {
    expect(checkAddForm(zh, '', '')).toEqual({ phone: '請輸入電話號碼。', name: null });
    expect(checkAddForm(eng, '   ', '').phone).toBe('Please enter a phone number.');
    expect(checkAddForm(eng, '9123 4567', '').phone).toBeNull();
    expect(checkAddForm(eng, '9'.repeat(41), '').phone).toBe(
      'The phone number can be at most 40 characters (now 41).',
    );
    expect(checkAddForm(zh, '91234567', '名'.repeat(10_000)).name).toBe(
      '姓名最多 100 個字（目前 10000 個）。',
    );
    expect(checkAddForm(zh, '91234567', ` ${'a'.repeat(100)} `).name).toBeNull();
  });

  it('checks broadcast text per channel', () => {
    expect(checkBroadcastText(zh, 'line', '  ')).toBe('請輸入訊息內容。');
    expect(checkBroadcastText(zh, 'whatsapp', '')).toBeNull();
    expect(checkBroadcastText(eng, 'line', 'x'.repeat(5001))).toBe(
      'The message can be at most 5000 characters (now 5001).',
    );
    expect(checkBroadcastText(eng, 'whatsapp', 'x'.repeat(4097))).toContain('at most 4096');
  });

  it('counts customers in the singular and plural in English, one form in Chinese', () => {
    const total = (locale: 'zh-TW' | 'en', n: number) =>
      i18n.global.t('customers.total', { total: n }, { locale, plural: n });
    expect(total('en', 0)).toBe('0 customers');
    expect(total('en', 1)).toBe('1 customer');
    expect(total('en', 100000)).toBe('100000 customers');
    expect(total('zh-TW', 1)).toBe('共 1 位顧客');
    expect(total('zh-TW', 7)).toBe('共 7 位顧客');
  });
});

describe('an add request line', () => {
  it('shows a number added without a name once, not as "number · number"', () => {
    expect(requestLine(zh, { name: '+852 9123 4567', phone: '+852 9123 4567' })).toBe('+852 9123 4567');
    expect(requestLine(zh, { name: '+85291234567', phone: '+852 9123 4567' })).toBe('+852 9123 4567');
    expect(requestLine(zh, { name: '陳大文', phone: '+852 9123 4567' })).toBe('陳大文 · +852 9123 4567');
  });
});
