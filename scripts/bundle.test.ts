/**
 * What a packaged app holds: electron-builder's own node-module collector (app-builder-lib, the
 * code `npm run dist` runs; it needs no Electron binary) lists the packages it would copy into
 * the bundle's node_modules, and none may be a server's — the hub and the emulator run elsewhere.
 * The configuration itself goes through electron-builder's own validation.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(projectRoot, 'package.json'));
const fromBuilder = createRequire(require.resolve('app-builder-lib'));

interface NodeModuleInfo {
  name: string;
  dependencies?: NodeModuleInfo[];
}

/** Package names electron-builder would put in the app's node_modules. */
async function bundledPackages(): Promise<Set<string>> {
  const collectors = require('app-builder-lib/out/node-module-collector/index.js') as {
    PM: { NPM: string };
    getCollectorByPackageManager(
      pm: string,
      dir: string,
      tmp: unknown,
    ): { getNodeModules(o: { packageName: string }): Promise<{ nodeModules: NodeModuleInfo[] }> };
  };
  const { TmpDir } = fromBuilder('temp-file') as {
    TmpDir: new (name: string) => { cleanup(): Promise<void> };
  };
  const tmp = new TmpDir('omo-bundle-test');
  try {
    const collector = collectors.getCollectorByPackageManager(collectors.PM.NPM, projectRoot, tmp);
    const { nodeModules } = await collector.getNodeModules({ packageName: 'omo-store-console' });
    const names = new Set<string>();
    const walk = (modules: NodeModuleInfo[] | undefined) => {
      for (const m of modules ?? []) {
        names.add(m.name);
        walk(m.dependencies);
      }
    };
    walk(nodeModules);
    return names;
  } finally {
    await tmp.cleanup();
  }
}

/** Packages only a server needs: the hub's HTTP and socket.io server, PostgreSQL, LINE's SDK… */
const SERVER_PACKAGES = [
  'fastify',
  'pg',
  'pg-pool',
  'socket.io',
  'socket.io-adapter',
  'engine.io',
  '@line/bot-sdk',
  'pino-pretty',
  'find-my-way',
  'light-my-request',
];

describe('the app bundle', () => {
  it('holds the console only: no server package', { timeout: 120_000 }, async () => {
    const bundled = await bundledPackages();
    // The console's own runtime is there (a collector that found nothing would pass vacuously).
    for (const needed of [
      'better-sqlite3',
      'knex',
      'socket.io-client',
      'electron-updater',
      'node-hid',
      'pino',
    ]) {
      expect(bundled, needed).toContain(needed);
    }
    const servers = [...bundled].filter(
      (name) => SERVER_PACKAGES.includes(name) || name.startsWith('@fastify/'),
    );
    expect(servers).toEqual([]);
    // The renderer is bundled by Vite into out/renderer: its libraries need not ship again.
    expect([...bundled].filter((n) => ['vue', 'naive-ui', 'pinia'].includes(n))).toEqual([]);
  });

  it("passes electron-builder's own configuration validation", async () => {
    const config = require('app-builder-lib/out/util/config/config.js') as {
      getConfig(dir: string, file: string | null, fromOptions: null): Promise<unknown>;
      validateConfiguration(config: unknown, debug: unknown): Promise<void>;
    };
    const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const loaded = await config.getConfig(projectRoot, path.join(projectRoot, 'electron-builder.yml'), null);
    await expect(config.validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    expect(loaded).toMatchObject({
      win: { signtoolOptions: { publisherName: [expect.any(String)] } },
      mac: { hardenedRuntime: true, notarize: true },
      linux: { target: ['AppImage', 'deb'] },
    });
  });
});
