/**
 * What `npm start` does with no hub configured: start the embedded demo hub, enroll the console to
 * it, and find the same hub again on the next start. Real hub, real core, real SQLite files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleCore, type ConsoleCore } from '../core';
import { createKeyfileSecretStore } from '../core/secrets/keyfile';
import { tempDir } from '../core/testing/temp';
import { configuredHubUrl, enrollToEmbeddedHub, startEmbeddedHub, type EmbeddedHub } from './hub-setup';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function userDataDir(): string {
  const tmp = tempDir('omo-main-test-');
  cleanups.push(tmp.remove);
  return tmp.dir;
}

async function openCore(userData: string, hub: EmbeddedHub): Promise<ConsoleCore> {
  const core = await createConsoleCore({
    dataDir: userData,
    secretStore: createKeyfileSecretStore(userData),
    host: 'electron',
    appVersion: 'test',
    suggestedHubUrl: hub.url,
  });
  cleanups.push(() => core.close());
  return core;
}

describe('configuredHubUrl', () => {
  it('prefers OMO_HUB_URL, then config.json, else none', async () => {
    const userData = userDataDir();
    expect(await configuredHubUrl(userData, {})).toBeNull();
    writeFileSync(path.join(userData, 'config.json'), JSON.stringify({ hubUrl: 'https://hub.example.com' }));
    expect(await configuredHubUrl(userData, {})).toBe('https://hub.example.com');
    expect(await configuredHubUrl(userData, { OMO_HUB_URL: 'http://10.0.0.2:4100' })).toBe(
      'http://10.0.0.2:4100',
    );
  });

  it('refuses a config.json whose hubUrl is not an http(s) URL', async () => {
    const userData = userDataDir();
    mkdirSync(userData, { recursive: true });
    writeFileSync(path.join(userData, 'config.json'), JSON.stringify({ hubUrl: 'file:///etc/passwd' }));
    await expect(configuredHubUrl(userData, {})).rejects.toThrow(/config.json is invalid/);
  });
});

describe('embedded hub', () => {
  it('enrolls the console once and comes back on the same port', async () => {
    const userData = userDataDir();
    const first = await startEmbeddedHub(userData);
    const firstPort = first.port;
    const core = await openCore(userData, first);

    expect(await enrollToEmbeddedHub(core, first)).toBe('enrolled');
    const info = await core.dispatch('enrollment.get', undefined);
    expect(info).toMatchObject({ ok: true, value: { enrolled: true, hubUrl: first.url } });
    await first.close();

    const second = await startEmbeddedHub(userData);
    cleanups.push(() => second.close());
    expect(second.port).toBe(firstPort);
    expect(await enrollToEmbeddedHub(core, second)).toBe('already enrolled');
  });
});
