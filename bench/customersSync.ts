/**
 * The first sync of a sales manager's new console in a large branch:
 *
 * - customers.first_sync_s: from enrolling with a pairing code until the console holds all its
 *   first sync brings — the device stream (1,000,000 claims, the brand, branches, staff, coupon)
 *   and the manager's two lists ('staff:<id>': their own customers, 'team:<branch>': the branch's
 *   100,000) — from a real hub (createHub on SQLite, in its own process: it is another machine;
 *   seeded as customersHub.ts says) into a real console core (createConsoleCore: its sync engine
 *   over socket.io, store, till hooks). The manager signs in as soon as the staff rows are there,
 *   as a shop would, which opens the lists. Baseline: the bare bulk insert of the same rows into
 *   the same tables of a fresh store — every row the sync stored, copied with a prepared INSERT
 *   per row in one transaction, on a connection with the store's settings (WAL,
 *   synchronous=FULL, its page cache). Target ≤ 60 s.
 * - customers.first_sync_progress_gap_ms: the longest the first-sync progress the status bar shows
 *   stood still (from enrolling to the end, every change of `firstSync` counted). Baseline: the
 *   median time between two of its changes (a page's worth). Target ≤ 1000 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pino from 'pino';
import type { SyncStatus } from '../electron/core/consoleApi/contract';
import { createConsoleCore } from '../electron/core/index';
import { createKeyfileSecretStore } from '../electron/core/secrets/keyfile';
import { applyPragmas, DB_FILE_NAME, openConsoleDb } from '../electron/core/store/db';
import { BENCH_BRANCH, BENCH_MANAGER, benchCustomers } from './customersData';
import { HUB_DEVICE, seedHub, type SeededHub } from './customersHub';
import { p50, type BenchResult } from './types';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const CLAIMS = Number(process.env.BENCH_SYNC_CLAIMS ?? 1_000_000);
const TIMEOUT_MS = 15 * 60_000;

/** The console tables a pull writes (store/mirrors.ts). */
const MIRROR_TABLES = [
  'brand',
  'branches',
  'staff',
  'devices',
  'coupons',
  'claims',
  'customer_list',
  'redemptions',
  'broadcasts',
];

async function startHubProcess(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./hubProcess.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`hub process exited (${code})`)));
  });
  return { url: (JSON.parse(first) as { url: string }).url, child };
}

async function stopHubProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

interface SyncRun {
  seconds: number;
  /** When `firstSync` changed, from enrolling (first) to the end (last), in ms. */
  updates: number[];
}

/** Enroll, sign the manager in once the staff rows are there, wait for both lists' first sync. */
async function firstSync(hubUrl: string, dataDir: string, expected: SeededHub['expected']): Promise<SyncRun> {
  const core = await createConsoleCore({
    dataDir,
    secretStore: createKeyfileSecretStore(dataDir),
    host: 'web',
    appVersion: '0.0.0-bench',
    logger: pino({ level: 'silent' }),
  });
  // A second, read-only connection: what the console has stored so far (WAL lets it read along).
  const store = new Database(path.join(dataDir, DB_FILE_NAME), { readonly: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const staffHere = store.prepare('SELECT 1 FROM staff WHERE id = ?').pluck();
    const listsStarted = store.prepare('SELECT count(*) FROM stream_cursors').pluck();
    const updates: number[] = [];
    let shown = JSON.stringify(null);
    let signIn: ReturnType<typeof core.dispatch> | null = null;
    let lastStatus: SyncStatus | null = null;
    const finished = new Promise<number>((resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(new Error(`first sync unfinished after ${TIMEOUT_MS} ms: ${JSON.stringify(lastStatus)}`)),
        TIMEOUT_MS,
      );
      core.onEvent((name, payload) => {
        if (name !== 'sync.status') return;
        const status = (lastStatus = payload as SyncStatus);
        const now = performance.now();
        if (JSON.stringify(status.firstSync) !== shown) {
          shown = JSON.stringify(status.firstSync);
          updates.push(now);
        }
        if (!signIn && staffHere.get(BENCH_MANAGER.id)) {
          signIn = core.dispatch('session.signIn', {
            staffCode: BENCH_MANAGER.staffCode,
            pin: BENCH_MANAGER.pin,
          });
        }
        // Both lists have a cursor once their first pages are in; the progress ends with the last.
        if (status.firstSync === null && signIn && listsStarted.get() === 2) resolve(now);
      });
    });
    const started = performance.now();
    updates.push(started);
    const enrolled = await core.dispatch('enrollment.enroll', {
      hubUrl,
      pairingCode: HUB_DEVICE.pairingCode,
      deviceName: 'Counter 1',
    });
    if (!enrolled.ok) throw new Error(`enroll failed: ${enrolled.error.code}`);
    const ended = await finished;
    const signedIn = await signIn!;
    if (!signedIn.ok) throw new Error(`sign-in failed: ${signedIn.error.code}`);
    checkStored(store, expected);
    // The last update is the one that ended it (the team list's progress gone).
    return { seconds: (ended - started) / 1000, updates: updates.filter((t) => t <= ended) };
  } finally {
    clearTimeout(timer);
    store.close();
    await core.close();
  }
}

