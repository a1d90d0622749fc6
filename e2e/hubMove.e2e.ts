/**
 * A till whose hub moves, for real: start:web restarted with the same data keeps its embedded
 * hub's port (the console stays online); a hub process restarted on another port is followed from
 * Settings once it proves it is the hub that enrolled the device (a stranger's hub is refused);
 * a device that leaves and enrolls again keeps what it redeemed offline (and is told in words why
 * another brand's pairing code is refused while it waits). The redemptions queued
 * offline reach the hub exactly once, checked in the hub's own database. The device name typed at
 * enrollment is the one the hub records and the history shows.
 *
 * Screenshots: e2e/.artifacts/screenshots (or $E2E_SCREENSHOTS) as settings-hub-*.png.
 */
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  freePort,
  openConsolePage,
  projectRoot,
  startHub,
  startWeb,
  waitUntil,
  type Child,
  type HubProcess,
} from './processes';
import { enrollDevice, signIn } from './consoleSteps';
import { wedgeScan } from './tillSupport';

const screenshotDir = process.env.E2E_SCREENSHOTS
  ? path.resolve(projectRoot, process.env.E2E_SCREENSHOTS)
  : path.join(artifactsDir, 'screenshots');

const MANAGER = { staffCode: 'M001', pin: '5678' };

