/** This device's enrollment (hub, branch, device name) and the app facts shown in Settings. */
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { setBrandEnglishLocale, setBrandTimeZone } from '../i18n/brandTime';
import type {
  ConsoleInput,
  ConsoleOutput,
  EnrollmentInfo,
  SessionStaff,
} from '../../../electron/core/consoleApi/contract';
import { useApi } from '../api';

/** Who may move the device to its hub's new address or make it enroll again (the core checks too). */
export const DEVICE_MANAGER_ROLES: readonly SessionStaff['role'][] = ['sales_manager', 'supervisor', 'admin'];

export const useEnrollmentStore = defineStore('enrollment', () => {
  const api = useApi();
  const info = ref<EnrollmentInfo | null>(null);
  const appInfo = ref<ConsoleOutput<'app.info'> | null>(null);
  // Every time on screen follows the brand's zone and English locale from the moment they are known.
  watch(
    () => info.value?.timeZone,
    (tz) => setBrandTimeZone(tz),
  );
  watch(
    () => info.value?.englishLocale,
    (tag) => setBrandEnglishLocale(tag),
  );

  async function refresh() {
    const [enrollment, app] = await Promise.all([api.call('enrollment.get'), api.call('app.info')]);
    info.value = enrollment;
    appInfo.value = app;
  }

  async function enroll(input: ConsoleInput<'enrollment.enroll'>) {
    info.value = await api.call('enrollment.enroll', input);
  }

  /** Follows the hub to a new address; the hub there must prove it enrolled this device. */
  async function changeHubUrl(hubUrl: string) {
    info.value = await api.call('enrollment.changeHubUrl', { hubUrl });
  }

  /** Forgets this device's enrollment (queued changes stay) to enroll again. */
  async function leave() {
    info.value = await api.call('enrollment.leave');
  }

  return { info, appInfo, refresh, enroll, changeHubUrl, leave };
});
