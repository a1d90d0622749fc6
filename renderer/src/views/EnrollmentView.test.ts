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
import type { SyncStatus } from '../../../electron/core/api/contract';
import en from '../i18n/en';
import zhTW from '../i18n/zh-TW';

vi.mock('vue-router', () => ({ useRouter: () => ({ replace: async () => {} }) }));
vi.mock('../api', async () => {
  const client = await import('../api/client');
  return {
    ApiCallError: client.ApiCallError,
    useApi: () => ({ call: async () => null, on: () => () => {}, onConnection: () => () => {} }),
  };
});

const { default: EnrollmentView } = await import('./EnrollmentView.vue');
const { useEnrollmentStore } = await import('../stores/enrollment');
const { useSyncStore } = await import('../stores/sync');

const NOW = Date.parse('2026-03-01T02:00:40.000Z');
let wrapper: VueWrapper | null = null;
afterEach(() => wrapper?.unmount());

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
