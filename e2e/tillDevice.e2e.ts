/**
 * The till's two device-side edges, end to end in Chromium, with the console core and web host
 * running in this test process (the rest of the e2e runs them as `start:web`) so that the test
 * holds the two things a shop PC has and a test machine has not:
 *
 * - a USB HID POS scanner: the core's real HID POS reader on the `HidBackend` interface, with
 *   the fake USB of electron/testing/fakeUsb.ts behind it (plugged, unplugged, sending
 *   Scanned Data Reports as a Xenon 1900 does);
 * - the time: after the hub goes away, 73 hours pass for the core (its wall and monotonic clocks
 *   move forward together, as time passing does) and for the browser (Playwright's page clock),
 *   so the console has been offline three days, and the till will not redeem (OFFLINE_TOO_LONG)
 *   until the hub is back.
 *
 * The hub is the demo hub as a child process, reached through a TCP proxy that can be cut.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../electron/core';
import { fakeUsb } from '../electron/testing/fakeUsb';
import { createKeyfileSecretStore } from '../electron/core/secrets/keyfile';
import { startWebHost, type WebHost } from '../electron/webhost/server';
import { artifactsDir, freePort, openConsolePage, projectRoot, startHub, type HubProcess } from './processes';
import { enrollDevice, signIn } from './consoleSteps';
import { startTcpProxy, wedgeScan, type TcpProxy } from './tillSupport';

const HOUR_MS = 3_600_000;
const screenshotDir = process.env.E2E_SCREENSHOTS
  ? path.resolve(projectRoot, process.env.E2E_SCREENSHOTS)
  : path.join(artifactsDir, 'screenshots');

describe('the till with a USB HID scanner, and offline too long', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omo-till-device-e2e-'));
  const usb = fakeUsb();
  /** How far the console's clocks (wall and monotonic) are ahead of the real time: time that "passed". */
  let clockAheadMs = 0;
  let hub: HubProcess;
  let proxy: TcpProxy;
  let core: ConsoleCore;
  let web: WebHost;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  const see = (locator: Locator, timeout = 15_000) => locator.waitFor({ state: 'visible', timeout });
  const panel = () => page.getByRole('region', { name: '掃描結果' });
  const title = (text: string) => panel().getByRole('heading', { name: text, exact: true });
  const status = () => page.getByRole('status', { name: '同步狀態' });
  const nav = (name: string) => page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name });
  const deviceState = () => page.getByRole('status', { name: '裝置狀態' });
  const shot = (name: string) =>
    page.screenshot({ path: path.join(screenshotDir, `till-${name}.png`), animations: 'disabled' });

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    hub = await startHub(await freePort(), path.join(dataDir, 'hub'));
    proxy = await startTcpProxy(Number(new URL(hub.url).port));
    const consoleDir = path.join(dataDir, 'console');
    core = await createConsoleCore({
      dataDir: consoleDir,
      secretStore: createKeyfileSecretStore(consoleDir),
      host: 'web',
      appVersion: '0.0.0-e2e',
      suggestedHubUrl: proxy.url,
      // Time passing, not a clock someone moved: the wall and the monotonic clock move together.
      clock: {
        now: () => new Date(Date.now() + clockAheadMs),
        monotonicMs: () => performance.now() + clockAheadMs,
      },
      hidBackend: usb.backend,
      logger: pino({ level: process.env.CONSOLE_TEST_LOG_LEVEL ?? 'silent' }),
    });
    // The renderer build from `npm run test:e2e` (it builds before the e2e files run).
    web = await startWebHost({ core, port: 0, staticDir: path.join(projectRoot, 'out', 'renderer') });
    ({ browser, page, pageErrors } = await openConsolePage({ viewport: { width: 1280, height: 860 } }));
    // The browser's clock too, so that three days can pass for the status bar and the banner.
    await page.clock.install();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await core?.close();
    await proxy?.close();
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('enrolls at 台中公益店 and signs in as its sales manager', async () => {
    const pairing = hub.demo.pairingCodes.find((p) => p.branchCode === 'TXG');
    const manager = hub.demo.staff.find((s) => s.staffCode === 'M002');
    expect(pairing && manager, 'the hub banner lists TXG pairing codes and M002').toBeTruthy();
    await enrollDevice(page, web.url, pairing!.code);
    await signIn(page, manager!);
    await see(page.getByRole('heading', { name: '收銀台' }));
  });

  it('lists the HID POS scanner (not the keyboard) in Settings and connects to the one chosen', async () => {
    await nav('設定').click();
    await see(deviceState().getByText('未啟用'));
    await page.getByLabel('HID POS 裝置').click();
    // Naive UI's select menu gives its options no ARIA role; its option class is what there is.
    const options = page.locator('.n-base-select-option');
    await expect.poll(() => options.allTextContents()).toEqual(['不使用', 'Xenon 1900 (/dev/hidraw3)']);
    await options.filter({ hasText: 'Xenon 1900' }).click();
    await page.getByRole('button', { name: '儲存掃描器設定' }).click();
    await see(deviceState().getByText('已連接'));
    await see(deviceState().getByText('Xenon 1900'));
    await page.getByText('掃描器設定已儲存').waitFor({ state: 'hidden', timeout: 10_000 });
    expect(usb.isOpen()).toBe(true);
    await page.getByRole('heading', { name: 'HID POS 掃描器' }).scrollIntoViewIfNeeded();
    await shot('hid-connected');
  });

  it('shows a HID scan as the verdict on the till, and redeems it on Enter', async () => {
    await nav('收銀台').click();
    await see(page.getByText('請掃描優惠券條碼'));
    usb.send('TRY-VALID');
    await see(title('可兌換'));
    await see(panel().getByText('TRY-VALID', { exact: true }));
    await see(panel().getByText('掃描器（HID）'));
    await shot('hid-scan');
    await page.keyboard.press('Enter');
    await see(title('兌換成功'));
    await see(panel().getByText('已同步'), 30_000);
  });

  it('shows the scanner unplugged and plugged back in, and scans again after', async () => {
    usb.unplug();
    await nav('設定').click();
    await see(deviceState().getByText('等待裝置連接（未插上）'));
    usb.plug();
    await see(deviceState().getByText('已連接'));
    await nav('收銀台').click();
    await page.keyboard.press('Escape');
    await see(page.getByText('請掃描優惠券條碼'));
    usb.send('TRY-VALID');
    await see(title('已兌換'));
  });

  it('refuses to redeem after three days offline, in words, until the hub is back', async () => {
    // The console loses the hub, then 73 hours pass: the core's wall and monotonic clocks and the
    // browser's clock all move forward together (a monotonic clock never runs back, so the hub-time
    // estimate only sees time that passed after the hub went away).
    proxy.cut();
    await see(status().getByText('離線', { exact: true }), 30_000);
    clockAheadMs = 73 * HOUR_MS;
    await page.clock.fastForward(73 * HOUR_MS);
    await see(page.getByRole('alert').filter({ hasText: /離線中 — 已離線 3 天/ }));
    // Before any scan, the banner no longer says redemptions are kept for later.
    await see(page.getByRole('alert').filter({ hasText: '此裝置離線過久，恢復連線前無法兌換。' }));

    await page.keyboard.press('Escape');
    await see(page.getByText('請掃描優惠券條碼'));
    await wedgeScan(page, 'LRHEGUFD32');
    await see(title('暫時無法兌換'));
    await see(panel().getByText('此裝置離線過久，恢復連線前無法兌換。'));
    await shot('offline-too-long');
    // Enter does not redeem it: the code is still valid (not 已兌換) once the hub is back.
    await page.keyboard.press('Enter');

    proxy.restore();
    await see(status().getByText('已連線', { exact: true }), 60_000);
    await page.keyboard.press('Escape');
    await see(page.getByText('請掃描優惠券條碼'));
    await wedgeScan(page, 'LRHEGUFD32');
    await see(title('可兌換'));
    await page.keyboard.press('Enter');
    await see(title('兌換成功'));
    expect(pageErrors).toEqual([]);
  });
});
