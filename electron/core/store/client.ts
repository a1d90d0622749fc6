/**
 * The console database's knex client: knex's own better-sqlite3 client, with two differences.
 *
 * 1. It runs on the ONE connection the store opened and owns (store/db.ts): knex's pool asks for a
 *    connection and always gets that one, so code holding the store can also use the connection
 *    directly (prepared statements, synchronous transactions) knowing it is the one knex uses.
 * 2. A top-level transaction starts with `BEGIN IMMEDIATE` instead of `BEGIN`. A deferred `BEGIN`
 *    takes the write lock only at the first write, so a transaction that reads, then writes, can
 *    fail half-way with SQLITE_BUSY when another connection (a second process, a backup tool)
 *    wrote in between. Taking the lock up front makes a write transaction either start (and then
 *    finish) or wait up to busy_timeout before it does anything. knex hard-codes 'BEGIN;' for
 *    SQLite and has no option for it, hence the subclasses. Nested transactions still use
 *    SAVEPOINTs (knex decides that before calling begin()).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';
import Client_BetterSQLite3 from 'knex/lib/dialects/better-sqlite3/index.js';
import Transaction_Sqlite from 'knex/lib/dialects/sqlite3/execution/sqlite-transaction.js';

/** Serialises the store's transactions: at most one is open on its connection at any time. */
export interface WriteLock {
  run<T>(fn: () => T | Promise<T>): Promise<T>;
}

export function createWriteLock(): WriteLock {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(fn) {
      const result = tail.then(fn);
      tail = result.catch(() => {});
      return result;
    },
  };
}

/** The console store: its one SQLite connection and the lock every transaction on it takes. */
export interface Store {
  readonly conn: BetterSqlite3.Database;
  readonly lock: WriteLock;
}

/** knex's configuration plus the store, which the client and store/transaction.ts read back. */
export interface StoreConfig extends Knex.Config {
  store: Store;
}

class ImmediateTransaction extends Transaction_Sqlite {
  begin(conn: unknown): Promise<unknown> {
    return this.query(conn, 'BEGIN IMMEDIATE;');
  }
}

export class StoreClient extends Client_BetterSQLite3 {
  override transaction(...args: unknown[]): Knex.Transaction {
    return new ImmediateTransaction(this, ...args) as unknown as Knex.Transaction;
  }

  /** The pool's one connection is the store's own; knex never opens a second one. */
  override async acquireRawConnection(): Promise<BetterSqlite3.Database> {
    const { conn } = (this.config as StoreConfig).store;
    if (!conn.open) throw new Error('the console store is closed');
    return conn;
  }

  /** knex.destroy() closes the store. */
  override async destroyRawConnection(conn: BetterSqlite3.Database): Promise<void> {
    conn.close();
  }
}
