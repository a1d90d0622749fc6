/**
 * What a shop's IT relies on, in the browser build: the page reloading (as the desktop app does
 * after its renderer process dies, electron/main/crash.ts) loses nothing queued — the outbox lives
 * in the console core, not in the page — and Settings → Diagnostics writes a zip with logs,
 * versions, sync status and outbox summary but no PIN or token.
 *
 * Screenshots: e2e/.artifacts/screenshots, or $E2E_SCREENSHOTS (docs/screenshots) as shipping-*.png.
 */
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { enrollDevice, signIn } from './consoleSteps';
import {
  artifactsDir,
  freePort,
  openConsolePage,
  projectRoot,
  startHub,
  startWeb,
  type Child,
  type HubProcess,
} from './processes';
import { wedgeScan } from './tillSupport';

const screenshotDir = process.env.E2E_SCREENSHOTS
  ? path.resolve(projectRoot, process.env.E2E_SCREENSHOTS)
  : path.join(artifactsDir, 'screenshots');

describe('shipping: reloads and diagnostics', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omo-shipping-e2e-'));
  let hubPort: number;
  let hub: HubProcess;
  let web: Child & { url: string };
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  const see = (locator: Locator, timeout = 15_000) => locator.waitFor({ state: 'visible', timeout });
  const status = () => page.getByRole('status', { name: '同步狀態' });
  const queuedBanner = (n: number) =>
    page.getByRole('alert').filter({ hasText: new RegExp(`離線中 — 已離線 .*，${n} 筆兌換待同步`) });
  const nav = (name: string) => page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name });
  const shot = (name: string) =>
    page.screenshot({
      path: path.join(screenshotDir, `shipping-${name}.png`),
      animations: 'disabled',
      fullPage: true,
    });

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    hubPort = await freePort();
    hub = await startHub(hubPort, path.join(dataDir, 'hub'));
    web = await startWeb({
      hubUrl: hub.url,
      dataDir: path.join(dataDir, 'web'),
      port: await freePort(),
      build: false,
    });
    ({ browser, page, pageErrors } = await openConsolePage({ viewport: { width: 1280, height: 860 } }));
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || !page) return;
    const name = ctx.task.name.replace(/[^\w]+/g, '-').slice(0, 60);
    await page.screenshot({ path: path.join(artifactsDir, `failed-shipping-${name}.png`) }).catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await hub?.stop();
  });

  it('enrolls and signs in', async () => {
    const pairing = hub.demo.pairingCodes.find((p) => p.branchCode === 'TPE')!;
    const staff = hub.demo.staff.find((s) => s.staffCode === 'S001')!;
    await enrollDevice(page, web.url, pairing.code);
    await signIn(page, staff);
    await see(page.getByRole('heading', { name: '收銀台' }));
  });

  it('keeps a redemption queued offline across a page reload, and syncs it when the hub returns', async () => {
    await hub.stop('SIGTERM');
    await see(status().getByText('離線', { exact: true }), 10_000);
    await page.keyboard.press('Escape');
    await wedgeScan(page, 'TRY-VALID');
    await see(page.getByRole('heading', { name: '可兌換', exact: true }));
    await page.keyboard.press('Enter');
    await see(page.getByRole('heading', { name: '兌換成功', exact: true }));
    await see(queuedBanner(1));

    // What main does when the renderer process dies: load the page again.
    await page.reload();
    await see(queuedBanner(1), 30_000);
    const recent = page.getByRole('list', { name: '此裝置最近的兌換' });
    await see(recent.getByText(/TRY-VALID/));
    await see(recent.getByText('待同步'));

    hub = await startHub(hubPort, path.join(dataDir, 'hub'));
    await see(status().getByText('已連線', { exact: true }), 60_000);
    await see(recent.getByText('已同步'), 60_000);
  });

  it('saves diagnostics from Settings: logs, versions, sync status, outbox summary, nothing secret', async () => {
    await nav('設定').click();
    await see(page.getByRole('heading', { name: '設定' }));
    await page.getByRole('button', { name: '儲存診斷資料' }).click();
    const saved = page.getByRole('status').filter({ hasText: '已儲存診斷資料' });
    await see(saved);
    const file = (await saved.locator('code').innerText()).trim();
    expect(file.startsWith(path.join(dataDir, 'web'))).toBe(true);
    const files = unzipSync(readFileSync(file));
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['versions.json', 'device.json', 'sync-status.json', 'outbox-summary.json']),
    );
    expect(JSON.parse(strFromU8(files['sync-status.json']!))).toMatchObject({
      connection: 'online',
      queued: 0,
    });
    expect(JSON.parse(strFromU8(files['outbox-summary.json']!))).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'redemption.create', status: 'synced', count: 1 }),
      ]),
    );
    const everything = Object.values(files)
      .map((b) => strFromU8(b))
      .join('\n');
    expect(everything).not.toContain('"1111"');
    expect(everything).not.toMatch(/deviceToken"\s*:\s*"[^[]/);
    await page.getByRole('button', { name: '儲存診斷資料' }).scrollIntoViewIfNeeded();
    await shot('settings-diagnostics');
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.getByRole('button', { name: '儲存診斷資料' }).scrollIntoViewIfNeeded();
    await page.screenshot({
      path: path.join(screenshotDir, 'shipping-settings-diagnostics-1024.png'),
      animations: 'disabled',
    });
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('says the same in English', async () => {
    await page.getByText('English', { exact: true }).click();
    await see(page.getByText('Diagnostics', { exact: true }));
    await page.getByRole('button', { name: 'Save diagnostics' }).click();
    await see(page.getByRole('status').filter({ hasText: /^Diagnostics saved \(\d+ KB\):/ }));
    await page.getByRole('button', { name: 'Save diagnostics' }).scrollIntoViewIfNeeded();
    await shot('settings-diagnostics-en');
  });

  it('left no page errors behind', () => {
    expect(pageErrors).toEqual([]);
  });
});
