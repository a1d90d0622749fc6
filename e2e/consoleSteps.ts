/**
 * The steps most console e2e files start with, on the zh-TW screens: enroll the device with a
 * demo pairing code, then sign in as a demo staff member until the status bar says online.
 * (console.e2e.ts walks the same screens itself: its subject is those screens, errors included.)
 */
import type { Page } from 'playwright-core';

const see = (page: Page, name: string, timeout: number) =>
  page.getByRole('heading', { name }).waitFor({ state: 'visible', timeout });

/** From the enrollment screen at `url` to the sign-in screen (the first sync can take a while). */
export async function enrollDevice(
  page: Page,
  url: string,
  pairingCode: string,
  deviceName?: string,
): Promise<void> {
  await page.goto(url);
  await see(page, '註冊此裝置', 30_000);
  await page.getByLabel('配對碼').fill(pairingCode);
  // The hub names the device as typed here (over the name the back office gave its code).
  if (deviceName) await page.getByLabel('裝置名稱').fill(deviceName);
  await page.getByRole('button', { name: '註冊裝置' }).click();
  await see(page, '員工登入', 90_000);
}

/** From the sign-in screen to signed in and online. */
export async function signIn(page: Page, staff: { staffCode: string; pin: string }): Promise<void> {
  await page.getByLabel('員工代碼').fill(staff.staffCode);
  await page.getByLabel('PIN 密碼').fill(staff.pin);
  await page.getByLabel('PIN 密碼').press('Enter');
  await page
    .getByRole('status', { name: '同步狀態' })
    .getByText('已連線', { exact: true })
    .waitFor({ state: 'visible', timeout: 30_000 });
}
