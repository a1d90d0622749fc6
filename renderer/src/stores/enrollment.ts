/** This device's enrollment (hub, branch, device name) and the app facts shown in Settings. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ConsoleInput, ConsoleOutput, EnrollmentInfo } from '../../../electron/core/api/contract';
import { useApi } from '../api';

export const useEnrollmentStore = defineStore('enrollment', () => {
  const api = useApi();
  const info = ref<EnrollmentInfo | null>(null);
  const appInfo = ref<ConsoleOutput<'app.info'> | null>(null);

  async function refresh() {
    const [enrollment, app] = await Promise.all([api.call('enrollment.get'), api.call('app.info')]);
    info.value = enrollment;
    appInfo.value = app;
  }

  async function enroll(input: ConsoleInput<'enrollment.enroll'>) {
    info.value = await api.call('enrollment.enroll', input);
  }

  return { info, appInfo, refresh, enroll };
});
