/** User settings kept by the core (language), applied to vue-i18n as they change. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Locale } from '../../../electron/core/consoleApi/contract';
import { useApi } from '../api';
import { applyLocale, DEFAULT_LOCALE } from '../i18n';

export const useSettingsStore = defineStore('settings', () => {
  const api = useApi();
  const locale = ref<Locale>(DEFAULT_LOCALE);

  async function refresh() {
    const settings = await api.call('settings.get');
    locale.value = settings.locale;
    applyLocale(settings.locale);
  }

  async function setLocale(next: Locale) {
    const previous = locale.value;
    locale.value = next;
    applyLocale(next);
    try {
      const saved = await api.call('settings.update', { locale: next });
      locale.value = saved.locale;
    } catch (err) {
      locale.value = previous;
      applyLocale(previous);
      throw err;
    }
  }

  return { locale, refresh, setLocale };
});
