/**
 * The keyboard-wedge scanner on a page that is busy mid-burst: a long task on the main thread
 * right after one of the scan's keys, so the keys behind it queue up while the detector's hold
 * timer comes due — what a page still loading or re-rendering does to a scan. Every burst must
 * come out as one scan of the whole code, with nothing typed into the focused field: a split scan
 * shows the tail of the code as its own verdict and leaves the head in the field.
 *
 * 200+ bursts with the stall after a different key each time (and the Enter), of 80–200 ms; and
 * the first scan right after each of a few page loads, while the scanner settings are still
 * arriving. Bursts go at one a verdict, so the run stays near a minute or two.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startHub, startWeb, type Child, type HubProcess, openConsolePage } from './processes';
import { enrollDevice, signIn } from './consoleSteps';
import { wedgeScan } from './tillSupport';

const BURSTS = 200;
const RELOADS = 4;

describe('scans on a page busy mid-burst', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omo-scanner-busy-e2e-'));
  let hub: HubProcess;
  let web: Child & { url: string };
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  const panel = () => page.getByRole('region', { name: '掃描結果' });
  const manualField = () => page.getByLabel('手動輸入條碼');

  beforeAll(async () => {
    hub = await startHub(await freePort(), path.join(dataDir, 'hub'));
    web = await startWeb({
      hubUrl: hub.url,
      dataDir: path.join(dataDir, 'web'),
      port: await freePort(),
      build: false,
    });
    ({ browser, page, pageErrors } = await openConsolePage({ viewport: { width: 1366, height: 768 } }));
    const staff = hub.demo.staff.find((s) => s.staffCode === 'S001')!;
    await enrollDevice(page, web.url, 'DEMO-TPE1');
    await signIn(page, staff);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await hub?.stop();
  });

  /** One burst with the stall after key `afterKey`; true when it came out as one whole scan. */
  async function burst(code: string, afterKey: number, ms: number): Promise<string | null> {
    await page.keyboard.press('Escape');
    await page.getByText('請掃描優惠券條碼').waitFor({ state: 'visible', timeout: 15_000 });
    await manualField().focus();
    await page.evaluate(() => {
      const w = window as unknown as { __keys?: string[]; __keysOn?: boolean };
      w.__keys = [];
      if (w.__keysOn) return;
      w.__keysOn = true;
      window.addEventListener(
        'keydown',
        (e) => w.__keys!.push(`${e.key}@${Math.round(e.timeStamp)}/${Math.round(performance.now())}`),
        true,
      );
    });
    await wedgeScan(page, code, { afterKey, ms });
    // A whole scan, or the tail of a split one, shows a verdict; a split whose tail was too short
    // to be a scan shows none (all of it went into the field).
    const shownCode = panel().locator('dl code');
    const judged = await shownCode
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(() => true)
      .catch(() => false);
    const shown = judged ? await shownCode.textContent() : null;
    const typed = await manualField().inputValue();
    if (typed) await manualField().fill('');
    if (shown === code && typed === '') return null;
    const keys = await page.evaluate(() => (window as unknown as { __keys: string[] }).__keys.join(' '));
    return `shown ${shown ?? 'nothing'}, typed "${typed}" keys ${keys}`;
  }

  it(`makes ${BURSTS} bursts stalled after a different key each time into ${BURSTS} whole scans`, async () => {
    await page.getByRole('heading', { name: '收銀台' }).waitFor({ state: 'visible' });
    const splits: string[] = [];
    for (let i = 0; i < BURSTS; i += 1) {
      const code = `BUSY-${String(i).padStart(4, '0')}-${(i * 7919).toString(36).toUpperCase()}X`;
      // After key 1 … the last character, and the Enter: every position of the burst in turn.
      const afterKey = 1 + (i % code.length);
      const ms = 80 + ((i * 37) % 121);
      const split = await burst(code, afterKey, ms);
      if (split) splits.push(`${code} (stalled after key ${afterKey}, ${ms} ms): ${split}`);
    }
    console.log(`busy-page bursts: ${BURSTS}, split scans: ${splits.length}`);
    expect(splits).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it(`keeps the first scan after each of ${RELOADS} page loads whole`, async () => {
    const splits: string[] = [];
    for (let i = 0; i < RELOADS; i += 1) {
      await page.reload();
      await page.getByRole('heading', { name: '收銀台' }).waitFor({ state: 'visible', timeout: 30_000 });
      const code = `BUSY-${String(9000 + i)}-LOAD${i}`;
      const split = await burst(code, 3, 150);
      if (split) splits.push(`${code}: ${split}`);
    }
    console.log(`first scans after a load: ${RELOADS}, split scans: ${splits.length}`);
    expect(splits).toEqual([]);
  });
});