function checkStored(store: Database.Database, expected: SeededHub['expected']): void {
  const count = (sql: string, ...params: unknown[]) =>
    store
      .prepare(sql)
      .pluck()
      .get(...params) as number;
  const got = {
    claims: count('SELECT count(*) FROM claims'),
    teamCustomers: count('SELECT count(*) FROM customer_list WHERE stream = ?', `team:${BENCH_BRANCH.id}`),
    managerCustomers: count(
      'SELECT count(*) FROM customer_list WHERE stream = ?',
      `staff:${BENCH_MANAGER.id}`,
    ),
  };
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new Error(`first sync stored ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  }
}

/** Every row the sync stored, into the same tables of a fresh store: one transaction, in seconds. */
async function bareInsert(syncedDir: string, freshDir: string): Promise<number> {
  await (await openConsoleDb({ dataDir: freshDir })).destroy();
  const from = new Database(path.join(syncedDir, DB_FILE_NAME), { readonly: true });
  const to = new Database(path.join(freshDir, DB_FILE_NAME));
  try {
    applyPragmas(to);
    const copies = MIRROR_TABLES.map((table) => {
      const columns = (from.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
      return {
        read: from.prepare(`SELECT ${columns.join(', ')} FROM ${table}`).raw(),
        insert: to.prepare(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
        ),
      };
    });
    const started = performance.now();
    to.transaction(() => {
      for (const { read, insert } of copies) for (const row of read.iterate()) insert.run(row);
    })();
    return (performance.now() - started) / 1000;
  } finally {
    from.close();
    to.close();
  }
}

export async function measureFirstSync(): Promise<BenchResult[]> {
  const hubDir = mkdtempSync(path.join(tmpdir(), 'omo-bench-sync-hub-'));
  const consoleDir = mkdtempSync(path.join(tmpdir(), 'omo-bench-sync-console-'));
  const freshDir = mkdtempSync(path.join(tmpdir(), 'omo-bench-sync-bare-'));
  try {
    const now = new Date();
    const seeded = performance.now();
    const { expected } = await seedHub(hubDir, benchCustomers(CUSTOMERS, now), CLAIMS, now);
    console.log(
      `customers: hub seeded with ${CUSTOMERS.toLocaleString('en')} customers and ${CLAIMS.toLocaleString('en')} claims in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
    );
    const hub = await startHubProcess(hubDir);
    let run: SyncRun;
    try {
      run = await firstSync(hub.url, consoleDir, expected);
    } finally {
      await stopHubProcess(hub.child);
    }
    const baseline = await bareInsert(consoleDir, freshDir);
    const gaps = run.updates.slice(1).map((t, i) => t - run.updates[i]!);
    return [
      { name: 'customers.first_sync_s', value: run.seconds, unit: 's', baseline },
      {
        name: 'customers.first_sync_progress_gap_ms',
        value: Math.max(...gaps),
        unit: 'ms',
        baseline: p50(gaps),
      },
    ];
  } finally {
    for (const dir of [hubDir, consoleDir, freshDir]) rmSync(dir, { recursive: true, force: true });
  }
}
