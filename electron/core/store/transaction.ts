/**
 * The console store's transactions. Every write runs in one, and every transaction takes the
 * store's write lock first (store/client.ts), so at most one is ever open on the store's one
 * connection. Each holds SQLite's write lock from its first statement (BEGIN IMMEDIATE).
 *
 * - `writeTransaction(db, fn)`: a knex transaction. Inside `fn` use the `trx` it is given, never
 *   the outer knex: a query on the outer knex waits for the connection the transaction holds.
 * - `writeTransactionSync(db, fn)`: `fn` runs synchronously on the connection between BEGIN
 *   IMMEDIATE and COMMIT, with statements prepared once (the till's redemption, the commit a
 *   cashier waits for: knex's asynchronous BEGIN and COMMIT cost more than its own writes).
 * - `transactionConnection(trx)`: the connection inside a knex transaction, for statements
 *   prepared once per connection on hot paths; they commit or roll back with the transaction.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';
import type { Store, StoreConfig } from './client';
import { preparedPer } from './prepared';

export type Trx = Knex.Transaction;

function storeOf(db: Knex | Trx): Store {
  const store = (db.client.config as Partial<StoreConfig>).store;
  if (!store) throw new Error('not the console store (open it with store/db.ts openConsoleDb)');
  return store;
}

export function writeTransaction<T>(db: Knex, fn: (trx: Trx) => Promise<T>): Promise<T> {
  // Inside a transaction: a SAVEPOINT of it, which already holds the lock.
  if (db.isTransaction) return db.transaction(fn);
  return storeOf(db).lock.run(() => db.transaction(fn));
}

/** The store's connection, inside the open transaction `trx`. */
export function transactionConnection(trx: Trx): BetterSqlite3.Database {
  if (!trx.isTransaction || trx.isCompleted()) throw new Error('needs an open transaction');
  const { conn } = storeOf(trx);
  if (!conn.inTransaction) throw new Error('the store connection is not inside BEGIN … COMMIT');
  return conn;
}

const statementsOf = preparedPer((conn) => ({
  begin: conn.prepare('BEGIN IMMEDIATE'),
  commit: conn.prepare('COMMIT'),
  rollback: conn.prepare('ROLLBACK'),
}));

/**
 * Runs `fn` synchronously in BEGIN IMMEDIATE … COMMIT on the store's connection; a throw in `fn`,
 * or a failing COMMIT, rolls everything back. `fn` must not use knex (it would wait for the lock
 * this transaction holds). BEGIN, COMMIT and ROLLBACK are prepared once per connection.
 */
export function writeTransactionSync<T>(db: Knex, fn: (conn: BetterSqlite3.Database) => T): Promise<T> {
  if (db.isTransaction) throw new Error('writeTransactionSync opens its own transaction');
  const { conn, lock } = storeOf(db);
  return lock.run(() => {
    if (conn.inTransaction) throw new Error('a transaction is open outside the store lock');
    const sql = statementsOf(conn);
    sql.begin.run();
    try {
      const result = fn(conn);
      if (result instanceof Promise) throw new TypeError('writeTransactionSync needs a synchronous fn');
      sql.commit.run();
      return result;
    } catch (error) {
      if (conn.inTransaction) sql.rollback.run();
      throw error;
    }
  });
}
