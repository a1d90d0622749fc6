/**
 * Electron main: lifecycle and wiring only. Every decision is a pure function elsewhere in this
 * folder (config.ts, policy.ts, crash.ts, updatePolicy.ts, updateSignature.ts), tested without
 * Electron; this file connects them and the console core to Electron's API.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, crashReporter, dialog, safeStorage, shell, type WebContents } from 'electron';
import type { Logger } from 'pino';
import { createConsoleCore, type ConsoleCore } from '../core';
import { createConsoleLog, type ConsoleLog } from '../core/logging';
import { crashReportUrl, decideHubSetup, logLevel, parseAppConfig, type StartInputs } from './config';
import { bilingual, childGoneLogLevel, onRendererGone, rememberDeath, type Notice } from './crash';
import { enrollToDemoHub } from './demoEnroll';
import { registerConsoleIpc } from './ipc';
import { installAppMenu } from './menu';
import { findElectronNativeBinding, redirectBetterSqliteAddon } from './native-binding';
import { registerAppScheme, serveRenderer } from './protocol';
import { createSafeStorageSecretStore } from './secret-store';
import { readUpdateTrust, startUpdates, type Updates } from './updater';
import { createMainWindow, lockDown } from './window';

/** out/ — main is bundled to out/main/index.js, beside out/preload and out/renderer. */
const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let consoleLog: ConsoleLog | null = null;
let core: ConsoleCore | null = null;
let mainWindow: BrowserWindow | null = null;
let updates: Updates | null = null;
/** Origins of the brand's conversation links, which the window may hand to the browser. */
let brandOrigins: readonly string[] = [];
let rendererDeaths: number[] = [];

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
  let inputs: StartInputs | null = null;
  try {
    inputs = startInputs();
    startCrashReporter(inputs);
  } catch (err) {
    void app.whenReady().then(() => fail(err)); // a dialog needs the app ready
  }
  const ready = inputs;
  if (ready)
    app
      .whenReady()
      .then(() => boot(ready))
      .catch(fail);
}

function startInputs(): StartInputs {
  const file = path.join(app.getPath('userData'), 'config.json');
  return {
    config: parseAppConfig(existsSync(file) ? readFileSync(file, 'utf8') : null),
    env: process.env,
    argv: process.argv,
    packaged: app.isPackaged,
  };
}

/** Minidumps stay in app.getPath('crashDumps'); they are uploaded only where IT configured a URL. */
function startCrashReporter(inputs: StartInputs): void {
  const url = crashReportUrl(inputs);
  crashReporter.start({
    productName: 'OMO Store Console',
    companyName: 'OMO',
    uploadToServer: url !== null,
    ...(url ? { submitURL: url } : {}),
    compress: true,
  });
}

async function boot(inputs: StartInputs): Promise<void> {
  consoleLog = createConsoleLog({
    logsDir: app.getPath('logs'),
    level: logLevel(inputs),
    name: 'omo-main',
    tee: !app.isPackaged,
  });
  const log = consoleLog.logger;
  log.info({ version: app.getVersion(), electron: process.versions.electron }, 'starting');
  const nativeBinding = app.isPackaged
    ? undefined
    : findElectronNativeBinding(app.getAppPath(), process.versions.electron);
  if (nativeBinding) redirectBetterSqliteAddon(nativeBinding);
  if (process.platform === 'linux')
    log.info({ backend: safeStorage.getSelectedStorageBackend() }, 'safeStorage');

  serveRenderer(path.join(outDir, 'renderer'));
  installAppMenu();

  const setup = decideHubSetup(inputs);
  const userData = app.getPath('userData');
  core = await createConsoleCore({
    dataDir: userData,
    secretStore: createSafeStorageSecretStore(),
    host: 'electron',
    appVersion: app.getVersion(),
    suggestedHubUrl: setup.kind === 'demo' ? setup.hubUrl : setup.suggestedHubUrl,
    logger: log.child({ name: 'console-core' }),
    diagnostics: {
      logsDir: app.getPath('logs'),
      crashDumpsDir: app.getPath('crashDumps'),
      runtimeVersions: {
        electron: process.versions.electron ?? '',
        chrome: process.versions.chrome ?? '',
        node: process.versions.node,
      },
      onSaved: (file) => shell.showItemInFolder(file),
    },
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  if (setup.kind === 'demo') log.info({ result: await enrollToDemoHub(core, setup) }, 'demo hub enrollment');

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
  app.on('child-process-gone', (_event, details) =>
    log[childGoneLogLevel(details.reason)](
      { type: details.type, reason: details.reason, exitCode: details.exitCode },
      'helper process gone',
    ),
  );
  openWindow(log);
  if (app.isPackaged) {
    const current = core;
    updates = startUpdates({
      trust: readUpdateTrust(process.resourcesPath),
      policy: () => current.updatePolicy(),
      log,
    });
  }
}

function openWindow(log: Logger): void {
  const icon = path.join(app.getAppPath(), 'build', 'icon.png');
  const win = createMainWindow({
    preloadPath: path.join(outDir, 'preload', 'index.cjs'),
    ...(existsSync(icon) ? { iconPath: icon } : {}),
  });
  win.on('closed', () => (mainWindow = null));
  win.webContents.on('render-process-gone', (_event, details) => rendererGone(win, details, log));
  mainWindow = win;
}

/** The page died: reload it (nothing queued lives there) and tell the staff, unless it keeps dying. */
function rendererGone(win: BrowserWindow, details: { reason: string; exitCode: number }, log: Logger): void {
  const now = Date.now();
  rendererDeaths = rememberDeath(rendererDeaths, now);
  const decision = onRendererGone(
    details.reason as Parameters<typeof onRendererGone>[0],
    rendererDeaths,
    now,
  );
  log.error({ reason: details.reason, exitCode: details.exitCode, action: decision.action }, 'renderer gone');
  if (decision.action === 'ignore' || win.isDestroyed()) return;
  if (decision.action === 'reload') win.webContents.reload();
  showNotice(win.webContents, decision.notice, decision.action === 'stop' ? 'error' : 'warning');
}

function showNotice(contents: WebContents, notice: Notice, type: 'warning' | 'error'): void {
  const win = BrowserWindow.fromWebContents(contents);
  const options = { type, title: 'OMO Store Console', message: bilingual(notice), buttons: ['確定 / OK'] };
  void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}

function fail(err: unknown): void {
  consoleLog?.logger.error({ err }, 'start failed');
  dialog.showErrorBox(
    'OMO Store Console',
    `無法啟動 / Could not start:\n${err instanceof Error ? err.message : String(err)}`,
  );
  app.exit(1);
}

/** Closes the core (flushes SQLite) and the log, then installs a verified update if one waits. */
function handleQuit(): void {
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    closed = true;
    updates?.stop();
    const update = updates?.pendingVersion() ?? null;
    Promise.allSettled([core?.close()])
      .then((results) => {
        for (const r of results)
          if (r.status === 'rejected') consoleLog?.logger.error({ err: r.reason }, 'close failed');
        if (update) consoleLog?.logger.info({ version: update }, 'updates: installing on quit');
        return consoleLog?.close();
      })
      .finally(() => {
        if (!updates?.installOnQuit()) app.quit();
      });
  });
}
