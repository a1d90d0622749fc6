/**
 * The one way the console writes: a transaction that holds SQLite's write lock from its first
 * statement (BEGIN IMMEDIATE, see client.ts). Inside `fn` use the `trx` it is given, never the
 * outer knex: with a pool of one connection, a query on the outer knex waits for the transaction
 * that is waiting for it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';

export type Trx = Knex.Transaction;

export function writeTransaction<T>(db: Knex, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}

interface TransactionClient {
  acquireConnection(): Promise<BetterSqlite3.Database>;
}

/**
 * The better-sqlite3 connection `trx` holds, for hot paths that run statements prepared once per
 * connection inside the transaction (knex builds, compiles and prepares every query anew). They
 * commit or roll back with everything else in it. Refuses unless that connection is inside an
 * open transaction: a statement run outside one would commit on its own.
 */
export async function transactionConnection(trx: Trx): Promise<BetterSqlite3.Database> {
  if (!trx.isTransaction || trx.isCompleted()) throw new Error('needs an open transaction');
  // knex's transaction client hands out exactly the connection the transaction began on.
  const conn = await (trx.client as unknown as TransactionClient).acquireConnection();
  if (!conn.inTransaction) throw new Error('the transaction connection is not inside BEGIN … COMMIT');
  return conn;
}
