/** Who is signed in on this device. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SessionStaff } from '../../../electron/core/consoleApi/contract';
import { useApi } from '../api';

export const useSessionStore = defineStore('session', () => {
  const api = useApi();
  const staff = ref<SessionStaff | null>(null);
  let started = false;

  async function refresh() {
    staff.value = await api.call('session.get');
  }

  function start() {
    if (started) return;
    started = true;
    api.on('session.changed', (payload) => {
      staff.value = payload;
    });
  }

  async function signIn(staffCode: string, pin: string) {
    staff.value = await api.call('session.signIn', { staffCode, pin });
  }

  async function signOut() {
    await api.call('session.signOut');
    staff.value = null;
  }

  return { staff, refresh, start, signIn, signOut };
});
