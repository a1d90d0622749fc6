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
import { createConsoleCore } from '../electron/core/index';
import { createKeyfileSecretStore } from '../electron/core/secrets/keyfile';
import { DB_FILE_NAME, openConsoleDb } from '../electron/core/store/db';
import { noFaults } from '../electron/core/sync/faults';
import { redeemClaim } from '../electron/core/till/redeem';
import { seededPrng } from '../backend-sync/domain/prng';
import { measureDrain } from './tillDrain';
import { BENCH_STAFF, BENCH_IDS, claimCode, isRedeemed, seedTillStore } from './tillStore';
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
  const prng = seededPrng(42);
  const codes: string[] = [];
  while (codes.length < count) {
    const i = 1 + prng.int(CLAIMS);
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

/**
 * Value and baseline are sampled alternately, one of each per step: this machine's fsync and CPU
 * share vary a lot from minute to minute, and a baseline measured at another moment would turn
 * that noise into the ratio.
 */
interface Paired {
  value: number[];
  baseline: number[];
}

async function paired(
  steps: number,
  warmup: number,
  value: () => Promise<unknown>,
  baseline: () => void,
): Promise<Paired> {
  const out: Paired = { value: [], baseline: [] };
  for (let n = 0; n < warmup + steps; n += 1) {
    let t = performance.now();
    await value();
    const v = performance.now() - t;
    t = performance.now();
    baseline();
    const b = performance.now() - t;
    if (n >= warmup) {
      out.value.push(v);
      out.baseline.push(b);
    }
  }
  return out;
}

/** The bare indexed lookup: a prepared statement on a second, read-only connection. */
function bareLookup(dataDir: string): { lookup(code: string): void; close(): void } {
  const db = new Database(path.join(dataDir, DB_FILE_NAME), { readonly: true });
  const statement = db.prepare('SELECT data FROM claims WHERE code = ?');
  return {
    lookup(code) {
      const row = statement.get(code) as { data: string } | undefined;
      if (row) JSON.parse(row.data);
    },
    close: () => db.close(),
  };
}

/** The bare durable insert: one row per BEGIN IMMEDIATE … COMMIT, WAL, synchronous=FULL. */
function bareInsert(file: string): { insert(): void; close(): void } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE redemption (id TEXT PRIMARY KEY, claim_id TEXT NOT NULL, at TEXT NOT NULL)');
  const statement = db.prepare('INSERT INTO redemption (id, claim_id, at) VALUES (?, ?, ?)');
  const once = db.transaction((n: number) => statement.run(`r-${n}`, `claim-${n}`, new Date().toISOString()));
  let n = 0;
  return { insert: () => once.immediate((n += 1)), close: () => db.close() };
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

/** The commit path alone, on the console's own store (same opener, pragmas and client). */
async function commitPath(
  dataDir: string,
  next: () => { claimId: string; scannedCode: string },
  bare: { insert(): void },
): Promise<Paired> {
  const db = await openConsoleDb({ dataDir });
  try {
    const staff = {
      id: 'staff-bench',
      staffCode: BENCH_STAFF.staffCode,
      displayName: 'Bench Associate',
      role: 'sales_associate' as const,
      branchId: BENCH_IDS.branch,
      signedInAt: new Date().toISOString(),
      signInId: 'signin-bench',
    };
    const deps = { db, clock: systemClock, ids: uuidV7, faults: noFaults };
    return await paired(REDEEMS, REDEEM_WARMUP, () => redeemClaim(deps, staff, next()), bare.insert);
  } finally {
    await db.destroy();
  }
}

async function localStore(): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'omo-bench-till-'));
  try {
    const seeded = performance.now();
    await seedTillStore(dir, CLAIMS, new Date());
    console.log(
      `till: ${CLAIMS.toLocaleString('en')} claims seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s`,
    );
    const codes = scanCodes(SCAN_WARMUP + SCANS);
    const next = freshClaims();
    const insert = bareInsert(path.join(dir, 'bare.sqlite'));
    const lookup = bareLookup(dir);
    try {
      const commit = await commitPath(dir, next, insert);
      const core = await createConsoleCore({
        dataDir: dir,
        secretStore: createKeyfileSecretStore(dir),
        host: 'web',
        appVersion: '0.0.0-bench',
        logger: pino({ level: 'silent' }),
      });
      try {
        await unwrap(core.dispatch('session.signIn', BENCH_STAFF));
        let i = 0;
        let j = 0;
        const scans = await paired(
          SCANS,
          SCAN_WARMUP,
          () => unwrap(core.dispatch('till.scan', { input: codes[i++]!, origin: 'wedge' })),
          () => lookup.lookup(codes[j++]!),
        );
        const dispatched = await paired(
          REDEEMS,
          REDEEM_WARMUP,
          () => unwrap(core.dispatch('till.redeem', next())),
          insert.insert,
        );
        return [
          { name: 'till.verdict_p99_ms', value: p99(scans.value), unit: 'ms', baseline: p99(scans.baseline) },
          {
            name: 'till.redeem_commit_ms',
            value: p50(commit.value),
            unit: 'ms',
            baseline: p50(commit.baseline),
          },
          {
            name: 'till.redeem_dispatch_ms',
            value: p50(dispatched.value),
            unit: 'ms',
            baseline: p50(dispatched.baseline),
          },
        ];
      } finally {
        await core.close();
      }
    } finally {
      insert.close();
      lookup.close();
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
