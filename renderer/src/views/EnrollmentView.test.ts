// @vitest-environment happy-dom
/**
 * The first sync's progress on the enrollment screen, for a first sync of a million claims: the
 * share done, the changes and pages received, and the time left at the pace so far — not a bar
 * that sits at 0 % under "preparing" and then jumps to 100 %.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from 'vue-i18n';
import type { SyncStatus } from '../../../electron/core/consoleApi/contract';
import en from '../i18n/en';
import zhTW from '../i18n/zh-TW';

/** What the core answers: null to everything unless a test says otherwise. */
let answer: (method: string) => Promise<unknown> = async () => null;

vi.mock('vue-router', () => ({ useRouter: () => ({ replace: async () => {} }) }));
vi.mock('../api', async () => {
  const client = await import('../api/client');
  return {
    ApiCallError: client.ApiCallError,
    useApi: () => ({
      call: (method: string) => answer(method),
      on: () => () => {},
      onConnection: () => () => {},
    }),
  };
});

const { default: EnrollmentView } = await import('./EnrollmentView.vue');
const { useEnrollmentStore } = await import('../stores/enrollment');
const { useSyncStore } = await import('../stores/sync');

const { ApiCallError } = await import('../api/client');

const NOW = Date.parse('2026-03-01T02:00:40.000Z');
let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  answer = async () => null;
});

function render(firstSync: SyncStatus['firstSync'], lastSyncAt: string | null = null) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const i18n = createI18n({
    legacy: false,
    locale: 'zh-TW',
    fallbackLocale: 'en',
    messages: { 'zh-TW': zhTW, en },
  });
  useEnrollmentStore().info = {
    enrolled: true,
    hubUrl: 'http://hub',
    deviceId: 'd1',
    deviceName: '櫃台 1',
    brandName: 'OMO',
    branchName: '台北信義店',
    suggestedHubUrl: null,
    timeZone: 'Asia/Taipei',
    englishLocale: 'en-HK',
    credentialsUnreadable: false,
  };
  const sync = useSyncStore();
  sync.status = {
    connection: 'online',
    offlineSince: null,
    offlineRedeemUntil: null,
    lastSyncAt,
    queued: 0,
    queuedRedemptions: 0,
    conflicts: 0,
    rejected: 0,
    firstSync,
    lastErrorCode: null,
    oldestQueuedAt: null,
  };
  sync.now = NOW;
  wrapper = mount(EnrollmentView, { global: { plugins: [pinia, i18n] } });
}

describe('first sync progress', () => {
  it('shows the share, the changes and pages received and the time left', () => {
    // 250,000 of 1,000,000 in 40 s: 120 s to go at that pace.
    render(
      { received: 250_000, total: 1_000_000, pages: 50, startedAt: '2026-03-01T02:00:00.000Z' },
      '2026-03-01T02:00:39.000Z',
    );
    expect(wrapper!.get('[data-testid="first-sync-text"]').text().replace(/\s+/g, ' ')).toBe(
      '已接收 250,000 / 1,000,000 筆變更（50 頁） · 約剩 2 分 0 秒',
    );
    expect(wrapper!.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('25');
  });

  it('says it is preparing (at 0 %) until the hub has answered the first page', () => {
    render({ received: 0, total: 0, pages: 0, startedAt: '2026-03-01T02:00:39.000Z' });
    expect(wrapper!.get('[data-testid="first-sync-text"]').text()).toBe('正在準備首次同步…');
    expect(wrapper!.get('[role="progressbar"]').attributes('aria-valuenow')).toBe('0');
  });
});

describe('enrolling again after leaving (Settings → leave and enroll again)', () => {
  /** The form as a device that left its brand with one change unsent sees it, in `locale`. */
  async function refusedIn(locale: 'zh-TW' | 'en'): Promise<string> {
    const pinia = createPinia();
    setActivePinia(pinia);
    const i18n = createI18n({ legacy: false, locale, fallbackLocale: 'en', messages: { 'zh-TW': zhTW, en } });
    answer = async (method) => {
      if (method !== 'enrollment.enroll') return null;
      throw new ApiCallError({
        code: 'ENROLL_OTHER_BRAND',
        message: 'x',
        details: { queued: 1, brandName: 'OMO 示範品牌' },
      });
    };
    wrapper = mount(EnrollmentView, { global: { plugins: [pinia, i18n] } });
    const inputs = wrapper.findAll('input');
    await inputs[0]!.setValue('http://hub');
    await inputs[1]!.setValue('OTHR-0001');
    await wrapper.get('form').trigger('submit');
    await vi.waitFor(() => expect(wrapper!.find('[role="alert"]').exists()).toBe(true));
    return wrapper.get('[role="alert"]').text();
  }

  it('says in words why a pairing code of another brand is refused, in both languages', async () => {
    expect(await refusedIn('zh-TW')).toBe(
      '此裝置還有 1 筆「OMO 示範品牌」的資料尚未上傳，不能註冊到其他品牌。請改用原品牌的配對碼。',
    );
    wrapper!.unmount();
    wrapper = null;
    expect(await refusedIn('en')).toBe(
      'This device still holds 1 unsent change(s) of OMO 示範品牌; it cannot enroll in another brand. Use a pairing code of that brand.',
    );
  });
});
