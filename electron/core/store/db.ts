/**
 * Opens the console's local database: one SQLite file per installation, one better-sqlite3
 * connection the store owns, and the knex instance that runs on it (store/client.ts). The durability pragmas are set on the connection and then read back: if SQLite
 * silently ignored one (a read-only folder cannot switch to WAL, say), we refuse to start rather
 * than confirm redemptions that a power cut could lose.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import knex, { type Knex } from 'knex';
import { createWriteLock, StoreClient, type StoreConfig } from './client';
import { consoleMigrationSource } from './migrations';
import { schemaState, takeBackup } from './backups';

export const DB_FILE_NAME = 'console.sqlite';
export const BUSY_TIMEOUT_MS = 5000;
/** Negative: KiB, not pages. */
const CACHE_KIB = -64 * 1024;

export interface ConsoleDbOptions {
  dataDir: string;
  /** A better-sqlite3 binary built for Electron's ABI; the Node build serves tests and the web host. */
  nativeBinding?: string | undefined;
}

export class StorePragmaError extends Error {
  constructor(
    readonly pragma: string,
    readonly actual: unknown,
    readonly expected: string,
  ) {
    super(`Local database refused PRAGMA ${pragma}: got ${JSON.stringify(actual)}, need ${expected}`);
    this.name = 'StorePragmaError';
  }
}

export async function openConsoleDb(options: ConsoleDbOptions): Promise<Knex> {
  mkdirSync(options.dataDir, { recursive: true });
  const filename = path.join(options.dataDir, DB_FILE_NAME);
  // Refuses a database of a newer app; a database with migrations due is backed up first.
  const { pending } = schemaState(
    filename,
    await consoleMigrationSource.getMigrations([]),
    options.nativeBinding,
  );
  if (pending) await takeBackup(filename, 'pre-migration', new Date(), options.nativeBinding);
  const conn = new Database(filename, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    applyPragmas(conn);
  } catch (err) {
    conn.close();
    throw err;
  }
  const config: StoreConfig = {
    client: StoreClient,
    connection: { filename },
    useNullAsDefault: true,
    // One connection, the store's own (store/client.ts): SQLite has one writer anyway, and a second
    // connection used inside a transaction would wait for the first forever.
    pool: { min: 1, max: 1 },
    store: { conn, lock: createWriteLock() },
  };
  const db = knex(config);
  try {
    await assertPragmas(db);
    await db.migrate.latest({ migrationSource: consoleMigrationSource });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

/** The store's connection settings (benches give a second connection the same). */
export function applyPragmas(conn: BetterSqlite3.Database): void {
  conn.pragma('journal_mode = WAL');
  // FULL, not NORMAL: in WAL mode NORMAL can lose the last committed transactions on power loss.
  conn.pragma('synchronous = FULL');
  conn.pragma('foreign_keys = ON');
  conn.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // 64 MiB of page cache (SQLite's default is 2 MiB): at a million claims their indexes take
  // ~180 MiB, and a first sync inserts into the code and token ones at random places.
  conn.pragma(`cache_size = ${CACHE_KIB}`);
}

/** Reads every pragma back through knex (the same pooled connection) and throws if one did not stick. */
export async function assertPragmas(db: Knex): Promise<void> {
  const read = async (name: string): Promise<unknown> => {
    const rows = (await db.raw(`PRAGMA ${name}`)) as Record<string, unknown>[];
    const first = rows[0] ?? {};
    return Object.values(first)[0];
  };
  const journal = String(await read('journal_mode')).toLowerCase();
  if (journal !== 'wal') throw new StorePragmaError('journal_mode', journal, 'wal');
  const synchronous = Number(await read('synchronous'));
  if (synchronous !== 2) throw new StorePragmaError('synchronous', synchronous, '2 (FULL)');
  const foreignKeys = Number(await read('foreign_keys'));
  if (foreignKeys !== 1) throw new StorePragmaError('foreign_keys', foreignKeys, '1');
  const busy = Number(await read('busy_timeout'));
  if (!(busy >= BUSY_TIMEOUT_MS)) throw new StorePragmaError('busy_timeout', busy, `>= ${BUSY_TIMEOUT_MS}`);
}
