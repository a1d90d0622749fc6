/** Sync status from the core: loaded once, then kept current by `sync.status` events. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { SyncStatus } from '../../../electron/core/consoleApi/contract';
import { useApi } from '../api';

export const useSyncStore = defineStore('sync', () => {
  const api = useApi();
  const status = ref<SyncStatus | null>(null);
  /** Ticks every second so "offline for …" stays current. */
  const now = ref(Date.now());
  let started = false;

  async function refresh(): Promise<SyncStatus> {
    status.value = await api.call('sync.status');
    return status.value;
  }

  function start() {
    if (started) return;
    started = true;
    api.on('sync.status', (payload) => {
      status.value = payload;
    });
    // Events may have been missed while the link to the core was down.
    api.onConnection((connected) => {
      if (connected) void refresh().catch(() => {});
    });
    setInterval(() => (now.value = Date.now()), 1000);
  }

  const firstSyncDone = computed(
    () => status.value !== null && status.value.firstSync === null && status.value.lastSyncAt !== null,
  );

  return { status, now, refresh, start, firstSyncDone };
});
