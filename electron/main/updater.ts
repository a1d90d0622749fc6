/**
 * Auto-update, the thin Electron side: electron-updater checks the feed baked in by
 * electron-builder (`resources/app-update.yml`) and downloads; every decision is a pure function
 * of updatePolicy.ts and every update is checked by updateSignature.ts before it may install.
 *
 * - Channel (stable / beta), staged rollout and update window come from the core (the hub's
 *   brand and device settings), read again before each check.
 * - electron-updater never installs by itself (autoInstallOnAppQuit off): only an update whose
 *   feed signature matched is installed, on the next quit (`installOnQuit`) or, inside the
 *   brand's update window, by restarting the till then.
 * - On Windows electron-updater also refuses an installer whose Authenticode publisher is not the
 *   `publisherName` of electron-builder.yml; on macOS Squirrel checks the code signature.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import electronUpdater, { type UpdateDownloadedEvent } from 'electron-updater';
import type { UpdatePolicy } from '../core';
import { feedChannel, inRollout, installDecision } from './updatePolicy';
import { SIGNATURE_SUFFIX, verifyUpdateFile } from './updateSignature';

/** What `npm run dist` bakes into resources/update-trust.json (scripts/dist.ts). */
export const UpdateTrust = z.object({
  /** The update feed's base URL, or null when this build has none (updates off). */
  feedUrl: z.url({ protocol: /^https$/ }).nullable(),
  publisherName: z.string().min(1).nullable(),
  certificatePem: z.string().min(1).nullable(),
});
export type UpdateTrust = z.infer<typeof UpdateTrust>;

export const UPDATE_TRUST_FILE = 'update-trust.json';
const CHECK_EVERY_MS = 6 * 60 * 60 * 1000; // tills run for days
const WINDOW_CHECK_EVERY_MS = 5 * 60 * 1000;
const SIGNATURE_TIMEOUT_MS = 30_000;

/** The build's update trust, or null (updates off) when it is missing or unreadable. */
export function readUpdateTrust(resourcesPath: string): UpdateTrust | null {
  const file = path.join(resourcesPath, UPDATE_TRUST_FILE);
  if (!existsSync(file)) return null;
  try {
    const parsed = UpdateTrust.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface Updates {
  /** The verified update waiting to be installed, if any. */
  pendingVersion(): string | null;
  /** Call as the app quits (after the core closed): installs a verified update, if there is one. */
  installOnQuit(): boolean;
  stop(): void;
}

export function startUpdates(deps: {
  trust: UpdateTrust | null;
  policy: () => Promise<UpdatePolicy>;
  log: Logger;
  now?: () => Date;
}): Updates | null {
  const { trust, log } = deps;
  const now = deps.now ?? (() => new Date());
  if (!trust?.feedUrl || !trust.certificatePem || !trust.publisherName) {
    log.info('updates: this build has no update feed or no update certificate; updates are off');
    return null;
  }
  const { feedUrl, certificatePem, publisherName } = trust;
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = log;
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.allowDowngrade = false;

  let verified: string | null = null; // the version whose download passed the signature check
  let busy = false;
  let restarting = false;

  async function check(): Promise<void> {
    if (busy || verified) return;
    busy = true;
    try {
      const policy = await deps.policy();
      const { channel, allowPrerelease } = feedChannel(policy);
      autoUpdater.channel = channel;
      autoUpdater.allowPrerelease = allowPrerelease;
      const result = await autoUpdater.checkForUpdates();
      if (!result?.isUpdateAvailable) return;
      const version = result.updateInfo.version;
      if (!inRollout(policy.deviceId, version, policy.rolloutPercent)) {
        log.info(
          { version, rolloutPercent: policy.rolloutPercent },
          'updates: this till is not in the rollout yet',
        );
        return;
      }
      await autoUpdater.downloadUpdate();
    } catch (err) {
      log.warn({ err }, 'updates: check failed');
    } finally {
      busy = false;
    }
  }

  async function verify(event: UpdateDownloadedEvent): Promise<void> {
    const name = path.basename(event.downloadedFile);
    const fileUrl =
      event.files.find((f) => path.basename(new URL(f.url, `${feedUrl}/`).pathname) === name)?.url ?? name;
    const signatureUrl = new URL(`${fileUrl}${SIGNATURE_SUFFIX}`, `${feedUrl}/`);
    const response = await fetch(signatureUrl, { signal: AbortSignal.timeout(SIGNATURE_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`signature ${signatureUrl} answered ${response.status}`);
    const signature = await verifyUpdateFile({
      file: event.downloadedFile,
      signatureBase64: (await response.text()).slice(0, 8192),
      certificatePem,
      publisherName,
      now: now(),
    });
    if (!signature.ok) {
      log.error(
        { version: event.version, reason: signature.reason },
        'updates: REFUSED, signature check failed',
      );
      return;
    }
    verified = event.version;
    log.info(
      { version: event.version },
      'updates: downloaded and verified; installs on quit or in the update window',
    );
    await installIfInWindow();
  }

  async function installIfInWindow(): Promise<void> {
    if (!verified || restarting) return;
    const decision = installDecision({ now: now(), policy: await deps.policy(), verifiedUpdate: true });
    if (decision === 'restart-now') {
      log.info({ version: verified }, 'updates: in the update window, restarting into the new version');
      restarting = true;
      autoUpdater.quitAndInstall(true, true);
    }
  }

  autoUpdater.on('error', (err: Error) => log.warn({ err }, 'updates: error'));
  autoUpdater.on('update-downloaded', (event: UpdateDownloadedEvent) => {
    verify(event).catch((err: unknown) =>
      log.error({ err }, 'updates: REFUSED, signature could not be checked'),
    );
  });
  void check();
  const checks = setInterval(() => void check(), CHECK_EVERY_MS);
  const windowChecks = setInterval(
    () => void installIfInWindow().catch((err: unknown) => log.warn({ err }, 'updates: window check failed')),
    WINDOW_CHECK_EVERY_MS,
  );
  checks.unref();
  windowChecks.unref();

  return {
    pendingVersion: () => (restarting ? null : verified),
    installOnQuit() {
      if (!verified || restarting) return false;
      autoUpdater.quitAndInstall(true, false);
      return true;
    },
    stop() {
      clearInterval(checks);
      clearInterval(windowChecks);
    },
  };
}
