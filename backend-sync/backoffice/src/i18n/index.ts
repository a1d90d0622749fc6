/** vue-i18n: zh-TW by default, English as the alternative; the choice is kept in localStorage. */
import { createI18n } from 'vue-i18n';
import en from './en';
import zhTW, { type Messages } from './zh-TW';

export type Locale = 'zh-TW' | 'en';
const STORED = 'omo-backoffice-locale';

const initial: Locale = localStorage.getItem(STORED) === 'en' ? 'en' : 'zh-TW';

export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: initial,
  fallbackLocale: 'zh-TW',
  // {店員姓名} in messages is shown literally, not as a vue-i18n placeholder.
  warnHtmlMessage: false,
  messages: { 'zh-TW': zhTW, en },
});

export function applyLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORED, locale);
  document.documentElement.lang = locale;
  document.title = i18n.global.t('app.title');
}
applyLocale(initial);
