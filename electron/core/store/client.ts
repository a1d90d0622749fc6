/**
 * The knex client for the console database: knex's own better-sqlite3 client, except that a
 * top-level transaction starts with `BEGIN IMMEDIATE` instead of `BEGIN`.
 *
 * Why: a deferred `BEGIN` takes the write lock only at the first write, so a transaction that
 * reads, then writes, can fail half-way with SQLITE_BUSY when another connection (a second
 * process, a backup tool) wrote in between. Taking the lock up front makes a write transaction
 * either start (and then finish) or wait up to busy_timeout before it does anything.
 * knex hard-codes 'BEGIN;' for SQLite and has no option for it, hence the two small subclasses.
 * Nested transactions still use SAVEPOINTs (knex decides that before calling begin()).
 */
import type { Knex } from 'knex';
import Client_BetterSQLite3 from 'knex/lib/dialects/better-sqlite3/index.js';
import Transaction_Sqlite from 'knex/lib/dialects/sqlite3/execution/sqlite-transaction.js';

class ImmediateTransaction extends Transaction_Sqlite {
  begin(conn: unknown): Promise<unknown> {
    return this.query(conn, 'BEGIN IMMEDIATE;');
  }
}

export class ImmediateBetterSqliteClient extends Client_BetterSQLite3 {
  override transaction(...args: unknown[]): Knex.Transaction {
    return new ImmediateTransaction(this, ...args) as unknown as Knex.Transaction;
  }
}
