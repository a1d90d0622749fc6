/**
 * "Save diagnostics" writes a zip IT can read — versions, sync status, outbox summary, logs — and
 * nothing secret or personal: the test fills a real console database (a sealed device token, a
 * customer's claim, queued redemptions) and a real log file with secrets and a phone number, then
 * reads the zip back.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTillFixture, type TillFixture } from '../testing/till';
import { tempDir } from '../testing/temp';
import { maskLogText, saveDiagnostics } from './diagnostics';
import { createConsoleLog } from './logging';
import { setMeta } from './store/meta';

const DEVICE_TOKEN = 'dtok_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const PHONE = '+85291234567';

let f: TillFixture;
let tmp: ReturnType<typeof tempDir>;
beforeEach(async () => {
  f = await openTillFixture();
  tmp = tempDir('omo-diag-');
});
afterEach(async () => {
  await f.close();
  tmp.remove();
});

describe('saveDiagnostics', () => {
  it('zips versions, sync status, the outbox summary and the logs, without secrets or customer data', async () => {
    await setMeta(f.db, { deviceId: 'device-a1', sealedDeviceToken: `sealed:${DEVICE_TOKEN}` });
    await f.call['till.redeem']({ claimId: 'cl-fixed', scannedCode: 'FX0001' }); // customer 陳美麗
    await f.call['till.redeem']({ claimId: 'cl-fixed2', scannedCode: 'FX0002' }); // customer Amy Wong

    const logsDir = path.join(tmp.dir, 'logs');
    const log = createConsoleLog({ logsDir, level: 'info', name: 'console-core' });
    log.logger.info({ deviceToken: DEVICE_TOKEN, pin: '1111' }, 'enrolled');
    log.logger.warn({ err: new Error(`WhatsApp refused ${PHONE}`) }, 'customer.add failed');
    await log.close();

    const status = {
      connection: 'offline' as const,
      offlineSince: '2026-03-10T03:00:00.000Z',
      offlineRedeemUntil: null,
      lastSyncAt: null,
      queued: 2,
      queuedRedemptions: 2,
      oldestQueuedAt: '2026-03-10T03:05:00.000Z',
      conflicts: 0,
      rejected: 0,
      firstSync: null,
      lastErrorCode: null,
    };
    const saved = await saveDiagnostics({
      db: f.db,
      clock: f.clock,
      logsDir,
      crashDumpsDir: null,
      outputDir: path.join(tmp.dir, 'out'),
      versions: { app: '1.2.3', electron: '45.0.0' },
      enrollment: async () => ({
        enrolled: true,
        hubUrl: 'https://hub.example.com',
        deviceId: 'device-a1',
        deviceName: 'Counter 1',
        brandName: 'OMO',
        branchName: 'Taipei 101',
        suggestedHubUrl: null,
        timeZone: 'Asia/Taipei',
        englishLocale: 'en-HK',
        credentialsUnreadable: false,
      }),
      syncStatus: async () => status,
    });

    const bytes = readFileSync(saved.file);
    expect(bytes.length).toBe(saved.bytes);
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual([
      'crash-dumps.json',
      'device.json',
      'logs/console.log',
      'outbox-summary.json',
      'sync-status.json',
      'versions.json',
    ]);
    const read = (name: string) => strFromU8(files[name]!);
    expect(JSON.parse(read('versions.json'))).toMatchObject({ app: '1.2.3', electron: '45.0.0' });
    expect(JSON.parse(read('sync-status.json'))).toEqual(status);
    expect(JSON.parse(read('outbox-summary.json'))).toEqual([
      { kind: 'redemption.create', status: 'queued', count: 2, oldestDeviceTime: '2026-03-10T04:00:00.000Z' },
    ]);
    expect(read('logs/console.log')).toContain('customer.add failed');

    const everything = Object.values(files)
      .map((b) => strFromU8(b))
      .join('\n');
    for (const secretOrPersonal of [
      DEVICE_TOKEN,
      'sealed:',
      '"1111"',
      PHONE,
      '91234567',
      '陳美麗',
      'Amy Wong',
      'FX0001',
    ]) {
      expect(everything, secretOrPersonal).not.toContain(secretOrPersonal);
    }
  });
});

describe('maskLogText', () => {
  it('masks phone-like numbers in strings and keeps times and counts', () => {
    const line = JSON.stringify({
      time: 1767225600000,
      n: 12345678,
      msg: 'call 0912-345-678 or +852 9123 4567',
    });
    expect(JSON.parse(maskLogText(line))).toEqual({
      time: 1767225600000,
      n: 12345678,
      msg: 'call [number] or [number]',
    });
    expect(maskLogText('plain 91234567 text')).toBe('plain [number] text');
  });
});
