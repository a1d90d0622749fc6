/**
 * The one console window, hardened per Electron's security checklist: isolated, sandboxed preload,
 * no Node in the page, no navigation away from the app, no new windows, and only allow-listed
 * links handed to the system browser.
 */
import path from 'node:path';
import { BrowserWindow, shell, type WebContents } from 'electron';
import { APP_ENTRY_URL, isAllowedExternalUrl, isAppUrl } from './policy';

export function createMainWindow(options: { preloadPath: string; iconPath?: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'OMO Store Console',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: path.resolve(options.preloadPath),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/** Applied to every WebContents the app creates (app 'web-contents-created'), not just ours. */
export function lockDown(contents: WebContents, brandOrigins: () => readonly string[] = () => []): void {
  const openIfAllowed = (url: string): void => {
    if (isAllowedExternalUrl(url, brandOrigins())) void shell.openExternal(url);
  };
  contents.setWindowOpenHandler(({ url }) => {
    openIfAllowed(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      openIfAllowed(url);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // The page needs no camera, microphone, notifications…; copying a link or code is the one exception.
  contents.session.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(permission === 'clipboard-sanitized-write'),
  );
}
