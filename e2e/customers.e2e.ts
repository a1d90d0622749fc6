/**
 * Bound customers, end to end (issue #5): the hub (demo data, channel base URLs pointed at the
 * emulator) and the channel emulator as child processes, the console in Chromium.
 *
 * - search my list by partial name and by phone in three formats; SQL and HTML match literally;
 * - add a WhatsApp number bound to another associate under each cell of the add-by-number table
 *   (binding mode fixed / free × transfer allowed or not), switched through the admin API;
 * - broadcast on LINE and on WhatsApp reaches exactly the associate's bound customers of that
 *   channel in the emulator's record, once each, and the console shows the counts;
 * - the team list as a sales manager, each customer with the associate as "role - name";
 * - CSV export of the list being viewed.
 *
 * Screenshots go to e2e/.artifacts/screenshots, or to $E2E_SCREENSHOTS (docs/screenshots).
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WHATSAPP_CHANNEL } from '../backend-sync/hub/demo/channels';
import { enrollDevice, signIn } from './consoleSteps';
import {
  artifactsDir,
  freePort,
  httpOk,
  openConsolePage,
  parseDemoBanner,
  projectRoot,
  startTsProcess,
  startWeb,
  waitUntil,
  type Child,
  type DemoLogins,
} from './processes';

const screenshotDir = process.env.E2E_SCREENSHOTS
  ? path.resolve(projectRoot, process.env.E2E_SCREENSHOTS)
  : path.join(artifactsDir, 'screenshots');

const ADMIN = { authorization: 'Bearer demo-admin-token', 'content-type': 'application/json' };

interface AdminCustomer {
  id: string;
  channel: 'line' | 'whatsapp';
  channelUserId: string;
  displayName: string;
  boundStaffId: string | null;
}

describe('bound customers: lists, search, add by number, broadcast', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omo-e2e-customers-'));
  let emulatorUrl: string;
  let hubUrl: string;
  let emulator: Child;
  let hub: Child;
  let demo: DemoLogins;
  let web: Child & { url: string };
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  let brandId: string;
  const staffIds = new Map<string, string>();

  const shot = (name: string) =>
    page.screenshot({ path: path.join(screenshotDir, `${name}.png`), animations: 'disabled' });
  const see = (locator: Locator, timeout = 15_000) => locator.waitFor({ state: 'visible', timeout });
  const byTest = (id: string) => page.getByTestId(id);
  const rows = () => byTest('customers-row');

  async function admin<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${hubUrl}/api/admin${route}`, {
      method,
      headers: ADMIN,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.ok, `${method} ${route}: ${text}`).toBe(true);
    return JSON.parse(text) as T;
  }

  async function allCustomers(): Promise<AdminCustomer[]> {
    const out: AdminCustomer[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await admin<{ items: AdminCustomer[]; total: number }>(
        'GET',
        `/brands/${brandId}/customers?limit=500&offset=${offset}`,
      );
      out.push(...page.items);
      if (out.length >= page.total) return out;
    }
  }

  async function setBinding(mode: 'fixed' | 'free', allowTransfer: boolean): Promise<void> {
    const current = await admin<Record<string, unknown>>('GET', `/brands/${brandId}/binding-settings`);
    const { brandId: _b, updatedAt: _u, ...settings } = current;
    await admin('PUT', `/brands/${brandId}/binding-settings`, { ...settings, mode, allowTransfer });
  }

  async function signInAs(staffCode: string) {
    await see(page.getByRole('heading', { name: '員工登入' }), 30_000);
    await signIn(
      page,
      demo.staff.find((s) => s.staffCode === staffCode)!,
    );
  }

  async function openCustomers() {
    await page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name: '顧客' }).click();
    await see(page.getByRole('heading', { name: '顧客', exact: true }));
  }

  async function search(term: string) {
    await byTest('customers-search').fill(term);
  }

  const names = () =>
    rows().evaluateAll((els) => els.map((e) => e.querySelector('.name')?.textContent ?? ''));

  /** Waits until the list shows exactly these names (the search is debounced). */
  async function expectNames(expected: string[]): Promise<void> {
    let last: string[] = [];
    try {
      await waitUntil(
        `the list to show ${JSON.stringify(expected)}`,
        async () => JSON.stringify((last = await names())) === JSON.stringify(expected),
        10_000,
      );
    } catch {
      expect(last).toEqual(expected);
    }
  }

  /** Closes the open dialog with its own close button. */
  async function closeDialog(testId: string) {
    const dialog = byTest(testId);
    await dialog
      .getByRole('button', { name: /^(關閉|取消)$/ })
      .first()
      .click();
    await dialog.waitFor({ state: 'hidden' });
  }

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    const [emulatorPort, hubPort, webPort] = [await freePort(), await freePort(), await freePort()];
    emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
    hubUrl = `http://127.0.0.1:${hubPort}`;
    emulator = startTsProcess('emulator-customers', 'scripts/emulator.ts', [
      '--port',
      String(emulatorPort),
      '--hub',
      hubUrl,
      '--status-delay',
      '50',
    ]);
    await waitUntil('the emulator', httpOk(`${emulatorUrl}/healthz`), 60_000, emulator.exited);
    hub = startTsProcess(
      'hub-customers',
      'backend-sync/hub/cli.ts',
      ['--port', String(hubPort), '--data', path.join(dataDir, 'hub'), '--demo'],
      {
        LINE_API_BASE_URL: emulatorUrl,
        LINE_DATA_API_BASE_URL: emulatorUrl,
        WHATSAPP_API_BASE_URL: emulatorUrl,
      },
    );
    await waitUntil('the hub', httpOk(`${hubUrl}/healthz`), 60_000, hub.exited);
    await waitUntil('the hub banner', async () => hub.output().includes('Ctrl-C to stop'), 10_000);
    demo = parseDemoBanner(hub.output());
    const brands = await admin<{ items: { id: string }[] }>('GET', '/brands');
    brandId = brands.items[0]!.id;
    const staff = await admin<{ items: { id: string; staffCode: string }[] }>(
      'GET',
      `/brands/${brandId}/staff?limit=500`,
    );
    for (const s of staff.items) staffIds.set(s.staffCode, s.id);
    web = await startWeb({ hubUrl, dataDir: path.join(dataDir, 'web'), port: webPort, build: false });
    ({ browser, page, pageErrors } = await openConsolePage({ acceptDownloads: true }));
    // An HTML search term must never run as markup: a dialog would mean it did.
    page.on('dialog', (dialog) => {
      pageErrors.push(`unexpected dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await hub?.stop();
    await emulator?.stop();
  });

  it('enrolls at 台北信義店 and signs in as the associate S001', async () => {
    const pairing = demo.pairingCodes.find((p) => p.branchCode === 'TPE')!;
    await enrollDevice(page, web.url, pairing.code);
    await signInAs('S001');
    await openCustomers();
    await see(rows().first(), 30_000);
  });

  it('searches my list by partial name and by phone in three formats', async () => {
    const mine = (await allCustomers()).filter((c) => c.boundStaffId === staffIds.get('S001'));
    await waitUntil(
      'the whole list',
      async () => ((await byTest('customers-total').textContent()) ?? '').includes(String(mine.length)),
      30_000,
    );
    await search('小明');
    await expectNames(['王小明 Ming']);
    await search('MING');
    await expectNames(['王小明 Ming']);
    await search('0912 345 678');
    await expectNames(['王小明 Ming']);
    await search('+886912345678');
    await expectNames(['王小明 Ming']);
    await search('9123 4567');
    await expectNames(['Chan Tai Man 陳大文']);
    await see(rows().first().getByText('+852 9123 4567'));
    await shot('customers-search-phone');

    await search('tai man 陳');
    await expectNames(['Chan Tai Man 陳大文']);
    await byTest('customers-channel-line').click();
    await expectNames([]);
    await byTest('customers-channel-all').click();
    await expectNames(['Chan Tai Man 陳大文']);
  });

  it('matches SQL and HTML in a search literally: no error, no markup', async () => {
    await search("'; DROP TABLE customer_list;--");
    await expectNames([]);
    await see(page.getByText('沒有符合條件的顧客。'));
    await search('<img src=x onerror=alert(1)>');
    await expectNames([]);
    await search('%');
    await expectNames([]);
    await search('');
    await see(rows().first());
    expect(pageErrors).toEqual([]);
  });

  it('opens a customer: binding history, coupons and the conversation link', async () => {
    await search('小明');
    await expectNames(['王小明 Ming']);
    await rows().first().click();
    const detail = byTest('customer-detail');
    await see(detail);
    await see(detail.getByText('林小美').first());
    const link = byTest('customer-open-conversation');
    await see(link);
    await shot('customers-detail');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
    await search('');
  });

  /** A WhatsApp number bound to S002 (the same branch), made through the admin API. */
  async function numberHeldByS002(suffix: number): Promise<string> {
    const digits = `8526123${String(4560 + suffix)}`;
    await admin('POST', `/brands/${brandId}/customers`, {
      channel: 'whatsapp',
      channelUserId: digits,
      displayName: `Held ${suffix}`,
      phone: `+${digits}`,
      boundStaffId: staffIds.get('S002'),
    });
    return digits;
  }

  async function addNumber(digits: string, name: string) {
    await byTest('add-open').click();
    await byTest('add-phone').fill(`+${digits.slice(0, 3)} ${digits.slice(3)}`);
    await byTest('add-name').fill(name);
    await byTest('add-submit').click();
  }

  const addState = () => byTest('add-state');

  for (const [cell, mode, allowTransfer] of [
    [1, 'fixed', false],
    [2, 'free', false],
    [3, 'fixed', true],
    [4, 'free', true],
  ] as const) {
    it(`adds a number bound to another associate: mode ${mode}, transfer ${allowTransfer ? 'allowed' : 'not allowed'}`, async () => {
      await setBinding(mode, allowTransfer);
      const digits = await numberHeldByS002(cell);
      await addNumber(digits, `Taken ${cell}`);
      if (!allowTransfer) {
        await see(addState().getByText(/銷售人員 - 吳建宏.*不允許轉移/), 15_000);
        if (cell === 1) await shot('customers-add-refused');
        const holder = (await allCustomers()).find((c) => c.channelUserId === digits)!;
        expect(holder.boundStaffId).toBe(staffIds.get('S002'));
        await closeDialog('add-dialog');
      } else {
        await see(byTest('add-confirm-takeover'), 15_000);
        await see(addState().getByText('銷售人員 - 吳建宏'));
        if (cell === 3) await shot('customers-add-confirm');
        await byTest('add-confirm-takeover').click();
        await see(addState().getByText('已新增'), 15_000);
        const holder = (await allCustomers()).find((c) => c.channelUserId === digits)!;
        expect(holder.boundStaffId).toBe(staffIds.get('S001'));
        await closeDialog('add-dialog');
        await search(digits.slice(3));
        await expectNames([`Held ${cell}`]);
        await search('');
      }
    });
  }

  it('refuses an invalid number and an overlong name with a clear message, adding nothing', async () => {
    const before = (await allCustomers()).length;
    await byTest('add-open').click();
    await byTest('add-phone').fill('12345');
    await byTest('add-submit').click();
    await see(page.getByText('「12345」不是有效的電話號碼，請確認國碼與號碼。'));
    await byTest('add-phone').fill('9876 5432');
    await byTest('add-name').fill('名'.repeat(10_000));
    await byTest('add-submit').click();
    await see(page.getByText('姓名最多 100 個字（目前 10000 個）。'));
    await closeDialog('add-dialog');
    expect((await allCustomers()).length).toBe(before);
  });

  async function sent(channel: 'line' | 'whatsapp', since: number) {
    const response = await fetch(`${emulatorUrl}/emulator/sent?channel=${channel}&since=${since}`);
    return ((await response.json()) as { items: { to: string[]; messages: unknown[] }[] }).items;
  }
  const lastSeq = async () =>
    ((await (await fetch(`${emulatorUrl}/emulator/sent`)).json()) as { lastSeq: number }).lastSeq;

  it('broadcasts on LINE to exactly my LINE customers, once each', async () => {
    const mine = (await allCustomers()).filter(
      (c) => c.boundStaffId === staffIds.get('S001') && c.channel === 'line',
    );
    const since = await lastSeq();
    const text = `週末會員日 ${Date.now()}`;
    await byTest('broadcast-open').click();
    await byTest('broadcast-channel-line').click();
    await byTest('broadcast-text').fill(text);
    await byTest('broadcast-submit').click();
    await byTest('broadcast-confirm').click();
    // This broadcast's own row (an earlier one may be listed first and already done).
    const row = byTest('broadcast-row').filter({ hasText: text }).first();
    await see(row.getByText(`${mine.length}`), 30_000);
    await waitUntil(
      'the broadcast to finish',
      async () => /完成/.test((await row.textContent()) ?? ''),
      30_000,
    );
    const items = (await sent('line', since)).filter((i) => JSON.stringify(i.messages).includes(text));
    const recipients = items.flatMap((i) => i.to).sort();
    expect(recipients).toEqual(mine.map((c) => c.channelUserId).sort());
    expect(new Set(recipients).size).toBe(recipients.length);
    await shot('customers-broadcast-line');
  });

  it('broadcasts the approved WhatsApp template to exactly my WhatsApp customers, once each', async () => {
    const mine = (await allCustomers()).filter(
      (c) => c.boundStaffId === staffIds.get('S001') && c.channel === 'whatsapp',
    );
    const template = DEMO_WHATSAPP_CHANNEL.templates[0];
    const since = await lastSeq();
    await byTest('broadcast-open').click();
    await byTest('broadcast-channel-whatsapp').click();
    await byTest('broadcast-template').click();
    await page.getByText(`${template.name} (${template.language})`).last().click();
    await see(byTest('broadcast-template-preview').getByText(template.preview));
    await byTest('broadcast-submit').click();
    await byTest('broadcast-confirm').click();
    // This broadcast's own row: the LINE one before it is already done.
    const row = byTest('broadcast-row').filter({ hasText: template.name }).first();
    await see(row, 30_000);
    await waitUntil(
      'the broadcast to finish',
      async () => /完成/.test((await row.textContent()) ?? ''),
      30_000,
    );
    const items = (await sent('whatsapp', since)).filter((i) => JSON.stringify(i).includes(template.name));
    const recipients = items.flatMap((i) => i.to).sort();
    expect(recipients).toEqual(mine.map((c) => c.channelUserId).sort());
    expect(new Set(recipients).size).toBe(recipients.length);
  });

  it('exports the list being viewed as CSV with a BOM', async () => {
    await byTest('customers-channel-whatsapp').click();
    const [download] = await Promise.all([page.waitForEvent('download'), byTest('export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^customers-mine-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('姓名,管道,電話');
    // The number stays text in Excel: the one CSV writer writes it as ="…" (electron/core/csv).
    expect(csv).toContain('Chan Tai Man 陳大文,WhatsApp,"=""+852 9123 4567"""');
    expect(csv).not.toContain(',LINE,');
    await byTest('customers-channel-all').click();
  });

  it('shows the team list to the sales manager M001, each customer with "role - name"', async () => {
    await page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name: '設定' }).click();
    await page.getByRole('button', { name: '登出' }).click();
    await signInAs('M001');
    await openCustomers();
    await byTest('customers-tab-team').click();
    const teamSize = (await allCustomers()).filter((c) =>
      ['S001', 'S002', 'M001'].some((code) => c.boundStaffId === staffIds.get(code)),
    ).length;
    await waitUntil(
      'the team list',
      async () => ((await byTest('customers-total').textContent()) ?? '').includes(String(teamSize)),
      30_000,
    );
    await search('小明');
    await expectNames(['王小明 Ming']);
    await see(rows().first().getByTestId('customer-staff').getByText('銷售人員 - 林小美'));
    await search('');
    await waitUntil(
      'the whole team list again',
      async () => ((await byTest('customers-total').textContent()) ?? '').includes(String(teamSize)),
      10_000,
    );
    await shot('customers-team');
    expect(pageErrors).toEqual([]);
  });
});
