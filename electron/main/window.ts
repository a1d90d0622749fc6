/**
 * The one console window, hardened per Electron's security checklist: isolated, sandboxed preload,
 * no Node in the page, no navigation away from the app, no new windows, and only links on the
 * brand's conversation origins handed to the system browser. The decisions are policy.ts's; this
 * file only applies them to Electron's events.
 */
import path from 'node:path';
import { BrowserWindow, shell, type WebContents } from 'electron';
import {
  allowPermission,
  allowRedirect,
  APP_ENTRY_URL,
  decideNavigation,
  decideWindowOpen,
  type NavigationDecision,
} from './policy';

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
export function lockDown(contents: WebContents, brandOrigins: () => readonly string[]): void {
  const carryOut = (decision: NavigationDecision, url: string): void => {
    if (decision.openExternal) void shell.openExternal(url);
  };
  contents.setWindowOpenHandler(({ url }) => {
    carryOut(decideWindowOpen(url, brandOrigins()), url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    const decision = decideNavigation(url, brandOrigins());
    if (!decision.allow) event.preventDefault();
    carryOut(decision, url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!allowRedirect(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_wc, permission, callback) =>
    callback(allowPermission(permission)),
  );
}
