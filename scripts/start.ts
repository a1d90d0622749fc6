/**
 * `npm start`: build main, preload and renderer, prepare better-sqlite3 for Electron, open the app.
 * Where the Electron binary could not be installed (offline CI, sandboxes) say so in one line and
 * point at the browser variant.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'electron-vite';
import { installedElectronVersion, prepareElectronNativeBinding } from './native';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron executable, or why there is none. */
function findElectron(): { path: string; version: string } | { missing: string } {
  try {
    // The `electron` package exports the executable's path, and throws when the download failed.
    const executable = createRequire(path.join(projectRoot, 'package.json'))('electron') as unknown;
    if (typeof executable !== 'string') return { missing: 'the electron package did not give a path' };
    if (!existsSync(executable)) return { missing: `${executable} does not exist` };
    return { path: executable, version: installedElectronVersion() };
  } catch (err) {
    return { missing: err instanceof Error ? err.message.split('\n')[0]! : String(err) };
  }
}

async function main(): Promise<number> {
  const electron = findElectron();
  if ('missing' in electron) {
    console.error(
      `Electron binary not available on this machine (${electron.missing}): run "npm run start:web" to use the console in a browser.`,
    );
    return 1;
  }
  await build({ root: projectRoot });
  // The embedded hub serves the back office at /admin/ from out/backoffice.
  const vite = await import('vite');
  await vite.build({
    configFile: path.join(projectRoot, 'backend-sync', 'backoffice', 'vite.config.ts'),
    logLevel: 'warn',
  });
  try {
    prepareElectronNativeBinding(electron.version);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    console.error(
      `Could not prepare better-sqlite3 for Electron (${reason}): run "npm run start:web" instead.`,
    );
    return 1;
  }

  const env = { ...process.env };
  // Set in some shells and CI images; it would make Electron behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electron.path, [projectRoot], { cwd: projectRoot, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
