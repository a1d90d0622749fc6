/**
 * till: what a cashier waits for, on a console holding 1,000,000 claims.
 *
 * - till.verdict_p99_ms: scan string in → verdict out through the console core
 *   (dispatch('till.scan'), contract validation included), p99 over random codes — a third valid,
 *   a third unknown, a third already redeemed. Baseline: the bare indexed better-sqlite3 lookup of
 *   the same codes (`SELECT data FROM claims WHERE code = ?`, prepared), p99. Target ≤ 5 ms.
 * - till.redeem_commit_ms: the till's commit path (till/redeem.ts redeemClaim: re-read and re-judge
 *   the claim, write the redemption, the claim mirror and the outbox entry in one BEGIN IMMEDIATE
 *   transaction, commit with synchronous=FULL), p50. Baseline: a bare single-row insert committed
 *   with synchronous=FULL in a WAL file, p50. Target ratio ≤ 1.5.
 * - till.redeem_dispatch_ms (for information): the whole dispatch('till.redeem') a cashier waits
 *   for — contract validation, the commit path, then the redemption's view — p50, same baseline.
 * - till.drain_per_s: see tillDrain.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { systemClock, uuidV7 } from '../backend-sync/domain/clock';
import { createConsoleCore, type ConsoleCore } from '../electron/core/index';
import { createKeyfileSecretStore } from '../electron/core/secrets/keyfile';
import { DB_FILE_NAME, openConsoleDb } from '../electron/core/store/db';
import { noFaults } from '../electron/core/sync/hooks';
import { redeemClaim } from '../electron/core/till/redeem';
import { mulberry32 } from '../electron/core/faults/prng';
import { measureDrain } from './tillDrain';
import { BENCH_STAFF, BENCH_IDS, claimCode, isRedeemed, seedConsoleStore } from './tillStore';
import { p50, type BenchGroup, type BenchResult } from './types';

const CLAIMS = Number(process.env.BENCH_TILL_CLAIMS ?? 1_000_000);
const SCANS = 3000;
const SCAN_WARMUP = 300;
const REDEEMS = 300;
const REDEEM_WARMUP = 30;

export function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

/** Random codes: valid, unknown and already-redeemed in equal parts (seeded: same set every run). */
function scanCodes(count: number): string[] {
  const prng = mulberry32(42);
  const codes: string[] = [];
  while (codes.length < count) {
    const i = prng.int(1, CLAIMS);
    const kind = codes.length % 3;
    if (kind === 0 && !isRedeemed(i)) codes.push(claimCode(i));
    else if (kind === 1) codes.push(`X${String(i).padStart(9, '0')}`);
    else if (kind === 2 && isRedeemed(i)) codes.push(claimCode(i));
  }
  return codes;
}

async function unwrap<T>(
  result: Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }>,
): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`ConsoleApi call failed: ${r.error.code}`);
  return r.value;
}

async function verdictMs(core: ConsoleCore, codes: string[]): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < codes.length; i += 1) {
    const t = performance.now();
    await unwrap(core.dispatch('till.scan', { input: codes[i]!, origin: 'wedge' }));
    if (i >= SCAN_WARMUP) samples.push(performance.now() - t);
  }
  return p99(samples);
}

function bareLookupMs(dataDir: string, codes: string[]): number {
  const db = new Database(path.join(dataDir, DB_FILE_NAME), { readonly: true });
  try {
    const lookup = db.prepare('SELECT data FROM claims WHERE code = ?');
    const samples: number[] = [];
    for (let i = 0; i < codes.length; i += 1) {
      const t = performance.now();
      const row = lookup.get(codes[i]) as { data: string } | undefined;
      if (row) JSON.parse(row.data);
      if (i >= SCAN_WARMUP) samples.push(performance.now() - t);
    }
    return p99(samples);
  } finally {
    db.close();
  }
}

/** Hands out claims no redemption has used yet (the store's already-redeemed ones skipped). */
function freshClaims(): () => { claimId: string; scannedCode: string } {
  let i = 0;
  return () => {
    do i += 1;
    while (isRedeemed(i));
    return { claimId: `claim-${i}`, scannedCode: claimCode(i) };
  };
}

async function timedP50(run: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let n = 0; n < REDEEM_WARMUP + REDEEMS; n += 1) {
    const t = performance.now();
    await run();
    if (n >= REDEEM_WARMUP) samples.push(performance.now() - t);
  }
  return p50(samples);
}

/** The commit path alone, on the console's own store (same opener, pragmas and client). */
async function commitPathMs(
  dataDir: string,
  next: () => { claimId: string; scannedCode: string },
): Promise<number> {
  const db = await openConsoleDb({ dataDir });
  try {
    const staff = {
      id: 'staff-bench',
      staffCode: BENCH_STAFF.staffCode,
      displayName: 'Bench Associate',
      role: 'sales_associate' as const,
      branchId: BENCH_IDS.branch,
      signedInAt: new Date().toISOString(),
    };
    const deps = { db, clock: systemClock, ids: uuidV7, faults: noFaults };
    return await timedP50(() => redeemClaim(deps, staff, next()));
  } finally {
    await db.destroy();
  }
}

function bareInsertMs(file: string): number {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE redemption (id TEXT PRIMARY KEY, claim_id TEXT NOT NULL, at TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO redemption (id, claim_id, at) VALUES (?, ?, ?)');
    const once = db.transaction((n: number) => insert.run(`r-${n}`, `claim-${n}`, new Date().toISOString()));
    const samples: number[] = [];
    for (let n = 0; n < REDEEM_WARMUP + REDEEMS; n += 1) {
      const t = performance.now();
      once.immediate(n);
      if (n >= REDEEM_WARMUP) samples.push(performance.now() - t);
    }
    return p50(samples);
  } finally {
    db.close();
  }
}

async function localStore(): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'omo-bench-till-'));
  try {
    const seeded = performance.now();
    await seedConsoleStore(dir, CLAIMS, new Date());
    console.log(
      `till: ${CLAIMS.toLocaleString('en')} claims seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
    );
    const codes = scanCodes(SCAN_WARMUP + SCANS);
    const baselineLookup = bareLookupMs(dir, codes);
    const next = freshClaims();
    const commit = await commitPathMs(dir, next);

    const core = await createConsoleCore({
      dataDir: dir,
      secretStore: createKeyfileSecretStore(dir),
      host: 'web',
      appVersion: '0.0.0-bench',
      logger: pino({ level: 'silent' }),
    });
    try {
      await unwrap(core.dispatch('session.signIn', BENCH_STAFF));
      const verdict = await verdictMs(core, codes);
      const dispatched = await timedP50(() => unwrap(core.dispatch('till.redeem', next())));
      const baselineInsert = bareInsertMs(path.join(dir, 'bare.sqlite'));
      return [
        { name: 'till.verdict_p99_ms', value: verdict, unit: 'ms', baseline: baselineLookup },
        { name: 'till.redeem_commit_ms', value: commit, unit: 'ms', baseline: baselineInsert },
        { name: 'till.redeem_dispatch_ms', value: dispatched, unit: 'ms', baseline: baselineInsert },
      ];
    } finally {
      await core.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const till: BenchGroup = {
  name: 'till',
  async run() {
    return [...(await localStore()), await measureDrain()];
  },
};

export default till;
