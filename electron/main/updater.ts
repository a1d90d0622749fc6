/**
 * Auto-update through electron-updater from the generic feed set in electron-builder.yml
 * (`publish`). Only packaged builds check. Downloads are verified by electron-updater (sha512 from
 * the feed) and by the OS code-signature checks electron-builder sets up (Windows publisher name,
 * macOS Squirrel code signing): we never turn those off.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import electronUpdater from 'electron-updater';

/** electron-builder.yml ships this placeholder until a real feed URL is configured. */
const PLACEHOLDER_FEED = 'updates.invalid';

export function startUpdateChecks(log: (message: string) => void): void {
  if (!app.isPackaged) return;
  const feedFile = path.join(process.resourcesPath, 'app-update.yml');
  if (!existsSync(feedFile) || readFileSync(feedFile, 'utf8').includes(PLACEHOLDER_FEED)) {
    log('updates: no update feed configured');
    return;
  }
  const { autoUpdater } = electronUpdater;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.on('error', (err: Error) => log(`updates: ${err.message}`));
  const check = () => void autoUpdater.checkForUpdatesAndNotify().catch(() => {});
  check();
  // Tills run for days: look again every six hours.
  setInterval(check, 6 * 60 * 60 * 1000).unref();
}
