import { describe, expect, it } from 'vitest';
import { DEFAULT_UPDATE_POLICY, type UpdatePolicy } from '../core/updates';
import { feedChannel, inRollout, installDecision, inUpdateWindow, rolloutBucket } from './updatePolicy';

const policy = (over: Partial<UpdatePolicy> = {}): UpdatePolicy => ({
  ...DEFAULT_UPDATE_POLICY,
  deviceId: 'device-a1',
  ...over,
});
/** A wall-clock time in Taipei (UTC+8, no daylight saving) as a Date. */
const taipei = (hhmm: string) => new Date(`2026-03-10T${hhmm}:00+08:00`);

describe('feedChannel', () => {
  it('maps the device setting to electron-updater channels', () => {
    expect(feedChannel({ channel: 'stable' })).toEqual({ channel: 'latest', allowPrerelease: false });
    expect(feedChannel({ channel: 'beta' })).toEqual({ channel: 'beta', allowPrerelease: true });
  });
});

describe('staged rollout', () => {
  const devices = Array.from({ length: 2000 }, (_, i) => `device-${i}`);

  it('gives each device the same answer on every check', () => {
    for (const d of devices.slice(0, 50)) expect(rolloutBucket(d, '1.4.0')).toBe(rolloutBucket(d, '1.4.0'));
  });

  it('takes about the given share of devices, and raising it only adds devices', () => {
    const at10 = devices.filter((d) => inRollout(d, '1.4.0', 10));
    const at50 = devices.filter((d) => inRollout(d, '1.4.0', 50));
    expect(at10.length / devices.length).toBeGreaterThan(0.07);
    expect(at10.length / devices.length).toBeLessThan(0.13);
    expect(at50.length / devices.length).toBeGreaterThan(0.45);
    expect(at50.length / devices.length).toBeLessThan(0.55);
    expect(at10.every((d) => at50.includes(d))).toBe(true);
  });

  it('0 % takes nobody, 100 % everybody, a device not enrolled yet waits', () => {
    expect(devices.some((d) => inRollout(d, '1.4.0', 0))).toBe(false);
    expect(devices.every((d) => inRollout(d, '1.4.0', 100))).toBe(true);
    expect(inRollout(null, '1.4.0', 100)).toBe(false);
  });
});

describe('update window', () => {
  it("is read in the brand's time zone", () => {
    const p = policy({ window: { start: '03:00', end: '05:00' }, timeZone: 'Asia/Taipei' });
    expect(inUpdateWindow(taipei('03:00'), p)).toBe(true);
    expect(inUpdateWindow(taipei('04:59'), p)).toBe(true);
    expect(inUpdateWindow(taipei('05:00'), p)).toBe(false);
    expect(inUpdateWindow(taipei('14:00'), p)).toBe(false);
    // 03:30 in Taipei is 19:30 the day before in UTC; the same instant in London's zone is outside.
    expect(inUpdateWindow(taipei('03:30'), { ...p, timeZone: 'Europe/London' })).toBe(false);
  });

  it('may cross midnight', () => {
    const p = policy({ window: { start: '22:30', end: '06:00' } });
    expect(inUpdateWindow(taipei('23:00'), p)).toBe(true);
    expect(inUpdateWindow(taipei('01:00'), p)).toBe(true);
    expect(inUpdateWindow(taipei('06:00'), p)).toBe(false);
    expect(inUpdateWindow(taipei('12:00'), p)).toBe(false);
  });

  it('refuses a malformed time rather than guessing', () => {
    expect(() => inUpdateWindow(taipei('03:00'), policy({ window: { start: '3am', end: '05:00' } }))).toThrow(
      /HH:mm/,
    );
  });
});

describe('installDecision', () => {
  it('never restarts a till during trade: outside the window the update waits for quit', () => {
    const p = policy();
    expect(installDecision({ now: taipei('14:00'), policy: p, verifiedUpdate: true })).toBe('on-quit');
    expect(installDecision({ now: taipei('03:15'), policy: p, verifiedUpdate: true })).toBe('restart-now');
  });

  it('installs nothing that was not verified', () => {
    expect(installDecision({ now: taipei('03:15'), policy: policy(), verifiedUpdate: false })).toBe('none');
  });
});
