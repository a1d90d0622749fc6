// @vitest-environment happy-dom
/**
 * The verdict panel's headline: after a wrong verification code it says so, with the tries left,
 * in the headline's place — never a green 可兌換 above a small note.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from 'vue-i18n';
import type { TillVerdict } from '../../../../electron/core/consoleApi/contract';
import en from '../../i18n/en';
import zhTW from '../../i18n/zh-TW';

vi.mock('../../api', async () => {
  const client = await import('../../api/client');
  return {
    ApiCallError: client.ApiCallError,
    useApi: () => ({ call: async () => null, on: () => () => {}, onConnection: () => () => {} }),
  };
});

const { default: VerdictPanel } = await import('./VerdictPanel.vue');
const { useTillStore } = await import('../../stores/till');

const verdict: TillVerdict = {
  input: 'TRY-VERIFY',
  origin: 'wedge',
  verdict: 'valid',
  problem: null,
  coupon: {
    id: 'c1',
    name: 'VIP 兌換券',
    usageRules: '',
    barcodeType: 'QR',
    needsVerificationCode: true,
    lockedUntil: null,
  },
  claim: {
    id: 'cl1',
    code: 'TRY-VERIFY',
    customerName: '邱承恩',
    claimedAt: '2026-01-01T00:00:00Z',
    openedAt: null,
  },
  validFrom: null,
  validUntil: '2036-01-01T00:00:00Z',
  redeemed: null,
  branchNames: [],
  offlineTooLong: false,
};

let wrapper: VueWrapper | null = null;
afterEach(() => wrapper?.unmount());

function render(locale: 'zh-TW' | 'en') {
  const pinia = createPinia();
  setActivePinia(pinia);
  const i18n = createI18n({ legacy: false, locale, fallbackLocale: 'en', messages: { 'zh-TW': zhTW, en } });
  const till = useTillStore();
  till.verdict = verdict;
  till.phase = 'verifying';
  wrapper = mount(VerdictPanel, { global: { plugins: [pinia, i18n] }, attachTo: document.body });
  return till;
}

describe('the verdict panel after a wrong verification code', () => {
  it('asks for the code under the valid headline before any try', () => {
    render('zh-TW');
    expect(wrapper!.get('[data-testid="verdict-title"]').text()).toBe('可兌換');
  });

  it('turns the headline into the failure with the tries left, in the danger tone', async () => {
    const till = render('zh-TW');
    till.attemptsLeft = 3;
    await wrapper!.vm.$nextTick();
    expect(wrapper!.get('[data-testid="verdict-title"]').text()).toBe('驗證碼錯誤');
    const headline = wrapper!.get('.headline');
    expect(headline.text()).toContain('優惠券尚未兌換。還可再試 3 次。');
    expect(wrapper!.get('section').classes()).toContain('tone-danger');
    expect(wrapper!.text()).not.toContain('可兌換');
  });

  it('says it in English too', async () => {
    const till = render('en');
    till.attemptsLeft = 1;
    await wrapper!.vm.$nextTick();
    expect(wrapper!.get('[data-testid="verdict-title"]').text()).toBe('Wrong verification code');
    expect(wrapper!.get('.headline').text()).toContain('The coupon was not redeemed. Tries left: 1.');
  });
});
