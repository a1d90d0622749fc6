// @vitest-environment happy-dom
/**
 * The status bar's honesty about the outbox: it says so when something has waited unsent for over
 * a minute while online (and not before, and not while offline, where waiting is expected), and
 * opens the sync ledger.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from 'vue-i18n';
import type { SyncStatus } from '../../../electron/core/consoleApi/contract';
import en from '../i18n/en';
import zhTW from '../i18n/zh-TW';

vi.mock('../api', async () => {
  const client = await import('../api/client');
  return {
    ApiCallError: client.ApiCallError,
    useApi: () => ({
      call: async () => ({ queued: [], problems: [] }),
      on: () => () => {},
      onConnection: () => () => {},
    }),
  };
});

const { default: StatusBar } = await import('./StatusBar.vue');
const { useSyncStore } = await import('../stores/sync');

const NOW = Date.parse('2026-03-01T02:00:00.000Z');
const status = (overrides: Partial<SyncStatus>): SyncStatus => ({
  connection: 'online',
  offlineSince: null,
  offlineRedeemUntil: null,
  lastSyncAt: '2026-03-01T01:59:00.000Z',
  queued: 1,
  queuedRedemptions: 1,
  conflicts: 0,
  rejected: 0,
  firstSync: null,
  lastErrorCode: null,
  oldestQueuedAt: null,
  ...overrides,
});

let wrapper: VueWrapper | null = null;
afterEach(() => wrapper?.unmount());

function render(s: SyncStatus) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const i18n = createI18n({
    legacy: false,
    locale: 'zh-TW',
    fallbackLocale: 'en',
    messages: { 'zh-TW': zhTW, en },
  });
  const sync = useSyncStore();
  sync.status = s;
  sync.now = NOW;
  wrapper = mount(StatusBar, { global: { plugins: [pinia, i18n] } });
}

describe('the status bar', () => {
  it('says so when a change has waited unsent for over a minute while online', () => {
    render(status({ oldestQueuedAt: '2026-03-01T01:58:30.000Z' }));
    expect(wrapper!.text()).toContain('有資料超過 1 分鐘仍未上傳');
  });

  it('says nothing of the kind within the minute, or while offline', () => {
    render(status({ oldestQueuedAt: '2026-03-01T01:59:30.000Z' }));
    expect(wrapper!.text()).not.toContain('超過 1 分鐘');
    wrapper!.unmount();
    render(
      status({
        connection: 'offline',
        offlineSince: '2026-03-01T01:00:00.000Z',
        oldestQueuedAt: '2026-03-01T01:00:00.000Z',
      }),
    );
    expect(wrapper!.text()).not.toContain('超過 1 分鐘');
  });

  it('opens the sync ledger', () => {
    render(status({}));
    expect(wrapper!.get('button').text()).toBe('同步紀錄');
  });
});
