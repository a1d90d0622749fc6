/**
 * Every screen on the screens shops have — 1024×768, 1366×768 and 1920×1080 — in Chromium:
 * no horizontal scrolling; on the till the verdict's headline, its action (Redeem and the key
 * hints) and the verification prompt stay in view; axe-core finds nothing "serious" or "critical"
 * on any screen; and the till works from the keyboard alone (scan, Enter redeems, Esc clears,
 * Tab reaches the manual field's button and the navigation).
 *
 * Screenshots: e2e/.artifacts/screenshots (or $E2E_SCREENSHOTS) as screen-<name>-<w>x<h>.png.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const SIZES = [
  { width: 1024, height: 768 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core in the page: the "serious" and "critical" findings, as id + where. */
async function axeFindings(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } })
      .axe;
    const result = await axe.run({ resultTypes: ['violations'] });
    return result.violations;
  });
  return (violations as AxeFinding[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('every screen at shop PC sizes, accessible', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omo-screens-e2e-'));
  let hub: HubProcess;
  let web: Child & { url: string };
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  const findings: string[] = [];

  const see = (locator: Locator, timeout = 15_000) => locator.waitFor({ state: 'visible', timeout });
  const nav = (name: string) => page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name });
  const panel = () => page.getByRole('region', { name: '掃描結果' });
  const title = (text: string) => panel().getByRole('heading', { name: text, exact: true });

  /** At each size: no horizontal scroll, a screenshot, and axe's serious/critical findings. */
  async function checkScreen(name: string, ready: () => Promise<void>, inView: () => Locator[] = () => []) {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await ready();
      const overflow = await page.evaluate(() => {
        const el = document.scrollingElement ?? document.documentElement;
        return el.scrollWidth - el.clientWidth;
      });
      expect(overflow, `${name} at ${size.width}×${size.height} scrolls sideways`).toBeLessThanOrEqual(0);
      for (const locator of inView()) {
        const box = await locator.boundingBox();
        expect(box, `${name}: ${locator.toString()} is not shown`).not.toBeNull();
        expect(
          box!.y >= 0 && box!.y + box!.height <= size.height,
          `${name} at ${size.width}×${size.height}: ${locator.toString()} is out of view (y ${Math.round(box!.y)}–${Math.round(box!.y + box!.height)})`,
        ).toBe(true);
      }
      await page.screenshot({
        path: path.join(screenshotDir, `screen-${name}-${size.width}x${size.height}.png`),
        animations: 'disabled',
      });
      findings.push(...(await axeFindings(page)).map((f) => `${name} ${size.width}×${size.height}: ${f}`));
    }
  }

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    hub = await startHub(await freePort(), path.join(dataDir, 'hub'));
    web = await startWeb({
      hubUrl: hub.url,
      dataDir: path.join(dataDir, 'web'),
      port: await freePort(),
      build: false,
    });
    ({ browser, page, pageErrors } = await openConsolePage({ viewport: SIZES[0] }));
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await hub?.stop();
  });

  it('enrollment and sign-in', async () => {
    await page.goto(web.url);
    await checkScreen('enroll', () => see(page.getByRole('heading', { name: '註冊此裝置' }), 30_000));
    await enrollDevice(page, web.url, 'DEMO-TPE1');
    await checkScreen('signin', () => see(page.getByRole('heading', { name: '員工登入' })));
  });

  it('says "sign in first" for a scan on the sign-in screen, typing nothing', async () => {
    const staffCode = page.getByLabel('員工代碼');
    await staffCode.focus();
    await wedgeScan(page, 'TRY-VALID');
    await see(page.getByText('請先登入，再掃描優惠券。'));
    expect(await staffCode.inputValue()).toBe('');
    await signIn(page, { staffCode: 'M001', pin: '5678' });
  });

  it('the till: idle, a valid verdict with its action, a wrong verification code with the prompt', async () => {
    await checkScreen('till-idle', () => see(page.getByText('請掃描優惠券條碼')));
    await wedgeScan(page, 'TRY-VALID');
    await checkScreen(
      'till-valid',
      () => see(title('可兌換')),
      () => [
        title('可兌換'),
        panel().getByRole('button', { name: '兌換' }),
        panel().getByText('Enter 兌換 · Esc 取消'),
      ],
    );
    await page.keyboard.press('Escape');
    await wedgeScan(page, 'TRY-VERIFY');
    await see(title('可兌換'));
    await page.keyboard.press('Enter');
    const code = page.getByLabel('驗證碼', { exact: true });
    await code.fill('1111');
    await code.press('Enter');
    await checkScreen(
      'till-wrong-code',
      () => see(title('驗證碼錯誤')),
      () => [
        title('驗證碼錯誤'),
        panel().getByText(/還可再試 4 次/),
        code,
        panel().getByRole('button', { name: '確認兌換' }),
      ],
    );
    await page.keyboard.press('Escape');
  });

  it('redeems with the keyboard alone, and Tab from the manual field reaches its button', async () => {
    await page.setViewportSize(SIZES[0]);
    await wedgeScan(page, 'BTDE3EZXB5');
    await see(title('可兌換'));
    await page.keyboard.press('Enter');
    await see(title('兌換成功'));
    await page.keyboard.press('Escape');
    const manual = page.getByLabel('手動輸入條碼');
    await manual.focus();
    // Tab from the (empty) manual field lands on its button, not on nothing.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')).toBe('查詢');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.type('TRY-EXPIRED', { delay: 120 });
    await page.keyboard.press('Enter');
    await see(title('已過期'));
    await page.keyboard.press('Escape');
  });

  it('keeps a scan made while a dialog is open until it closes, and the draft in it', async () => {
    await nav('顧客').click();
    await page.getByTestId('broadcast-open').click();
    const dialog = page.getByTestId('broadcast-dialog');
    await see(dialog);
    const draft = page.getByTestId('broadcast-text');
    await draft.fill('週末全館 9 折，歡迎光臨');
    await wedgeScan(page, 'TRY-XINYI');
    await see(page.getByText('已收到掃描，關閉對話框後顯示結果。'));
    expect(await dialog.isVisible()).toBe(true);
    expect(await draft.inputValue()).toBe('週末全館 9 折，歡迎光臨');
    await page.keyboard.press('Escape');
    await see(title('可兌換'));
    await see(panel().getByText('TRY-XINYI', { exact: true }));
    await page.keyboard.press('Escape');
  });

  it('history, needs attention, customers, my QR and settings', async () => {
    await nav('紀錄').click();
    await checkScreen('history', () => see(page.getByRole('cell', { name: 'BTDE3EZXB5' })));
    await nav('需要處理').click();
    await checkScreen('attention', () => see(page.getByRole('heading', { name: '需要處理' })));
    await nav('顧客').click();
    await checkScreen('customers', () => see(page.getByRole('heading', { name: '顧客', exact: true })));
    await nav('我的 QR 碼').click();
    await checkScreen('my-qr', () => see(page.getByRole('heading', { name: '我的 QR 碼' })));
    await nav('設定').click();
    await checkScreen('settings', () => see(page.getByRole('heading', { name: '設定', exact: true })));
    await page.getByRole('button', { name: '同步紀錄' }).click();
    await checkScreen('sync-ledger', () => see(page.getByRole('button', { name: '立即同步' })));
    await page.keyboard.press('Escape');
  });

  it('finds nothing serious or critical with axe-core on any screen', () => {
    console.log(`axe-core serious/critical findings: ${findings.length}`);
    expect(findings).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
