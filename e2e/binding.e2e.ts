/**
 * Binding customers, end to end: the channel emulator (a child process) plays a customer who sends
 * the binding message over LINE and WhatsApp; the hub (a child process, channel base URLs pointed
 * at the emulator) binds and replies; the associate's console in Chromium shows the new customer
 * within 1 s of the customer's message. My QR shows QR codes that an independent decoder (jsQR)
 * reads back to the exact links, and prints only the cards.
 *
 * Screenshots go to e2e/.artifacts/screenshots, or to $E2E_SCREENSHOTS (docs/screenshots).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_BINDING_SETTINGS,
  DEMO_LINE_CHANNEL,
  DEMO_WHATSAPP_CHANNEL,
} from '../backend-sync/hub/demo/channels';
import { enrollDevice, signIn } from './consoleSteps';
import {
  artifactsDir,
  type Child,
  type DemoLogins,
  freePort,
  openConsolePage,
  parseDemoBanner,
  projectRoot,
  startChild,
  startWeb,
  waitUntil,
} from './processes';

const screenshotDir = process.env.E2E_SCREENSHOTS
  ? path.resolve(projectRoot, process.env.E2E_SCREENSHOTS)
  : path.join(artifactsDir, 'screenshots');

const ASSOCIATE = { staffCode: 'S001', name: '林小美' };

describe('binding customers over LINE and WhatsApp', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omo-e2e-binding-'));
  let emulatorUrl: string;
  let emulator: Child;
  let hub: Child;
  let demo: DemoLogins;
  let web: Child & { url: string };
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  const shot = (name: string) =>
    page.screenshot({ path: path.join(screenshotDir, `${name}.png`), animations: 'disabled' });
  const see = (locator: Locator, timeout = 15_000) => locator.waitFor({ state: 'visible', timeout });
  const nav = (name: string) =>
    page.getByRole('navigation', { name: '主選單' }).getByRole('link', { name }).click();

  async function say(body: object) {
    const response = await fetch(`${emulatorUrl}/emulator/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { hub?: { status: number; body: string } };
    expect(response.status, JSON.stringify(answer)).toBe(200);
    expect(answer.hub?.status, answer.hub?.body).toBe(200);
    return answer;
  }

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    const [emulatorPort, hubPort, webPort] = [await freePort(), await freePort(), await freePort()];
    emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    emulator = await startChild(
      'emulator',
      'scripts/emulator.ts',
      ['--port', String(emulatorPort), '--hub', hubUrl, '--status-delay', '50'],
      `${emulatorUrl}/healthz`,
    );
    hub = await startChild(
      'hub-binding',
      'backend-sync/hub/cli.ts',
      ['--port', String(hubPort), '--data', path.join(dataDir, 'hub'), '--demo'],
      `${hubUrl}/healthz`,
      {
        LINE_API_BASE_URL: emulatorUrl,
        LINE_DATA_API_BASE_URL: emulatorUrl,
        WHATSAPP_API_BASE_URL: emulatorUrl,
      },
    );
    await waitUntil('the hub banner', async () => hub.output().includes('Ctrl-C to stop'), 10_000);
    demo = parseDemoBanner(hub.output());
    web = await startWeb({ hubUrl, dataDir: path.join(dataDir, 'web'), port: webPort, build: false });
    ({ browser, page, pageErrors } = await openConsolePage());
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await hub?.stop();
    await emulator?.stop();
  });

  it(`enrolls at the associate's branch and signs in as ${ASSOCIATE.staffCode}`, async () => {
    const me = demo.staff.find((s) => s.staffCode === ASSOCIATE.staffCode);
    const pairing = demo.pairingCodes.find((p) => p.branchCode === me?.branchCode);
    expect(me && pairing, 'the hub banner lists S001 and a pairing code of their branch').toBeTruthy();
    await enrollDevice(page, web.url, pairing!.code);
    await signIn(page, me!);
  });

  it('shows a customer who binds over LINE within 1 s of their message, and the hub replies', async () => {
    await nav('顧客');
    await see(page.getByRole('heading', { name: '顧客', exact: true }));
    const table = page.getByRole('table').first();
    await see(table);
    const user = `U${randomBytes(16).toString('hex')}`;
    const name = `LINE 顧客 ${user.slice(1, 7)}`;

    const saidAt = Date.now();
    await say({ channel: 'line', user, text: `聯絡專員 ${ASSOCIATE.staffCode}`, displayName: name });
    const firstRow = page.getByRole('row').nth(1);
    await see(firstRow.getByText(name, { exact: true }), 5_000);
    const elapsed = Date.now() - saidAt;
    expect(elapsed, `the customer appeared after ${elapsed} ms`).toBeLessThanOrEqual(1_000);
    await see(firstRow.getByText('LINE', { exact: true }));

    // The binding-success reply went back to that customer through the emulator, naming the associate.
    await waitUntil(
      'the hub’s reply in the emulator record',
      async () => {
        const sent = (await (await fetch(`${emulatorUrl}/emulator/sent?channel=line&to=${user}`)).json()) as {
          items: { messages: { text?: string }[] }[];
        };
        return sent.items.some((i) => i.messages.some((m) => m.text?.includes(ASSOCIATE.name)));
      },
      5_000,
    );
  });

  it('shows a customer who binds over WhatsApp within 1 s, with the number in international format', async () => {
    const phone = `85291${String(Date.now()).slice(-6)}`; // 91xx xxxx: every number formats as +852 9123 4567
    const name = `WhatsApp 顧客 ${phone.slice(-4)}`;
    const saidAt = Date.now();
    await say({
      channel: 'whatsapp',
      user: phone,
      text: `聯絡專員${ASSOCIATE.staffCode.toLowerCase()}`,
      displayName: name,
    });
    const firstRow = page.getByRole('row').nth(1);
    await see(firstRow.getByText(name, { exact: true }), 5_000);
    const elapsed = Date.now() - saidAt;
    expect(elapsed, `the customer appeared after ${elapsed} ms`).toBeLessThanOrEqual(1_000);
    await see(firstRow.getByText('WhatsApp', { exact: true }));
    const rowText = (await firstRow.textContent()) ?? '';
    expect(rowText).toContain(`+852 ${phone.slice(3, 7)} ${phone.slice(7)}`);
    await shot('binding-customers');
  });

  it('shows My QR codes that decode to the exact LINE and WhatsApp links', async () => {
    await nav('我的 QR 碼');
    await see(page.getByRole('heading', { name: '我的 QR 碼' }));
    const message = `${DEMO_BINDING_SETTINGS.prefix}${ASSOCIATE.staffCode}${DEMO_BINDING_SETTINGS.suffix}`;
    const expected = {
      line: `https://line.me/R/oaMessage/${DEMO_LINE_CHANNEL.basicId}/?${encodeURIComponent(message)}`,
      whatsapp: `https://wa.me/${DEMO_WHATSAPP_CHANNEL.displayNumber}?text=${encodeURIComponent(message)}`,
    };
    for (const [alt, url] of [
      [`${ASSOCIATE.name} 的 LINE 綁定 QR 碼`, expected.line],
      [`${ASSOCIATE.name} 的 WhatsApp 綁定 QR 碼`, expected.whatsapp],
    ] as const) {
      const image = page.getByRole('img', { name: alt });
      await see(image);
      // Draw the image as shown to a canvas in the page; decode its pixels here with jsQR.
      const pixels = await image.evaluate(async (img: HTMLImageElement) => {
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const context = canvas.getContext('2d')!;
        context.drawImage(img, 0, 0);
        const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
        let binary = '';
        for (let i = 0; i < data.length; i += 0x8000)
          binary += String.fromCharCode(...data.subarray(i, i + 0x8000));
        return { width: canvas.width, height: canvas.height, rgba: btoa(binary) };
      });
      const rgba = new Uint8ClampedArray(Buffer.from(pixels.rgba, 'base64'));
      const decoded = jsQR(rgba, pixels.width, pixels.height);
      expect(decoded?.data, `QR "${alt}"`).toBe(url);
      await see(page.getByText(url, { exact: true }));
    }
    await see(page.getByText(message, { exact: true }));
    await shot('binding-my-qr');
  });

  it('prints only the QR cards', async () => {
    await page.emulateMedia({ media: 'print' });
    await expect.poll(() => page.getByRole('navigation', { name: '主選單' }).isVisible()).toBe(false);
    await see(page.getByText(`${ASSOCIATE.name}（員工代碼 ${ASSOCIATE.staffCode}）`));
    await shot('binding-print');
    await page.emulateMedia({ media: 'screen' });
    await see(page.getByRole('button', { name: '列印 QR 碼' }));
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });
});
