/**
 * Start-up: load what every screen needs (settings, enrollment, session, sync status) once, and
 * subscribe to the core's events. The router waits on `ready()` before its first decision.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { useApi } from '../api';
import { useEnrollmentStore } from './enrollment';
import { useSessionStore } from './session';
import { useSettingsStore } from './settings';
import { useSyncStore } from './sync';

export const useAppStore = defineStore('app', () => {
  const api = useApi();
  const coreConnected = ref(false);
  const loaded = ref(false);
  let loading: Promise<void> | null = null;

  function ready(): Promise<void> {
    if (!loading) {
      api.onConnection((connected) => (coreConnected.value = connected));
      const session = useSessionStore();
      const sync = useSyncStore();
      session.start();
      sync.start();
      loading = Promise.all([
        useSettingsStore().refresh(),
        useEnrollmentStore().refresh(),
        session.refresh(),
        sync.refresh(),
      ]).then(() => {
        loaded.value = true;
      });
      // A failed start-up may be retried by the next navigation.
      loading.catch(() => (loading = null));
    }
    return loading;
  }

  return { coreConnected, loaded, ready };
});
