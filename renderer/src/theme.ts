/** A calm, professional look: slate-teal primary, generous type for reading at arm's length. */
import type { GlobalThemeOverrides } from 'naive-ui';

export const themeOverrides: GlobalThemeOverrides = {
  common: {
    primaryColor: '#2b6c8a',
    primaryColorHover: '#3a7f9f',
    primaryColorPressed: '#215670',
    primaryColorSuppl: '#3a7f9f',
    fontSize: '16px',
    fontSizeMedium: '16px',
    fontSizeLarge: '18px',
    borderRadius: '6px',
    fontFamily:
      "system-ui, -apple-system, 'Segoe UI', 'Noto Sans TC', 'Noto Sans CJK TC', 'PingFang TC', 'Microsoft JhengHei', sans-serif",
  },
  // Tag and empty-state text dark enough on their tinted backgrounds (WCAG AA 4.5:1, checked by
  // axe-core in e2e/screens.e2e.ts); naive-ui's defaults are about 3:1.
  Tag: {
    textColorSuccess: '#1d6a3f',
    textColorWarning: '#8a5200',
    textColorError: '#a52222',
    textColorInfo: '#1c5673',
    textColorPrimary: '#1c5673',
  },
  Empty: {
    textColor: '#56636e',
  },
};
