/**
 * The back office end to end (issue 18): the hub (a child process with the demo data, its LINE /
 * WhatsApp base URLs on the channel emulator) serves /admin/; the demo's admin signs in in
 * Chromium, creates a branch, a staff member and a pairing code; a console (start:web) enrolls with
 * that code; a branch override of the binding reply is used for a LINE binding at that branch;
 * the LINE channel secret is changed and a webhook signed with the old one is refused; the staff
 * member is deactivated and can no longer sign in on the console once it synced; the device is
 * revoked and the console says so at its next push. Then: no channel secret in plain text in the
 * hub's database, an audit row for every write, and screenshots of every screen in both languages.
 *
 * Screenshots go to e2e/.artifacts/screenshots, or to $E2E_SCREENSHOTS (docs/screenshots).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LINE_CHANNEL } from '../backend-sync/hub/demo/channels';
import { DEMO_ADMIN_PASSWORD } from '../backend-sync/hub/demo/seedAccounts';
import { lineSignature } from '../backend-sync/hub/webhooks/signature';
import { enrollDevice, signIn } from './consoleSteps';
import {
  artifactsDir,
  type Child,
  freePort,
  openConsolePage,
  projectRoot,
  startChild,
  startWeb,
  waitUntil,
} from './processes';

const screenshotDir = process.env.E2E_SCREENSHOTS
  ? path.resolve(projectRoot, process.env.E2E_SCREENSHOTS)
  : path.join(artifactsDir, 'screenshots');

const ADMIN = 'admin@omo.demo';
const STAFF = { staffCode: 'S777', pin: '7777', name: '高小雄' };
const OVERRIDE = '歡迎光臨高雄店！我是{店員姓名}，很高興為您服務。';
const NEW_LINE_SECRET = `new-line-secret-${randomBytes(6).toString('hex')}`;
const CARD = {
  text: '加入 91APP 會員，綁定享首購禮',
  label: '綁定會員',
  url: 'https://shop.omo.demo/member/bind',
};
const APP_VERSION = (
  JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }
).version;
const SCREENS = [
  'brand',
  'branches',
  'staff',
  'devices',
  'channels',
  'binding',
  'templates',
  'accounts',
  'audit',
];

describe('the back office', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omo-e2e-backoffice-'));
  let emulatorUrl: string;
  let hubUrl: string;
  let emulator: Child;
  let hub: Child;
  let web: Child & { url: string };
  let browser: Browser;
  let admin: Page;
  let consolePage: Page;
  const adminErrors: string[] = [];
  let consoleDb: Database.Database | undefined;

  const see = (locator: Locator, timeout = 15_000) => locator.waitFor({ state: 'visible', timeout });
  const go = async (screen: string) => {
    const url = `${hubUrl}/admin/#/${screen}`;
    // The same hash is no navigation at all: reload so the screen reads the hub afresh.
    if (admin.url() === url) await admin.reload();
    else await admin.goto(url);
    await see(admin.locator('h1').first());
    // Loaded: no part of the screen says it is still busy reading the hub.
    await admin.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  };
  const modal = () => admin.locator('.n-modal').last();
  const selectOption = async (select: Locator, label: string) => {
    await select.click();
    await admin.locator('.n-base-select-option').filter({ hasText: label }).first().click();
  };

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    const [emulatorPort, hubPort, webPort] = [await freePort(), await freePort(), await freePort()];
    emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
    hubUrl = `http://127.0.0.1:${hubPort}`;
    emulator = await startChild(
      'emulator',
      'scripts/emulator.ts',
      ['--port', String(emulatorPort), '--hub', hubUrl, '--status-delay', '50'],
      `${emulatorUrl}/healthz`,
    );
    hub = await startChild(
      'hub-backoffice',
      'backend-sync/hub/cli.ts',
      ['--port', String(hubPort), '--data', path.join(dataDir, 'hub'), '--demo'],
      `${hubUrl}/healthz`,
      {
        LINE_API_BASE_URL: emulatorUrl,
        LINE_DATA_API_BASE_URL: emulatorUrl,
        WHATSAPP_API_BASE_URL: emulatorUrl,
        HUB_SECRET_KEY: `e2e-${randomBytes(8).toString('hex')}`,
      },
    );
    web = await startWeb({ hubUrl, dataDir: path.join(dataDir, 'web'), port: webPort, build: false });
    const opened = await openConsolePage();
    browser = opened.browser;
    consolePage = opened.page;
    admin = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-TW' });
    admin.on('pageerror', (err) => adminErrors.push(err.message));
  });

  afterAll(async () => {
    consoleDb?.close();
    await browser?.close();
    await web?.stop();
    await hub?.stop();
    await emulator?.stop();
  });

  it('signs the bootstrap admin in', async () => {
    await admin.goto(`${hubUrl}/admin/`);
    await admin.getByLabel('電子郵件').fill(ADMIN);
    await admin.getByLabel('密碼').fill('wrong password, surely');
    await admin.getByRole('button', { name: '登入' }).click();
    await see(admin.getByRole('alert').getByText('電子郵件或密碼不正確。'));
    await admin.getByLabel('密碼').fill(DEMO_ADMIN_PASSWORD);
    await admin.getByRole('button', { name: '登入' }).click();
    await see(admin.getByTestId('who').getByText('王管理（管理員）'));
  });

  it('creates a branch, shows a refusal beside its field, and a staff member there', async () => {
    await go('branches');
    await admin.getByTestId('add-branch').click();
    await modal().getByTestId('branch-name').locator('input').fill('高雄巨蛋店');
    await modal().getByTestId('branch-code').locator('input').fill('K!');
    await modal().getByTestId('submit').click();
    // The hub's refusal, in the reader's language, beside the field it concerns.
    await see(
      modal()
        .locator('.n-form-item')
        .filter({ has: admin.getByTestId('branch-code') })
        .getByText('須為 2 到 10 個英文字母或數字'),
    );
    await admin.screenshot({ path: path.join(screenshotDir, 'backoffice-branch-refusal-zh-TW.png') });
    await modal().getByTestId('branch-code').locator('input').fill('KHH');
    await modal().getByTestId('submit').click();
    await see(admin.getByRole('cell', { name: '高雄巨蛋店' }));

    await go('staff');
    await admin.getByTestId('add-staff').click();
    await modal().getByTestId('staff-code').locator('input').fill(STAFF.staffCode);
    await modal().getByTestId('staff-name').locator('input').fill(STAFF.name);
    await selectOption(modal().getByTestId('staff-branch'), '高雄巨蛋店');
    await modal().getByTestId('staff-pin').locator('input').fill(STAFF.pin);
    await modal().getByTestId('submit').click();
    await see(admin.getByRole('cell', { name: STAFF.name }));
  });

  let pairingCode = '';
  it('issues a pairing code shown once, and a console enrolls with it', async () => {
    await go('devices');
    await admin.getByTestId('add-device').click();
    await modal().getByTestId('device-name').locator('input').fill('高雄櫃台 1');
    await selectOption(modal().getByTestId('device-branch'), '高雄巨蛋店');
    await modal().getByTestId('submit').click();
    const code = admin.getByTestId('pairing-code');
    await see(code);
    pairingCode = (await code.textContent())!.trim();
    expect(pairingCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await admin.screenshot({ path: path.join(screenshotDir, 'backoffice-pairing-sheet-zh-TW.png') });
    await admin.getByTestId('close-code').click();
    await see(admin.getByRole('row').filter({ hasText: '高雄櫃台 1' }).getByText('待配對'));

    await enrollDevice(consolePage, web.url, pairingCode, '高雄櫃台 1');
    await signIn(consolePage, STAFF);
    // The console reported its app version and an empty outbox (device:status) after syncing.
    await waitUntil(
      "the device row to show the console's app version",
      async () => {
        await go('devices');
        const row = admin.getByRole('row').filter({ hasText: '高雄櫃台 1' });
        return (await row.getByText('已配對').count()) > 0 && (await row.getByText(APP_VERSION).count()) > 0;
      },
      15_000,
    );
  });

  it('uses the branch override of the success reply for a LINE binding at that branch', async () => {
    await go('binding');
    await selectOption(admin.getByTestId('override-branch'), '高雄巨蛋店');
    await admin.getByTestId('add-override').click();
    const override = admin.locator('[data-testid^="override-"][data-testid$="-text-0"]').last();
    await override.locator('textarea').fill(OVERRIDE);
    await see(admin.getByText('歡迎光臨高雄店！我是林小美，很高興為您服務。'));
    // The 91APP member-binding card, with its live preview.
    await admin.getByTestId('card-on').click();
    await admin.getByTestId('card-text').locator('textarea').fill(CARD.text);
    await admin.getByTestId('card-label').locator('input').fill(CARD.label);
    await admin.getByTestId('card-url').locator('input').fill(CARD.url);
    await see(admin.getByTestId('card-preview').getByText(CARD.text));
    await admin.getByTestId('save').click();
    await see(admin.getByText('已儲存'));

    const user = `U${randomBytes(16).toString('hex')}`;
    const said = await fetch(`${emulatorUrl}/emulator/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        channel: 'line',
        user,
        text: `聯絡專員 ${STAFF.staffCode}`,
        displayName: '高雄顧客',
      }),
    });
    expect(said.status).toBe(200);
    await waitUntil(
      'the override reply in the emulator record',
      async () => {
        const sent = (await (await fetch(`${emulatorUrl}/emulator/sent?channel=line&to=${user}`)).json()) as {
          items: { messages: { text?: string; template?: { actions: { uri: string }[] } }[] }[];
        };
        // The override, then the member card with its link.
        return sent.items.some(
          (i) =>
            i.messages[0]?.text === `歡迎光臨高雄店！我是${STAFF.name}，很高興為您服務。` &&
            i.messages[1]?.template?.actions[0]?.uri === CARD.url,
        );
      },
      10_000,
    );
  });

  it('changes the LINE channel secret: a webhook signed with the old one is refused, the new one accepted', async () => {
    await go('channels');
    await admin.getByTestId('edit-line').click();
    await modal().getByTestId('secret-channelSecret').locator('input').fill(NEW_LINE_SECRET);
    await modal().getByTestId('submit').click();
    await modal().waitFor({ state: 'hidden' });

    const body = JSON.stringify({
      destination: DEMO_LINE_CHANNEL.destination,
      events: [
        {
          type: 'follow',
          webhookEventId: `01H${randomBytes(12).toString('hex').toUpperCase().slice(0, 23)}`,
          deliveryContext: { isRedelivery: false },
          timestamp: Date.now(),
          source: { type: 'user', userId: `U${randomBytes(16).toString('hex')}` },
          replyToken: randomBytes(16).toString('hex'),
          follow: { isUnblocked: false },
          mode: 'active',
        },
      ],
    });
    const post = (secret: string) =>
      fetch(`${hubUrl}/webhooks/line`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(body, secret) },
        body,
      });
    const old = await post(DEMO_LINE_CHANNEL.channelSecret);
    expect(old.status).toBe(401);
    expect((await post(NEW_LINE_SECRET)).status).toBe(200);
  });

  it('deactivates the staff member: once the console synced, they can no longer sign in there', async () => {
    await consolePage.getByRole('navigation', { name: '主選單' }).getByRole('link', { name: '設定' }).click();
    await consolePage.getByRole('button', { name: '登出' }).click();
    await see(consolePage.getByRole('heading', { name: '員工登入' }));

    await go('staff');
    await admin.getByTestId(`active-${STAFF.staffCode}`).click();
    await admin.getByRole('dialog').getByRole('button', { name: '停用' }).click();
    await see(admin.getByRole('row').filter({ hasText: STAFF.staffCode }).getByText('已停用'));

    // The console's own database is the condition: its staff mirror row turns inactive.
    consoleDb = new Database(path.join(dataDir, 'web', 'console', 'console.sqlite'), { readonly: true });
    await waitUntil(
      'the console to pull the deactivation',
      async () =>
        (
          consoleDb!.prepare('SELECT active FROM staff WHERE staff_code_key = ?').get(STAFF.staffCode) as
            { active: number } | undefined
        )?.active === 0,
      15_000,
    );
    await consolePage.getByLabel('員工代碼').fill(STAFF.staffCode);
    await consolePage.getByLabel('PIN 密碼').fill(STAFF.pin);
    await consolePage.getByLabel('PIN 密碼').press('Enter');
    await see(consolePage.getByRole('alert'));
    await expect(consolePage.getByRole('heading', { name: '員工登入' }).isVisible()).resolves.toBe(true);
  });

  it('revokes the device: its next push is refused and the console says so', async () => {
    await go('devices');
    await admin.getByTestId('revoke-高雄櫃台 1').click();
    await admin.getByRole('dialog').getByRole('button', { name: '撤銷' }).click();
    await see(admin.getByRole('row').filter({ hasText: '高雄櫃台 1' }).getByText('已撤銷'));

    // A brand-wide admin may sign in at any branch: the sign-in is the console's next push.
    await consolePage.getByLabel('員工代碼').fill('A001');
    await consolePage.getByLabel('PIN 密碼').fill('1234');
    await consolePage.getByLabel('PIN 密碼').press('Enter');
    await see(
      consolePage
        .getByRole('status', { name: '同步狀態' })
        .getByText('此裝置已被管理員撤銷，無法再同步；未同步的核銷仍可在核銷紀錄匯出。'),
      30_000,
    );
    await consolePage.screenshot({ path: path.join(screenshotDir, 'console-device-revoked.png') });
  });

  it('closes the branch once nobody works there and its till is revoked', async () => {
    await go('branches');
    await admin.getByTestId('close-KHH').click();
    await admin.getByRole('dialog').getByRole('button', { name: '停業' }).click();
    await see(admin.getByTestId('state-KHH').getByText('起停業'));
    // A closed branch is no longer offered for new staff.
    await go('staff');
    await admin.getByTestId('add-staff').click();
    await modal().getByTestId('staff-branch').click();
    await see(admin.locator('.n-base-select-option').first());
    expect(await admin.locator('.n-base-select-option').filter({ hasText: '高雄巨蛋店' }).count()).toBe(0);
    await admin.keyboard.press('Escape');
    await modal().getByRole('button', { name: '取消' }).click();
  });

  it('keeps no channel secret in plain text in the hub database', () => {
    const db = new Database(path.join(dataDir, 'hub', 'hub.sqlite'), { readonly: true });
    try {
      const raw = JSON.stringify(db.prepare('SELECT * FROM channels').all());
      expect(raw).toContain('enc:v1:');
      for (const secret of [NEW_LINE_SECRET, DEMO_LINE_CHANNEL.channelSecret, DEMO_LINE_CHANNEL.accessToken])
        expect(raw).not.toContain(secret);
    } finally {
      db.close();
    }
  });

  it('has an audit row for every write made here, naming the admin', async () => {
    await go('audit');
    await see(admin.getByRole('cell', { name: 'revokeDevice' }));
    const db = new Database(path.join(dataDir, 'hub', 'hub.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare('SELECT action, actor_label FROM audit_log WHERE actor_label = ? ORDER BY id')
        .all(ADMIN) as {
        action: string;
      }[];
      expect(rows.map((r) => r.action)).toEqual([
        'signIn',
        'createBranch',
        'createStaff',
        'createDevice',
        'putBindingSettings',
        'updateChannel',
        'updateStaff',
        'revokeDevice',
        'updateBranch',
      ]);
    } finally {
      db.close();
    }
  });

  it('shows every screen in both languages (screenshots, also at 1024×768)', async () => {
    for (const [lang, label] of [
      ['zh-TW', 'English'],
      ['en', '繁體中文'],
    ] as const) {
      for (const screen of SCREENS) {
        await go(screen);
        await admin.waitForLoadState('networkidle');
        await admin.screenshot({
          path: path.join(screenshotDir, `backoffice-${screen}-${lang}.png`),
          fullPage: true,
        });
      }
      await selectOption(admin.getByTestId('language'), label);
    }
    await admin.setViewportSize({ width: 1024, height: 768 });
    for (const screen of SCREENS) {
      await go(screen);
      await admin.waitForLoadState('networkidle');
      await admin.screenshot({ path: path.join(screenshotDir, `backoffice-${screen}-1024.png`) });
    }
    await admin.getByTestId('sign-out').click();
    await see(admin.getByLabel('電子郵件'));
    await admin.screenshot({ path: path.join(screenshotDir, 'backoffice-signin-zh-TW.png') });
    expect(adminErrors).toEqual([]);
  });
});