/** A pairing code of a brand other than the demo's, made through the hub's admin API. */
async function otherBrandPairingCode(hubUrl: string): Promise<string> {
  const admin = async (route: string, body: unknown) => {
    const res = await fetch(`${hubUrl}/api/admin${route}`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-admin-token', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, route).toBe(201);
    return (await res.json()) as { id: string; pairingCode?: string };
  };
  const brand = await admin('/brands', { name: '別家咖啡 Other Coffee' });
  const branch = await admin(`/brands/${brand.id}/branches`, { name: '別家一店', code: 'OTH' });
  const device = await admin(`/brands/${brand.id}/devices`, { branchId: branch.id, name: 'Other till' });
  return device.pairingCode!;
}

/** The hub's own record of a claim's redemptions (SQLite file of the hub process). */
function hubRedemptions(hubDir: string, code: string): { device_id: string; device_name: string }[] {
  const db = new Database(path.join(hubDir, 'hub.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT r.device_id, d.name AS device_name FROM redemptions r
           JOIN claims c ON c.id = r.claim_id JOIN devices d ON d.id = r.device_id
          WHERE c.code = ?`,
      )
      .all(code) as { device_id: string; device_name: string }[];
  } finally {
    db.close();
  }
}

describe('a till whose hub moves', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omo-hub-move-e2e-'));
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  const children: Child[] = [];

  const see = (locator: Locator, timeout = 15_000) => locator.waitFor({ state: 'visible', timeout });
  const status = () => page.getByRole('status', { name: '同步狀態' });
  const online = () => see(status().getByText('已連線', { exact: true }), 60_000);
  const offline = () => see(status().getByText('離線', { exact: true }), 20_000);
  const nav = (name: string) => page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name });
  const panel = () => page.getByRole('region', { name: '掃描結果' });
  const title = (text: string) => panel().getByRole('heading', { name: text, exact: true });
  const hubField = () => page.getByLabel('雲端伺服器網址');
  const shot = (name: string) =>
    page.screenshot({ path: path.join(screenshotDir, `settings-hub-${name}.png`), animations: 'disabled' });

  async function redeemOffline(code: string) {
    await nav('收銀台').click();
    await page.keyboard.press('Escape');
    await see(page.getByText('請掃描優惠券條碼'));
    await wedgeScan(page, code);
    await see(title('可兌換'));
    await page.keyboard.press('Enter');
    await see(title('兌換成功'));
    await see(panel().getByText('待同步'));
  }

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    ({ browser, page, pageErrors } = await openConsolePage({ viewport: { width: 1024, height: 768 } }));
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || !page) return;
    const name = ctx.task.name.replace(/[^\w]+/g, '-').slice(0, 60);
    await page.screenshot({ path: path.join(artifactsDir, `failed-hub-move-${name}.png`) }).catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    for (const child of children.reverse()) await child.stop();
  });

  it('keeps the embedded hub on its port when start:web restarts, so the console stays online', async () => {
    const webDir = path.join(dataDir, 'embedded');
    const port = await freePort();
    let web = await startWeb({ hubUrl: null, dataDir: webDir, port, build: false });
    children.push(web);
    const embeddedHubUrl = async (child: Child) => {
      await waitUntil('start:web to name its hub', async () => /Hub: {3}http/.test(child.output()), 30_000);
      return /Hub: {3}(http\S+)/.exec(child.output())![1]!;
    };
    const firstUrl = await embeddedHubUrl(web);
    await enrollDevice(page, web.url, 'DEMO-TPE1');
    await signIn(page, MANAGER);

    await web.stop();
    children.splice(children.indexOf(web), 1);
    web = await startWeb({ hubUrl: null, dataDir: webDir, port, build: false });
    children.push(web);
    expect(await embeddedHubUrl(web)).toBe(firstUrl);
    await page.goto(web.url);
    await see(page.getByRole('heading', { name: '員工登入' }), 30_000);
    await signIn(page, MANAGER); // waits for 已連線
    await page.goto('about:blank');
    await web.stop();
    children.splice(children.indexOf(web), 1);
    // The page lost its web host once on purpose (failed chunk loads, refused sockets): what
    // follows must run clean.
    pageErrors.length = 0;
  });

  describe('with the hub as its own process', () => {
    const hubDir = path.join(dataDir, 'hub');
    let hub: HubProcess;
    let web: Child & { url: string };
    let movedPort: number;

    beforeAll(async () => {
      hub = await startHub(await freePort(), hubDir);
      children.push(hub);
      web = await startWeb({
        hubUrl: hub.url,
        dataDir: path.join(dataDir, 'web'),
        port: await freePort(),
        build: false,
      });
      children.push(web);
    });

    it('records the device name typed at enrollment at the hub and in the history', async () => {
      await enrollDevice(page, web.url, 'DEMO-TPE2'); // the form's device name: 櫃台 1
      await signIn(page, MANAGER);
      await see(page.getByText('請掃描優惠券條碼'));
      await wedgeScan(page, 'TRY-OPEN');
      await see(title('可兌換'));
      await page.keyboard.press('Enter');
      await see(panel().getByText('已同步'), 30_000);
      expect(hubRedemptions(hubDir, 'TRY-OPEN').map((r) => r.device_name)).toEqual(['櫃台 1']);
      await nav('紀錄').click();
      await see(page.getByRole('cell', { name: '櫃台 1' }).first(), 30_000);
    });

    it('follows the hub to its new port only once the hub there proves it enrolled this device', async () => {
      await hub.stop();
      children.splice(children.indexOf(hub), 1);
      await offline();
      await redeemOffline('TRY-VALID');
      // The sync ledger lists it, with what to do.
      await page.getByRole('button', { name: '同步紀錄' }).click();
      const entry = page.getByTestId('ledger-entry').filter({ hasText: 'TRY-VALID' });
      await see(entry.getByText('等待上傳'));
      await see(entry.getByText('恢復連線後會自動上傳，不需處理。'));
      await page.keyboard.press('Escape');

      movedPort = await freePort();
      hub = await startHub(movedPort, hubDir);
      children.push(hub);
      // Another demo hub (same seed, so the same brand and device ids) that never enrolled us.
      const stranger = await startHub(await freePort(), path.join(dataDir, 'stranger'), 'stranger-hub');
      children.push(stranger);

      await nav('設定').click();
      await hubField().fill(stranger.url);
      await page.getByRole('button', { name: '更改網址' }).click();
      await see(page.getByText('這個網址上的伺服器無法證明它是註冊此裝置的伺服器，未更改網址。'));
      await shot('refused');
      await offline();

      await hubField().fill(hub.url);
      await page.getByRole('button', { name: '更改網址' }).click();
      await online();
      await shot('moved');
      await waitUntil(
        'the queued redemption at the hub',
        async () => hubRedemptions(hubDir, 'TRY-VALID').length > 0,
        30_000,
      );
      await see(status().getByText('待上傳 0', { exact: true }), 30_000);
      expect(hubRedemptions(hubDir, 'TRY-VALID')).toHaveLength(1);
      expect(hubRedemptions(path.join(dataDir, 'stranger'), 'TRY-VALID')).toHaveLength(0);
    });

    it('leaves and enrolls again without losing what was redeemed offline, sent exactly once', async () => {
      await hub.stop();
      children.splice(children.indexOf(hub), 1);
      await offline();
      await redeemOffline('BTDE3EZXB5');
      await nav('設定').click();
      await page.getByRole('button', { name: '退出並重新註冊' }).click();
      const confirm = page.getByRole('dialog');
      await see(confirm.getByText(/尚未上傳的 1 筆資料會保留/));
      await shot('leave');
      await confirm.getByRole('button', { name: '退出並重新註冊' }).click();
      await see(page.getByRole('heading', { name: '註冊此裝置' }));
      expect(await page.getByLabel('雲端伺服器網址').inputValue()).toBe(hub.url);

      hub = await startHub(movedPort, hubDir);
      children.push(hub);
      // Another brand's code is refused in words while the redemption waits, and stays usable.
      await page.getByLabel('配對碼').fill(await otherBrandPairingCode(hub.url));
      await page.getByRole('button', { name: '註冊裝置' }).click();
      await see(
        page
          .getByRole('alert')
          .getByText(
            '此裝置還有 1 筆「OMO 示範品牌」的資料尚未上傳，不能註冊到其他品牌。請改用原品牌的配對碼。',
          ),
      );
      await shot('other-brand');
      await page.getByLabel('配對碼').fill('DEMO-TPE3');
      await page.getByRole('button', { name: '註冊裝置' }).click();
      await see(page.getByRole('heading', { name: '員工登入' }), 90_000);
      await signIn(page, MANAGER);
      await waitUntil(
        'the redemption queued before leaving, at the hub',
        async () => hubRedemptions(hubDir, 'BTDE3EZXB5').length > 0,
        30_000,
      );
      await see(status().getByText('待上傳 0', { exact: true }), 30_000);
      expect(hubRedemptions(hubDir, 'BTDE3EZXB5')).toHaveLength(1);
      // Nothing queued earlier went out twice.
      expect(hubRedemptions(hubDir, 'TRY-VALID')).toHaveLength(1);
      expect(hubRedemptions(hubDir, 'TRY-OPEN')).toHaveLength(1);
      expect(pageErrors).toEqual([]);
    });
  });
});
