/**
 * The demo wiring, for real: the emulator with the demo channels beside a demo hub whose channel
 * base URLs point at it. A pretend customer's binding message verifies at the hub, and the hub's
 * binding reply comes back through the emulator — so `npm start` / `start:web` work as documented.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHub, type Hub } from '../hub/server';
import { startDemoEmulator, type DemoEmulator } from './embedded';

let hub: Hub | undefined;
let emulator: DemoEmulator | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await hub?.close();
  await emulator?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('the demo emulator beside a demo hub', () => {
  it('binds customers over LINE and WhatsApp and carries the hub’s replies', async () => {
    emulator = await startDemoEmulator();
    dataDir = mkdtempSync(path.join(tmpdir(), 'omo-emulator-demo-'));
    hub = await createHub({
      port: 0,
      dataDir,
      databaseUrl: null,
      demo: true,
      logLevel: 'warn',
      ...emulator.hubChannelOptions,
    });
    emulator.setHubUrl(hub.url);

    const line = await emulator.say({
      channel: 'line',
      user: 'U1',
      text: '聯絡專員 S001',
      displayName: '陳小姐',
    });
    expect(line.hub.status).toBe(200);
    const reply = await until('the LINE reply', () => emulator!.state.sent({ channel: 'line', to: 'U1' })[0]);
    expect(reply.api).toBe('reply');
    expect(JSON.stringify(reply.messages)).toContain('林小美');

    const wa = await emulator.say({ channel: 'whatsapp', user: '85298765432', text: '聯絡專員s003' });
    expect(wa.hub.status).toBe(200);
    const sent = await until('the WhatsApp reply', () => emulator!.state.sent({ channel: 'whatsapp' })[0]);
    expect(sent.to).toEqual(['85298765432']);
    expect(JSON.stringify(sent.messages)).toContain('蔡宗翰');
  });
});
