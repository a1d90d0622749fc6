/**
 * Child processes for the fault tests: console lives (worker.ts) and a hub (hubProcess.ts) that
 * can be SIGKILLed. Both are bundled ONCE per test file with esbuild into one file each, npm
 * packages included (native modules and unused database drivers stay external): a few hundred
 * short lives started through tsx, or resolving hundreds of package files each, would spend most
 * of their time loading code (≈1 s vs ≈0.3 s per start).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

export interface Bundles {
  worker: string;
  hub: string;
  remove(): void;
}

/** Native modules (loaded from node_modules) and drivers knex names but we never load. */
const NOT_BUNDLED = [
  'better-sqlite3',
  'node-hid',
  'pg-native',
  'pg-query-stream',
  'mysql',
  'mysql2',
  'mariadb',
  'mariadb/callback',
  'oracledb',
  'tedious',
  'sqlite3',
  'pino-pretty',
  '@node-rs/argon2', // a native .node binary, like better-sqlite3
  'bufferutil',
  'utf-8-validate',
];

/** Bundles the given entry points (name → .ts file) into node_modules/.cache (so the external ones resolve). */
export async function bundleScripts(entries: Record<string, string>): Promise<{
  paths: Record<string, string>;
  remove(): void;
}> {
  const outdir = path.join(repoRoot, 'node_modules', '.cache', 'omo-faults', `${process.pid}-${Date.now()}`);
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: entries,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: NOT_BUNDLED,
    // Bundled CommonJS packages still call require() for Node's own modules.
    banner: {
      js: "import { createRequire as omoCreateRequire } from 'node:module'; const require = omoCreateRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  return {
    paths: Object.fromEntries(Object.keys(entries).map((name) => [name, path.join(outdir, `${name}.mjs`)])),
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** Bundles worker.ts and hubProcess.ts. */
export async function bundleFaultScripts(): Promise<Bundles> {
  const { paths, remove } = await bundleScripts({
    worker: path.join(here, 'worker.ts'),
    hub: path.join(here, 'hubProcess.ts'),
  });
  return { worker: paths.worker!, hub: paths.hub!, remove };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Every stdout line, in order. */
  lines: string[];
  stderr: string;
}

export interface Child {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first stdout line that satisfies `accept` (or rejects when the child exits first / after the timeout). */
  waitForLine(accept: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  exited: Promise<Exit>;
}

/** Starts `node <script> <json arg>` with stdout split into lines. */
export function startScript(script: string, arg: unknown, env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(process.execPath, [script, JSON.stringify(arg)], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  let stderr = '';
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts.filter((l) => l.length > 0));
    for (const w of waiters) w();
  });
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (chunk: string) => {
    // Keep the tail only: enough to explain a failure.
    stderr = (stderr + chunk).slice(-8000);
  });
  const exited = new Promise<Exit>((resolve) => {
    proc.on('close', (code, signal) => {
      if (buffered) lines.push(buffered);
      resolve({ code, signal, lines, stderr });
      for (const w of waiters) w();
    });
  });
  let done = false;
  void exited.then(() => (done = true));

  const waitForLine: Child['waitForLine'] = (accept, what, timeoutMs = 15_000) =>
    new Promise((resolve, reject) => {
      const finish = () => {
        const found = lines.find(accept);
        if (found !== undefined || done) {
          clearTimeout(timer);
          waiters.delete(finish);
          if (found !== undefined) resolve(found);
          else reject(new Error(`${what}: the process exited first\n${lines.join('\n')}\n${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(finish);
        reject(new Error(`${what}: nothing within ${timeoutMs} ms\n${lines.join('\n')}\n${stderr}`));
      }, timeoutMs);
      waiters.add(finish);
      finish();
    });

  return { proc, lines, waitForLine, exited };
}

/** Waits for a child to end, killing it (SIGKILL) after `timeoutMs` so no test hangs. */
export async function endOf(child: Child, timeoutMs: number): Promise<Exit> {
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), timeoutMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}
