/**
 * A minimal application menu (edit shortcuts matter: cashiers paste codes), labelled in the
 * system language: Traditional Chinese by default, English when the system prefers it.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

const LABELS = {
  'zh-TW': { app: 'OMO 門市主控台', edit: '編輯', view: '檢視', window: '視窗', help: '說明', about: '關於' },
  en: {
    app: 'OMO Store Console',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    about: 'About',
  },
} as const;

export function menuLocale(preferred: readonly string[]): keyof typeof LABELS {
  const first = preferred[0]?.toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-TW';
}

export function installAppMenu(): void {
  const t = LABELS[menuLocale(app.getPreferredSystemLanguages())];
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ label: t.app, role: 'appMenu' as const }] : []),
    { label: t.edit, role: 'editMenu' },
    {
      label: t.view,
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: t.window, role: 'windowMenu' },
    {
      label: t.help,
      submenu: [{ label: `${t.about} ${t.app} ${app.getVersion()}`, enabled: false }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
