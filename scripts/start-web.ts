/**
 * `npm run start:web`: the console in a browser. Builds the renderer when needed, starts an embedded
 * demo hub unless one is named (--hub-url / OMO_HUB_URL) — with the LINE / WhatsApp channel
 * emulator it sends through and a person can play customers with —, the console core with a key-file secret
 * store, and the web host on loopback; prints the URL to open and, for the embedded hub, the demo
 * pairing codes and sign-ins. The embedded hub keeps its port across restarts (the console stored
 * its URL at enrollment); if that port is taken, it takes another and says so — Settings then
 * follows it (the hub proves its identity) or leaves and enrolls again.
 *
 * With --enroll-demo (what `npm start` passes when there is no desktop window) the console enrolls
 * to the embedded demo hub with its first pairing code, so the browser opens at the sign-in screen;
 * with --open the default browser is opened at the URL where the machine has one.
 *
 *   tsx scripts/start-web.ts [--port 5780] [--data ./var/web] [--hub-url http://…] [--build]
 *                            [--enroll-demo] [--open]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { DemoSummary } from '../backend-sync/hub/demo/seed';
import type { ConsoleCore } from '../electron/core';
import type { EnrollmentInfo } from '../electron/core/consoleApi/contract';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rendererOut = path.join(projectRoot, 'out', 'renderer');

interface Closable {
  close(): Promise<void>;
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5780' },
      data: { type: 'string', default: './var/web' },
      'hub-url': { type: 'string' },
      build: { type: 'boolean', default: false },
      'enroll-demo': { type: 'boolean', default: false },
      open: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0–65535, not ${values.port}`);
  return {
    port,
    dataDir: path.resolve(values.data),
    hubUrl: values['hub-url'] ?? (process.env.OMO_HUB_URL || null),
    forceBuild: values.build,
    enrollDemo: values['enroll-demo'],
    openBrowser: values.open,
  };
}

async function buildRendererIfNeeded(force: boolean) {
  if (!force && existsSync(path.join(rendererOut, 'index.html'))) return;
  console.log('Building the renderer…');
  const { build } = await import('vite');
  await build({ configFile: path.join(projectRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

/** The back office the embedded hub serves at /admin/ (backend-sync/backoffice). */
async function buildBackOfficeIfNeeded(force: boolean) {
  if (!force && existsSync(path.join(projectRoot, 'out', 'backoffice', 'index.html'))) return;
  console.log('Building the back office…');
  const { build } = await import('vite');
  await build({
    configFile: path.join(projectRoot, 'backend-sync', 'backoffice', 'vite.config.ts'),
    logLevel: 'warn',
  });
}

function printDemo(demo: DemoSummary) {
  console.log('\nDemo pairing codes (one-time; enter one on the enrollment screen):');
  for (const p of demo.pairingCodes) console.log(`  ${p.branchCode.padEnd(10)} ${p.code}`);
  console.log('\nDemo sign-ins (staff code / PIN — role, branch):');
  for (const s of demo.staff) {
    console.log(
      `  ${s.staffCode.padEnd(10)} ${s.pin.padEnd(8)} ${s.displayName} — ${s.role}, ${s.branchCode ?? 'brand-wide'}`,
    );
  }
}

/** Enrolls with the demo's first pairing code unless the console is enrolled already. */
async function enrollToDemoHub(core: ConsoleCore, hubUrl: string, demo: DemoSummary): Promise<string> {
  const current = await core.dispatch('enrollment.get', undefined);
  if (current.ok && (current.value as EnrollmentInfo).enrolled) return 'Console already enrolled.';
  const pairingCode = demo.pairingCodes[0];
  if (!pairingCode) throw new Error('the demo hub has no pairing code');
  const deviceName = `Browser ${os.hostname()}`.slice(0, 100);
  const result = await core.dispatch('enrollment.enroll', {
    hubUrl,
    pairingCode: pairingCode.code,
    deviceName,
  });
  if (!result.ok)
    throw new Error(`enrolling to the demo hub failed: ${result.error.code} ${result.error.message}`);
  return `Console enrolled to the demo hub (${pairingCode.branchCode}, pairing code ${pairingCode.code}).`;
}

/** Only where a person can see a browser: a desktop session, not CI or a bare SSH shell. */
async function openInBrowser(url: string) {
  const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  if (process.env.CI || headless) return;
  const { default: open } = await import('open');
  await open(url).catch((err: unknown) =>
    console.log(`Could not open a browser (${String(err)}): open ${url}`),
  );
}

async function main() {
  const options = parseOptions();
  const started: Closable[] = [];
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: shutting down…`);
    // Reverse order: web host first (no new calls), then the core, then the hub it talks to.
    for (const part of started.reverse()) await part.close().catch((err: unknown) => console.error(err));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await buildRendererIfNeeded(options.forceBuild);

  let suggestedHubUrl = options.hubUrl;
  let demo: DemoSummary | null = null;
  let emulatorUrl: string | null = null;
  if (!suggestedHubUrl) {
    await buildBackOfficeIfNeeded(options.forceBuild);
    // Quiet: the demo hub's own lines are printed below with the console's.
    const { startDemoHub } = await import('./demo-hub');
    const hub = await startDemoHub(path.join(options.dataDir, 'hub'), () => {});
    started.push(hub);
    emulatorUrl = hub.emulator.url;
    suggestedHubUrl = hub.url;
    demo = hub.demo;
  }

  const { createConsoleCore } = await import('../electron/core');
  const { createKeyfileSecretStore } = await import('../electron/core/secrets/keyfile');
  const consoleDir = path.join(options.dataDir, 'console');
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  const core = await createConsoleCore({
    dataDir: consoleDir,
    secretStore: createKeyfileSecretStore(consoleDir),
    host: 'web',
    appVersion: pkg.version,
    suggestedHubUrl,
  });
  started.push(core);

  if (options.enrollDemo && demo) console.log(await enrollToDemoHub(core, suggestedHubUrl, demo));

  const { startWebHost } = await import('../electron/webhost/server');
  const web = await startWebHost({ core, port: options.port, staticDir: rendererOut });
  started.push(web);

  console.log(`\nOMO Store Console (web) is running.`);
  console.log(`  Open:  ${web.url}`);
  console.log(`  Hub:   ${suggestedHubUrl}${demo ? ' (embedded, demo data)' : ''}`);
  console.log(`  Data:  ${options.dataDir}`);
  if (demo) {
    const account = demo.accounts[0]!;
    console.log(`  Back office: ${suggestedHubUrl}/admin/  (${account.email} / ${account.password})`);
    printDemo(demo);
  }
  if (emulatorUrl) {
    const { exampleSayCommand } = await import('../backend-sync/emulator/cli');
    console.log(`\nChannel emulator (LINE / WhatsApp stand-in): ${emulatorUrl}`);
    console.log(`  What the hub sent: ${emulatorUrl}/emulator/sent`);
    console.log(`  Play a customer:   ${exampleSayCommand(emulatorUrl)}`);
  }
  console.log('\nPress Ctrl+C to stop.');
  if (options.openBrowser) await openInBrowser(web.url);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
