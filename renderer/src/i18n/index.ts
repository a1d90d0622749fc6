/** vue-i18n setup: zh-TW by default, English as the alternative and fallback for missing keys. */
import { createI18n } from 'vue-i18n';
import type { Locale } from '../../../electron/core/consoleApi/contract';
import en from './en';
import zhTW, { type Messages } from './zh-TW';

export const DEFAULT_LOCALE: Locale = 'zh-TW';

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: DEFAULT_LOCALE,
  fallbackLocale: 'en',
  messages: { 'zh-TW': zhTW, en },
});

export function applyLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  document.title = i18n.global.t('app.title');
}
