/**
 * What `npm start` does: the demo hub in the script's process, the app (here its core) enrolled to
 * it through `--demo`, and the same hub found again on the next start. Real hub, real core, real
 * SQLite files.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../electron/core';
import { createKeyfileSecretStore } from '../electron/core/secrets/keyfile';
import { decideHubSetup } from '../electron/main/config';
import { enrollToDemoHub } from '../electron/main/demoEnroll';
import { tempDir } from '../electron/testing/temp';
import { startDemoHub } from './demo-hub';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openCore(userData: string): Promise<ConsoleCore> {
  const core = await createConsoleCore({
    dataDir: userData,
    secretStore: createKeyfileSecretStore(userData),
    host: 'electron',
    appVersion: 'test',
  });
  cleanups.push(() => core.close());
  return core;
}

describe('the demo hub of npm start', () => {
  it('enrolls the console once and comes back on the same port', async () => {
    const tmp = tempDir('omo-demo-hub-');
    cleanups.push(tmp.remove);
    const hubDir = path.join(tmp.dir, 'hub');
    const first = await startDemoHub(hubDir, () => undefined);
    const firstPort = first.port;
    const core = await openCore(path.join(tmp.dir, 'app'));

    const setup = decideHubSetup({
      config: null,
      env: { OMO_DEMO_HUB_URL: first.url, OMO_DEMO_PAIRING_CODE: first.pairingCode },
      argv: ['electron', '.', '--demo'],
      packaged: false,
    });
    if (setup.kind !== 'demo') throw new Error(`expected the demo, got ${setup.kind}`);
    expect(await enrollToDemoHub(core, setup)).toBe('enrolled');
    const info = await core.dispatch('enrollment.get', undefined);
    expect(info).toMatchObject({ ok: true, value: { enrolled: true, hubUrl: first.url } });
    await first.close();

    const second = await startDemoHub(hubDir, () => undefined);
    cleanups.push(() => second.close());
    expect(second.port).toBe(firstPort);
    expect(await enrollToDemoHub(core, { hubUrl: second.url, pairingCode: second.pairingCode })).toBe(
      'already enrolled',
    );
  });
});
