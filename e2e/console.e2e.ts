/**
 * The console in a browser, for real: start:web + a hub child process + Debian's Chromium.
 * Enroll with a demo pairing code, sign in, see "online"; stop the hub and see "offline" within
 * 5 s; sign in again while offline (queues a staff.signin mutation); start the hub on the same
 * port and see "online" and the queue drain. Also: a wrong PIN, the language switch, and English
 * dates in the locale the brand sets in the back office.
 *
 * Screenshots go to e2e/.artifacts/screenshots, or to $E2E_SCREENSHOTS (docs/screenshots to
 * refresh the documentation's pictures).
 */
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  freePort,
  projectRoot,
  startHub,
  startWeb,
  type Child,
  type HubProcess,
  openConsolePage,
  waitUntil,
} from './processes';

const screenshotDir = process.env.E2E_SCREENSHOTS
  ? path.resolve(projectRoot, process.env.E2E_SCREENSHOTS)
  : path.join(artifactsDir, 'screenshots');

describe('OMO Store Console in the browser', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omo-e2e-'));
  let hubPort: number;
  let hub: HubProcess;
  let web: Child & { url: string };
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  let staff: { staffCode: string; pin: string };

  const status = () => page.getByRole('status', { name: '同步狀態' });
  const shot = (name: string) =>
    page.screenshot({ path: path.join(screenshotDir, `${name}.png`), animations: 'disabled' });
  const see = (locator: Locator, timeout = 15_000) => locator.waitFor({ state: 'visible', timeout });

  async function signIn(staffCode: string, pin: string) {
    await page.getByLabel('員工代碼').fill(staffCode);
    await page.getByLabel('PIN 密碼').fill(pin);
    await page.getByLabel('PIN 密碼').press('Enter');
  }

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    hubPort = await freePort();
    hub = await startHub(hubPort, path.join(dataDir, 'hub'));
    web = await startWeb({
      hubUrl: hub.url,
      dataDir: path.join(dataDir, 'web'),
      port: await freePort(),
      build: false, // npm run test:e2e builds the renderer once for every e2e file
    });
    ({ browser, page, pageErrors } = await openConsolePage());
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await hub?.stop();
  });

  it('enrolls with a demo pairing code, prefilled with the hub URL', async () => {
    const pairing = hub.demo.pairingCodes[0];
    expect(pairing, 'the hub banner lists pairing codes').toBeDefined();
    const candidate = hub.demo.staff.find((s) => s.branchCode === pairing!.branchCode) ?? hub.demo.staff[0];
    expect(candidate, 'the hub banner lists sign-ins').toBeDefined();
    staff = candidate!;

    await page.goto(web.url);
    await see(page.getByRole('heading', { name: '註冊此裝置' }));
    expect(await page.getByLabel('雲端伺服器網址').inputValue()).toBe(hub.url);
    await page.getByLabel('配對碼').fill(pairing!.code);
    await shot('01-enrollment');
    await page.getByRole('button', { name: '註冊裝置' }).click();

    // The first sync may finish before the progress bar can be seen; photograph it if we catch it.
    const progress = page.getByRole('progressbar', { name: '首次同步進度' });
    const signInHeading = page.getByRole('heading', { name: '員工登入' });
    await see(progress.or(signInHeading), 60_000);
    if (await progress.isVisible()) await shot('02-first-sync');
    await see(signInHeading, 60_000);
    await shot('03-sign-in');
  });

  it('says so in words when the PIN is wrong', async () => {
    await signIn(staff.staffCode, staff.pin === '0000' ? '9999' : '0000');
    await see(page.getByRole('alert').filter({ hasText: '員工代碼或 PIN 密碼不正確' }));
    await shot('04-sign-in-error');
  });

  it('signs in and shows "online" in the status bar', async () => {
    await signIn(staff.staffCode, staff.pin);
    await see(page.getByRole('heading', { name: '收銀台' }));
    await see(status().getByText('已連線', { exact: true }));
    await see(status().getByText('待上傳 0'));
    await see(page.getByText(/目前登入：/).first());
    await shot('05-till-online');
  });

  it('navigates to every screen', async () => {
    // Customers and My QR are tested in depth by e2e/binding.e2e.ts; here: they open.
    for (const [link, file] of [
      ['顧客', '06-customers'],
      ['我的 QR 碼', '07-my-qr'],
    ] as const) {
      await page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name: link }).click();
      await see(page.getByRole('heading', { name: link, exact: true }));
      await shot(file);
    }
    // History is real now (e2e/till.e2e.ts tests it): its heading, tabs and export.
    await page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name: '紀錄' }).click();
    await see(page.getByRole('heading', { name: '紀錄' }));
    await see(page.getByRole('button', { name: '匯出 CSV' }));
    await shot('08-history');
    await page.getByRole('link', { name: '設定' }).click();
    await see(page.getByRole('heading', { name: '設定' }));
    await see(page.getByText(hub.url));
    await shot('09-settings');
  });

  it('shows "offline" within 5 seconds of the hub stopping', async () => {
    const stoppedAt = Date.now();
    await hub.stop('SIGTERM');
    await see(status().getByText('離線', { exact: true }), 5_000);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    await see(status().getByText(/離線起始/));
  });

  it('signs out and back in while offline, queueing the sign-in', async () => {
    await page.getByRole('button', { name: '登出' }).click();
    await see(page.getByRole('heading', { name: '員工登入' }));
    await signIn(staff.staffCode, staff.pin);
    await see(page.getByRole('heading', { name: '收銀台' }));
    await see(status().getByText(/待上傳 [1-9]\d*/));
    await see(status().getByText('離線', { exact: true }));
    await shot('10-offline-queued');
  });

  it('goes back online and drains the queue when the hub returns on the same port', async () => {
    hub = await startHub(hubPort, path.join(dataDir, 'hub'));
    await see(status().getByText('已連線', { exact: true }), 60_000);
    await see(status().getByText('待上傳 0'), 30_000);
    await shot('11-back-online');
  });

  it('switches to English from Settings', async () => {
    await page.getByRole('link', { name: '設定' }).click();
    await page.getByText('English', { exact: true }).click();
    await see(page.getByRole('heading', { name: 'Settings' }));
    await see(page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Till' }));
    await see(page.getByRole('status', { name: 'Sync status' }).getByText('Online', { exact: true }));
    await see(page.getByRole('button', { name: 'Sign out' }));
    await expect.poll(() => page.getByRole('radio', { name: 'English' }).isChecked()).toBe(true);
    // Photograph the page once the "Language updated" notice has come and gone.
    await see(page.getByText('Language updated'));
    await page.getByText('Language updated').waitFor({ state: 'hidden', timeout: 10_000 });
    await shot('12-settings-en');
    await page.getByRole('link', { name: 'Till' }).click();
    await see(page.getByRole('heading', { name: 'Till' }));
    await see(page.getByText('Scan a coupon barcode'));
    await shot('13-till-en');
    expect(pageErrors).toEqual([]);
  });

  it("writes English dates in the brand's English locale, set in the back office", async () => {
    const admin = (route: string, init: RequestInit = {}) =>
      fetch(`${hub.url}/api/admin${route}`, {
        ...init,
        headers: { authorization: 'Bearer demo-admin-token', 'content-type': 'application/json' },
      });
    const { items: brands } = (await (await admin('/brands')).json()) as { items: { id: string }[] };
    const res = await admin(`/brands/${brands[0]!.id}/settings`, {
      method: 'PATCH',
      body: JSON.stringify({ englishLocale: 'en-US' }),
    });
    expect(res.status).toBe(200);
    // The till pulls the brand row; the screens read it when they start.
    const consoleDb = path.join(dataDir, 'web', 'console', 'console.sqlite');
    await waitUntil(
      'the brand row with en-US at the till',
      async () => {
        const db = new Database(consoleDb, { readonly: true, fileMustExist: true });
        try {
          const row = db.prepare('SELECT data FROM brand').get() as { data: string } | undefined;
          return row?.data.includes('"englishLocale":"en-US"') ?? false;
        } finally {
          db.close();
        }
      },
      30_000,
    );
    const hubDb = new Database(path.join(dataDir, 'hub', 'hub.sqlite'), {
      readonly: true,
      fileMustExist: true,
    });
    const { redeemed_at } = hubDb
      .prepare("SELECT redeemed_at FROM claims WHERE code = 'TRY-REDEEMED'")
      .get() as {
      redeemed_at: string;
    };
    hubDb.close();
    const monthFirst = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Asia/Taipei',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(redeemed_at));

    await page.reload();
    await see(page.getByRole('heading', { name: 'Till' }), 30_000);
    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'History' }).click();
    await page.getByText('This branch', { exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: 'TRY-REDEEMED' });
    await see(row.getByText(monthFirst, { exact: true }), 30_000);
    await shot('14-history-en-US');
    await page.setViewportSize({ width: 1024, height: 768 });
    await shot('14-history-en-US-1024');
    expect(pageErrors).toEqual([]);
  });
});
