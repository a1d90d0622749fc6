/**
 * `npm start`: the product on any machine. Where Electron's desktop binary is present (or can be
 * fetched now) it builds main, preload and renderer, prepares better-sqlite3 for Electron and opens
 * the app; with no hub configured (OMO_HUB_URL unset) it first starts the demo hub in its own
 * process (scripts/demo-hub.ts, data in var/demo-hub) and opens the app with `--demo`, which enrolls
 * to it; the app itself never contains the hub. Where the binary is not there (networks that block
 * GitHub, CI runners, sandboxes) it says so in one line and runs the browser build instead: the
 * embedded demo hub, the console enrolled to it, the URL printed and opened in the default browser.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'electron-vite';
import { describe, ensureElectron } from './electron-binary.mjs';
import { startDemoHub, type DemoHub } from './demo-hub';
import { prepareElectronNativeBinding } from './native';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a child with our stdio, passes Ctrl-C / SIGTERM on, and resolves with its exit code. */
function runForeground(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const child = spawn(command, args, { cwd: projectRoot, env, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/** The browser build: `start:web` with the demo hub, enrolled, and a browser opened at it. */
function startInBrowser(): Promise<number> {
  const tsx = path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const args = [tsx, path.join(projectRoot, 'scripts', 'start-web.ts'), '--enroll-demo', '--open'];
  return runForeground(process.execPath, [...args, ...process.argv.slice(2)], process.env);
}

async function main(): Promise<number> {
  // A Linux machine without a display (a server, a CI runner) has nowhere to open a window.
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log('No display on this machine (DISPLAY is unset): serving the console to a browser instead.');
    return startInBrowser();
  }
  const electron = await ensureElectron();
  if (!electron.ok) {
    console.log(describe(electron));
    return startInBrowser();
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
    console.log(
      `Could not prepare better-sqlite3 for Electron (${reason}): serving the console to your browser instead.`,
    );
    return startInBrowser();
  }

  const env = { ...process.env };
  // Set in some shells and CI images; it would make Electron behave as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  const args = [projectRoot];
  let demo: DemoHub | null = null;
  if (!env.OMO_HUB_URL) {
    demo = await startDemoHub(path.join(projectRoot, 'var', 'demo-hub'));
    Object.assign(env, { OMO_DEMO_HUB_URL: demo.url, OMO_DEMO_PAIRING_CODE: demo.pairingCode });
    args.push('--demo');
  }
  const code = await runForeground(electron.path, args, env);
  await demo?.close();
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
