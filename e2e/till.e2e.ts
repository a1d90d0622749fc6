/**
 * The till, for real: a demo hub, start:web enrolled at 台中公益店 (TXG) through a TCP proxy, and
 * Debian's Chromium. Scanner-speed keystrokes (a keyboard-wedge scanner) with the cursor in a text
 * field; every verdict with its reason in words; Enter redeems, Esc clears; the verification code
 * (right, then wrong five times → locked); a person typing at human speed is never a scan; history
 * search and CSV export; offline redemption queued and synced when the hub returns; a real conflict
 * made by a second device, resolved on Needs attention; scanner settings; English.
 *
 * Screenshots: e2e/.artifacts/screenshots, or $E2E_SCREENSHOTS (docs/screenshots) as till-*.png.
 * The renderer build is reused (npm run test:e2e builds it first; console.e2e.ts rebuilds it).
 */
import { maskName } from '../backend-sync/domain/maskName';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  freePort,
  projectRoot,
  startHub,
  startWeb,
  type Child,
  type HubProcess,
  openConsolePage,
} from './processes';
import { enrollDevice, signIn } from './consoleSteps';
import { demoFacts, protocolDevice, startTcpProxy, wedgeScan, type TcpProxy } from './tillSupport';

const screenshotDir = process.env.E2E_SCREENSHOTS
  ? path.resolve(projectRoot, process.env.E2E_SCREENSHOTS)
  : path.join(artifactsDir, 'screenshots');

