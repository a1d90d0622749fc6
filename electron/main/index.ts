/**
 * Electron main: lifecycle and wiring only. The console's behaviour lives in electron/core; this
 * file connects it to a hardened window, IPC, the OS keychain, the menu and the updater.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, safeStorage } from 'electron';
import pino from 'pino';
import { createConsoleCore, type ConsoleCore } from '../core';
import { configuredHubUrl, enrollToEmbeddedHub, startEmbeddedHub, type EmbeddedHub } from './hub-setup';
import { registerConsoleIpc } from './ipc';
import { installAppMenu } from './menu';
import { findElectronNativeBinding, redirectBetterSqliteAddon } from './native-binding';
import { registerAppScheme, serveRenderer } from './protocol';
import { createSafeStorageSecretStore } from './secret-store';
import { startUpdateChecks } from './updater';
import { createMainWindow, lockDown } from './window';

const log = pino({ name: 'omo-main' });
/** out/ — main is bundled to out/main/index.js, beside out/preload and out/renderer. */
const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let core: ConsoleCore | null = null;
let hub: EmbeddedHub | null = null;
let mainWindow: BrowserWindow | null = null;
/** Origins of the brand's conversation links, which the window may hand to the browser. */
let brandOrigins: readonly string[] = [];

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // A second till window on the same database would fight over the outbox: hand over and leave.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow && !mainWindow.isDestroyed()) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  app.on('web-contents-created', (_event, contents) => lockDown(contents, () => brandOrigins));
  handleQuit();
  app.whenReady().then(boot).catch(fail);
}

async function boot(): Promise<void> {
  const nativeBinding = app.isPackaged
    ? undefined
    : findElectronNativeBinding(app.getAppPath(), process.versions.electron);
  if (nativeBinding) redirectBetterSqliteAddon(nativeBinding);
  if (process.platform === 'linux')
    log.info({ backend: safeStorage.getSelectedStorageBackend() }, 'safeStorage');

  serveRenderer(path.join(outDir, 'renderer'));
  installAppMenu();

  const userData = app.getPath('userData');
  const configured = await configuredHubUrl(userData, process.env);
  if (!configured) {
    hub = await startEmbeddedHub(userData);
    log.info({ url: hub.url }, 'embedded demo hub started');
  }
  core = await createConsoleCore({
    dataDir: userData,
    secretStore: createSafeStorageSecretStore(),
    host: 'electron',
    appVersion: app.getVersion(),
    suggestedHubUrl: configured ?? hub?.url ?? null,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  if (hub) log.info({ result: await enrollToEmbeddedHub(core, hub) }, 'embedded hub enrollment');

  registerConsoleIpc(core, (err) => log.error({ err }, 'console IPC failed'));
  const refreshOrigins = () =>
    void core?.externalOrigins().then(
      (origins) => (brandOrigins = origins),
      () => undefined,
    );
  refreshOrigins();
  core.onEvent((name) => {
    if (name === 'sync.status') refreshOrigins();
  });
  const icon = path.join(app.getAppPath(), 'build', 'icon.png');
  const win = createMainWindow({
    preloadPath: path.join(outDir, 'preload', 'index.cjs'),
    ...(existsSync(icon) ? { iconPath: icon } : {}),
  });
  win.on('closed', () => (mainWindow = null));
  mainWindow = win;
  startUpdateChecks((message) => log.info(message));
}

function fail(err: unknown): void {
  log.error({ err }, 'start failed');
  dialog.showErrorBox(
    'OMO Store Console',
    `無法啟動 / Could not start:\n${err instanceof Error ? err.message : String(err)}`,
  );
  app.exit(1);
}

/** Closes the core (flushes SQLite) and the embedded hub before the process goes. */
function handleQuit(): void {
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closed = true;
    Promise.allSettled([core?.close(), hub?.close()])
      .then((results) => {
        for (const r of results) if (r.status === 'rejected') log.error({ err: r.reason }, 'close failed');
      })
      .finally(() => app.quit());
  });
}
