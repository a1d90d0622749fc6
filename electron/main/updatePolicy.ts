/**
 * When a till takes an update, as pure functions (no Electron import; electron/main/updater.ts
 * carries the decisions out with electron-updater):
 * - the channel (stable or beta) is the device's setting from the back office;
 * - a staged rollout takes a version only on the devices whose bucket — a hash of device id and
 *   version, so the same till always gets the same answer — is below the brand's percentage;
 * - a downloaded, verified update installs when the app quits, or by itself only inside the
 *   brand's update window (outside opening hours, in the brand's time zone): a till never restarts
 *   itself during trade.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { UpdatePolicy } from '../core/updates';

/** electron-updater's channel name for a device setting ('latest' is its name for stable). */
export function feedChannel(policy: Pick<UpdatePolicy, 'channel'>): {
  channel: string;
  allowPrerelease: boolean;
} {
  return policy.channel === 'beta'
    ? { channel: 'beta', allowPrerelease: true }
    : { channel: 'latest', allowPrerelease: false };
}

/** 0–99, the same for a device and version on every check. */
export function rolloutBucket(deviceId: string, version: string): number {
  const digest = createHash('sha256').update(`${deviceId}\0${version}`).digest();
  return digest.readUInt32BE(0) % 100;
}

/**
 * Whether this device takes `version` now. Raising the percentage only adds devices: a device in
 * at 10 % is still in at 50 %. A device not enrolled yet has no id and waits.
 */
export function inRollout(deviceId: string | null, version: string, rolloutPercent: number): boolean {
  if (deviceId === null) return false;
  return rolloutBucket(deviceId, version) < rolloutPercent;
}

const minutesOf = (hhmm: string): number => {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) throw new Error(`update window times are HH:mm, not ${JSON.stringify(hhmm)}`);
  return Number(match[1]) * 60 + Number(match[2]);
};

/** True when `now` falls in [start, end) in the brand's time zone; a window may cross midnight. */
export function inUpdateWindow(now: Date, policy: Pick<UpdatePolicy, 'window' | 'timeZone'>): boolean {
  const local = DateTime.fromJSDate(now, { zone: policy.timeZone });
  if (!local.isValid) throw new Error(`unknown time zone ${policy.timeZone}`);
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(policy.window.start);
  const end = minutesOf(policy.window.end);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

export type InstallDecision =
  /** Nothing to install. */
  | 'none'
  /** Leave it for the next quit (electron-updater installs on quit once we allow it). */
  | 'on-quit'
  /** Inside the update window: restart into the new version now. */
  | 'restart-now';

export function installDecision(input: {
  now: Date;
  policy: Pick<UpdatePolicy, 'window' | 'timeZone'>;
  /** A downloaded update whose signature was checked (false: none, or it failed the check). */
  verifiedUpdate: boolean;
}): InstallDecision {
  if (!input.verifiedUpdate) return 'none';
  return inUpdateWindow(input.now, input.policy) ? 'restart-now' : 'on-quit';
}