describe('the till in the browser', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omo-till-e2e-'));
  let hubPort: number;
  let hub: HubProcess;
  let proxy: TcpProxy;
  let web: Child & { url: string };
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  const see = (locator: Locator, timeout = 15_000) => locator.waitFor({ state: 'visible', timeout });
  const shot = (name: string) =>
    page.screenshot({ path: path.join(screenshotDir, `till-${name}.png`), animations: 'disabled' });
  const panel = (name = '掃描結果') => page.getByRole('region', { name });
  const title = (text: string, name?: string) =>
    panel(name).getByRole('heading', { name: text, exact: true });
  const status = () => page.getByRole('status', { name: '同步狀態' });
  const manualField = () => page.getByLabel('手動輸入條碼');
  const nav = (name: string) => page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name });
  const sound = () => page.evaluate(() => document.documentElement.dataset.tillSound ?? null);

  const scan = (code: string) => wedgeScan(page, code);
  /** Esc, then a scan, then the verdict headline and each reason line. */
  async function scanExpect(code: string, headline: string, ...lines: (string | RegExp)[]) {
    await page.keyboard.press('Escape');
    await see(page.getByText('請掃描優惠券條碼'));
    await scan(code);
    await see(title(headline));
    await see(panel().getByText(code, { exact: true }));
    for (const line of lines) await see(panel().getByText(line));
  }

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    hubPort = await freePort();
    hub = await startHub(hubPort, path.join(dataDir, 'hub'));
    proxy = await startTcpProxy(hubPort);
    web = await startWeb({
      hubUrl: proxy.url,
      dataDir: path.join(dataDir, 'web'),
      port: await freePort(),
      build: false,
    });
    ({ browser, page, pageErrors } = await openConsolePage({
      viewport: { width: 1280, height: 860 },
      acceptDownloads: true,
    }));
  });

  // A failed step leaves a picture of the screen behind (never in docs/).
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || !page) return;
    const name = ctx.task.name.replace(/[^\w]+/g, '-').slice(0, 60);
    await page.screenshot({ path: path.join(artifactsDir, `failed-till-${name}.png`) }).catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await proxy?.close();
    await hub?.stop();
  });

  it('enrolls at 台中公益店 and signs in as its sales manager', async () => {
    const pairing = hub.demo.pairingCodes.find((p) => p.branchCode === 'TXG');
    const manager = hub.demo.staff.find((s) => s.staffCode === 'M002');
    expect(pairing && manager, 'the hub banner lists TXG pairing codes and M002').toBeTruthy();
    await enrollDevice(page, web.url, pairing!.code);
    await signIn(page, manager!);
    await see(page.getByRole('heading', { name: '收銀台' }));
  });

  it('takes scanner-speed keys for a scan even with the cursor in a text field, which stays empty', async () => {
    await manualField().click();
    await scan('TRY-VALID');
    await see(title('可兌換'));
    await see(panel().getByText(/^有效期至 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/));
    await see(panel().getByText('全店 9 折券 · 10% off storewide'));
    await see(panel().getByText('Enter 兌換 · Esc 取消'));
    expect(await manualField().inputValue()).toBe('');
    expect(await sound()).toBe('success');
    await shot('valid');
  });

  it('redeems on Enter, says 兌換成功 only then, and shows the redemption synced', async () => {
    await page.keyboard.press('Enter');
    await see(title('兌換成功'));
    await see(panel().getByText('已同步'), 20_000);
    await see(page.getByRole('complementary').getByText('TRY-VALID'));
    expect(await sound()).toBe('success');
    await shot('redeemed');
  });

  it('says when, where and by whom a code was already redeemed', async () => {
    await scanExpect('TRY-VALID', '已兌換', /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 於 台中公益店 .* 由 劉雅婷$/);
    // Redeemed at 台北信義店 by S001: that branch's staff are not synced here, the claim names her.
    await scanExpect(
      'TRY-REDEEMED',
      '已兌換',
      /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 於 台北信義店 .* 由 林小美$/,
    );
    expect(await sound()).toBe('failure');
    await shot('already-redeemed');
  });

  it('shows expired, not yet valid, draft, unknown and unreadable codes in words', async () => {
    await scanExpect('TRY-EXPIRED', '已過期', /^有效期至 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
    expect(await sound()).toBe('failure');
    await shot('expired');
    await scanExpect('TRY-NOTYET', '使用期限未到', /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} 起可使用$/);
    await shot('not-yet-valid');
    await scanExpect('TRY-UNKNOWN', '查無此條碼');
    await shot('unknown');
    await scanExpect('2000000000012', '條碼無法辨識', 'EAN-13 檢查碼不符，可能是誤讀，請重新掃描。');
    await shot('invalid-input');

    // A damaged barcode: typed into the manual field, Enter looks it up.
    await page.keyboard.press('Escape');
    await manualField().fill('TRY-DRAFT');
    await manualField().press('Enter');
    await see(title('優惠券仍為草稿'));
    await see(panel().getByText('此優惠券尚未發布，不能兌換。'));
    expect(await manualField().inputValue()).toBe('');
    await shot('draft');
  });

  it('shows a claim whose coupon is not valid at this branch with the branches where it is', async () => {
    // TRY-XINYI: a 台北信義店-only coupon, scanned at 台中公益店.
    await scanExpect('TRY-XINYI', '此分店不適用', '適用分店：台北信義店');
    await see(panel().getByText('信義店限定 滿千折百 · NT$100 off, Xinyi only'));
    expect(await sound()).toBe('failure');
    await shot('wrong-branch');
  });

  it('asks for the claim QR after a fixed code, and takes the QR', async () => {
    await scanExpect('OMO2026VIP', '請掃描顧客的優惠券 QR 碼', /這是固定序號/);
    await shot('needs-claim-qr');
    const facts = await demoFacts(hub.url);
    const claim = (await facts.fixedCodeClaims('OMO2026VIP')).find((c) => c.code !== 'XYLBWNG2YL')!;
    await scanExpect(`OMO-CT1-${claim.claimToken}`, '可兌換');
    // Tills get the customer's name masked (docs/protocol.md); the admin API has it in full.
    await see(panel().getByText(maskName(claim.customerName) ?? '—', { exact: true }));
  });

  it('redeems a coupon that needs a verification code once the right code is typed', async () => {
    await scanExpect('27M2Y3WGRP', '可兌換');
    await page.keyboard.press('Enter');
    const code = page.getByLabel('驗證碼', { exact: true });
    await see(code);
    await expect.poll(() => code.evaluate((el) => el === document.activeElement)).toBe(true);
    await shot('verification');
    await code.fill('2468');
    await code.press('Enter');
    await see(title('兌換成功'));
  });

  it('locks the coupon on this device after five wrong verification codes', async () => {
    await scanExpect('TRY-VERIFY', '可兌換');
    await page.keyboard.press('Enter');
    const code = page.getByLabel('驗證碼', { exact: true });
    for (let left = 4; left >= 1; left--) {
      await code.fill('1111');
      await code.press('Enter');
      // The failure is the headline, as big as the verdict was: no green 可兌換 above a small note.
      await see(title('驗證碼錯誤'));
      await see(panel().getByText(`優惠券尚未兌換。還可再試 ${left} 次。`));
      expect(await title('可兌換').count()).toBe(0);
      if (left === 4) await shot('verification-wrong');
    }
    await code.fill('1111');
    await code.press('Enter');
    const lockedLine = /^驗證碼錯誤次數過多，此優惠券在本裝置鎖定至 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}。$/;
    await see(title('暫時無法兌換'));
    await see(panel().getByText(lockedLine));
    expect(await code.count()).toBe(0);
    expect(await sound()).toBe('failure');
    await shot('locked');
    // Scanned again, the lock shows at once: it is kept on this device.
    await scanExpect('TRY-VERIFY', '暫時無法兌換', lockedLine);
    await page.keyboard.press('Enter');
    expect(await code.count()).toBe(0);
    await page.keyboard.press('Escape');
  });

  it('never takes a person typing in the history search for a scan', async () => {
    await nav('紀錄').click();
    await see(page.getByRole('heading', { name: '紀錄' }));
    const search = page.getByLabel('搜尋條碼或顧客');
    await search.click();
    await page.keyboard.type('TRY-VALID', { delay: 120 });
    await page.keyboard.press('Enter');
    expect(await search.inputValue()).toBe('TRY-VALID');
    await see(page.getByRole('cell', { name: 'TRY-VALID' }));
    await see(page.getByText('共 1 筆'));
    expect(await page.getByRole('region', { name: '掃描結果' }).count()).toBe(0);
    expect(page.url()).toContain('#/history');
    await shot('history-search');
  });

  it('lists this device and this branch, and exports the CSV as the core wrote it', async () => {
    await page.getByLabel('搜尋條碼或顧客').fill('');
    await see(page.getByRole('cell', { name: '27M2Y3WGRP' }));
    await page.getByText('此分店', { exact: true }).click();
    await expect.poll(() => page.getByRole('radio', { name: '此分店' }).isChecked()).toBe(true);
    await see(page.getByRole('cell', { name: 'TRY-VALID' }));
    await shot('history');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '匯出 CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('TRY-VALID');
    expect(csv).toContain('27M2Y3WGRP');
  });

  it('moves to the till when a scan arrives on another screen, leaving the focused field alone', async () => {
    const search = page.getByLabel('搜尋條碼或顧客');
    await search.click();
    await scan('TRY-OPEN');
    await see(title('可兌換'));
    expect(page.url()).toContain('#/till');
    await page.keyboard.press('Escape');
  });

  it('redeems offline: the banner says for how long and how much waits; synced when the hub returns', async () => {
    await hub.stop('SIGTERM');
    await see(status().getByText('離線', { exact: true }), 10_000);
    await see(page.getByRole('alert').filter({ hasText: /離線中 — 已離線 .*，\d+ 筆兌換待同步/ }));
    await scanExpect('BTDE3EZXB5', '可兌換');
    await page.keyboard.press('Enter');
    await see(title('兌換成功'));
    await see(panel().getByText('待同步'));
    await see(page.getByRole('alert').filter({ hasText: /離線中 — 已離線 .*，1 筆兌換待同步/ }));
    await shot('offline');
    hub = await startHub(hubPort, path.join(dataDir, 'hub'));
    await see(panel().getByText('已同步'), 60_000);
    await see(status().getByText('已連線', { exact: true }));
  });

  it('shows a conflict made by another device in Needs attention, where the manager resolves it', async () => {
    const facts = await demoFacts(hub.url);
    const claim = (await facts.fixedCodeClaims('OMO2026VIP')).find((c) => c.code === 'XYLBWNG2YL')!;
    const pairing = hub.demo.pairingCodes.filter((p) => p.branchCode === 'TXG')[1]!;
    const other = await protocolDevice(hub.url, pairing.code, '櫃台 2');
    try {
      proxy.cut();
      await see(status().getByText('離線', { exact: true }), 10_000);
      await scanExpect('XYLBWNG2YL', '可兌換');
      await page.keyboard.press('Enter');
      await see(panel().getByText('待同步'));
      // The other counter redeemed the same code a minute earlier; the hub keeps the earliest.
      const answer = await other.redeem(
        claim,
        { id: facts.staffId('S003'), pin: '3333' },
        new Date(Date.now() - 60_000),
      );
      expect(answer?.status).toBe('applied');
    } finally {
      other.close();
      proxy.restore();
    }
    await see(panel().getByText('衝突'), 60_000);
    await see(page.getByRole('link', { name: /需要處理.*1 件需要處理/ }));
    await nav('需要處理').click();
    await see(page.getByRole('heading', { name: '需要處理' }));
    const winner = page.getByRole('region', { name: '雲端保留的兌換' });
    await see(winner.getByText('蔡宗翰'));
    await see(page.getByRole('region', { name: '被判為衝突的兌換' }).getByText('劉雅婷'));
    await see(page.getByText('條碼 XYLBWNG2YL'));
    await shot('needs-attention');
    await page.getByRole('button', { name: '作廢此筆兌換' }).click();
    await see(page.getByText('確定要作廢條碼 XYLBWNG2YL 的這筆兌換嗎？作廢後無法復原。'));
    await shot('void-confirm');
    await page.getByRole('button', { name: '取消' }).click();
    await page.getByRole('button', { name: '確認知悉' }).click();
    await see(page.getByText('目前沒有需要處理的項目。'));
  });

  it('shows the scanner settings and saves new thresholds', async () => {
    await nav('設定').click();
    const minLength = page.getByLabel('最短條碼長度（字元）');
    await see(minLength);
    await see(page.getByRole('status', { name: '裝置狀態' }).getByText('未啟用'));
    await minLength.fill('5');
    await page.getByRole('button', { name: '儲存掃描器設定' }).click();
    await see(page.getByText('掃描器設定已儲存'));
    await page.getByText('掃描器設定已儲存').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.getByRole('heading', { name: 'HID POS 掃描器' }).scrollIntoViewIfNeeded();
    await shot('scanner-settings');
  });

  it('speaks English: valid and expired verdicts', async () => {
    await page.getByText('English', { exact: true }).click();
    await see(page.getByRole('heading', { name: 'Settings' }));
    await see(page.getByText('Language updated'));
    await page.getByText('Language updated').waitFor({ state: 'hidden', timeout: 10_000 });
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Till' }).click();
    await page.keyboard.press('Escape');
    await see(page.getByText('Scan a coupon barcode'));
    await scan('LRHEGUFD32');
    await see(title('Valid', 'Scan result'));
    await see(panel('Scan result').getByText(/^Valid until \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}$/));
    await shot('valid-en');
    await page.keyboard.press('Escape');
    await scan('FTBJNLFAAZ');
    await see(title('Expired', 'Scan result'));
    await see(panel('Scan result').getByText(/^Was valid until /));
    await shot('expired-en');
    await page.keyboard.press('Escape');
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'History' }).click();
    await see(page.getByRole('cell', { name: 'BTDE3EZXB5' }));
    await shot('history-en');
    expect(pageErrors).toEqual([]);
  });
});
