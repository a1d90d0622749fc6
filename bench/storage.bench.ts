/**
 * storage: what a durable single-row write costs through knex, against bare better-sqlite3 doing
 * the same work on the same kind of file (WAL, synchronous=FULL, one row per transaction — a
 * redemption commit). The ratio is knex's overhead; the value is what a cashier waits for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import knex from 'knex';
import { p50, type BenchGroup } from './types';

const WARMUP = 50;
const SAMPLES = 400;
const ROW = { code: 'OMO-2024-ABCD-1234', staff: 'S001', at: '2026-01-01T00:00:00.000Z' };

function openBare(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(
    'CREATE TABLE redemption (id INTEGER PRIMARY KEY, code TEXT NOT NULL, staff TEXT NOT NULL, at TEXT NOT NULL)',
  );
  return db;
}

async function bareInsertMs(file: string): Promise<number> {
  const db = openBare(file);
  const insert = db.prepare('INSERT INTO redemption (code, staff, at) VALUES (@code, @staff, @at)');
  const once = db.transaction(() => insert.run(ROW));
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t = performance.now();
    once.immediate();
    if (i >= WARMUP) samples.push(performance.now() - t);
  }
  db.close();
  return p50(samples);
}

async function knexInsertMs(file: string): Promise<number> {
  openBare(file).close();
  const db = knex({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: Database.Database, done: (err: Error | null, conn: unknown) => void) => {
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = FULL');
        done(null, conn);
      },
    },
  });
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const t = performance.now();
    await db.transaction((trx) => trx('redemption').insert(ROW));
    if (i >= WARMUP) samples.push(performance.now() - t);
  }
  await db.destroy();
  return p50(samples);
}

const storage: BenchGroup = {
  name: 'storage',
  async run() {
    const dir = mkdtempSync(path.join(tmpdir(), 'omo-bench-'));
    try {
      const baseline = await bareInsertMs(path.join(dir, 'bare.sqlite'));
      const value = await knexInsertMs(path.join(dir, 'knex.sqlite'));
      return [{ name: 'storage.full_sync_insert_ms', value, unit: 'ms', baseline }];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default storage;
