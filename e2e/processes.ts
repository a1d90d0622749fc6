/**
 * Child processes for the end-to-end tests: the hub CLI and `start:web`, each run as one Node
 * process (`node --import tsx …`) so a signal reaches the process that holds the port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const artifactsDir = path.join(projectRoot, 'e2e', '.artifacts');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `probe` resolves true; fails with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  /** Returns a reason to give up early (e.g. the process exited). */
  failIf: () => string | null = () => null,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    const reason = failIf();
    if (reason) throw new Error(`Gave up waiting for ${what}: ${reason}`);
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const httpOk = (url: string) => async () => (await fetch(url)).ok;

export interface Child {
  process: ChildProcess;
  output(): string;
  /** Why the process is gone, or null while it runs. */
  exited(): string | null;
  /** Signals the process and waits for it to exit (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export function startTsProcess(
  name: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Child {
  mkdirSync(artifactsDir, { recursive: true });
  const log = createWriteStream(path.join(artifactsDir, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: projectRoot,
    // Every process keeps its state in the test's temp folder: a hub inheriting CI's DATABASE_URL
    // would share PostgreSQL's public schema with earlier runs (the hub tests give themselves
    // private schemas; here SQLite is the simple equivalent).
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    log.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    output: () => output,
    exited: () =>
      child.exitCode !== null || child.signalCode !== null
        ? `exited with ${child.exitCode ?? child.signalCode}`
        : null,
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}

export interface DemoLogins {
  pairingCodes: { branchCode: string; code: string }[];
  staff: { staffCode: string; pin: string; branchCode: string | null }[];
}

/** Reads the pairing codes and sign-ins from the hub CLI's start-up banner. */
export function parseDemoBanner(output: string): DemoLogins {
  const lines = output.split('\n');
  const section = (title: RegExp) => {
    const start = lines.findIndex((l) => title.test(l));
    if (start < 0) return [];
    const body: string[] = [];
    for (const line of lines.slice(start + 1)) {
      if (!/^ {4}\S/.test(line)) break;
      body.push(line.trim());
    }
    return body;
  };
  const pairingCodes = section(/Pairing codes/).map((l) => {
    const [branchCode = '', code = ''] = l.split(/\s+/);
    return { branchCode, code };
  });
  const staff = section(/Sign-ins/).map((l) => {
    const [staffCode = '', pin = '', , branch = ''] = l.split(/\s+/);
    return { staffCode, pin, branchCode: branch.startsWith('(') ? null : branch };
  });
  return { pairingCodes, staff };
}

export interface HubProcess extends Child {
  url: string;
  demo: DemoLogins;
}

export async function startHub(port: number, dataDir: string, name = 'hub'): Promise<HubProcess> {
  const child = startTsProcess(name, 'backend-sync/hub/cli.ts', [
    '--port',
    String(port),
    '--data',
    dataDir,
    '--demo',
  ]);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil('the hub /healthz', httpOk(`${url}/healthz`), 60_000, child.exited);
    await waitUntil('the hub banner', async () => child.output().includes('Ctrl-C to stop'), 10_000);
  } catch (err) {
    await child.stop('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- hub output ---\n${child.output()}`, { cause: err });
  }
  return { ...child, url, demo: parseDemoBanner(child.output()) };
}

/** start:web with the hub at `hubUrl`, or (null) with its embedded demo hub. */
export async function startWeb(opts: {
  hubUrl: string | null;
  dataDir: string;
  port: number;
  build: boolean;
}): Promise<Child & { url: string }> {
  const args = ['--data', opts.dataDir, '--port', String(opts.port)];
  if (opts.hubUrl) args.push('--hub-url', opts.hubUrl);
  if (opts.build) args.push('--build');
  const child = startTsProcess('start-web', 'scripts/start-web.ts', args);
  const url = `http://127.0.0.1:${opts.port}`;
  try {
    await waitUntil('start:web to serve the console', httpOk(`${url}/`), 180_000, child.exited);
  } catch (err) {
    await child.stop('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- start:web output ---\n${child.output()}`, {
      cause: err,
    });
  }
  return { ...child, url };
}

/**
 * Debian's Chromium through playwright-core, and one page that records every page exception and
 * console error (CSP violations and failed loads show up there) for the test to assert none.
 */
export async function openConsolePage(
  options: { viewport?: { width: number; height: number }; acceptDownloads?: boolean } = {},
): Promise<{ browser: Browser; page: Page; pageErrors: string[] }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: 'zh-TW',
    acceptDownloads: options.acceptDownloads ?? false,
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  return { browser, page, pageErrors };
}

/** A tsx script as a child process, once `ready` answers; its output is in the error if it never does. */
export async function startChild(
  name: string,
  script: string,
  args: string[],
  ready: string,
  env: NodeJS.ProcessEnv = {},
) {
  const child = startTsProcess(name, script, args, env);
  try {
    await waitUntil(`${name} ${ready}`, httpOk(ready), 60_000, child.exited);
  } catch (err) {
    await child.stop('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- ${name} output ---\n${child.output()}`, { cause: err });
  }
  return child;
}
