/**
 * The one way the console writes: a transaction that holds SQLite's write lock from its first
 * statement (BEGIN IMMEDIATE, see client.ts). Inside `fn` use the `trx` it is given, never the
 * outer knex: with a pool of one connection, a query on the outer knex waits for the transaction
 * that is waiting for it.
 */
import type { Knex } from 'knex';

export type Trx = Knex.Transaction;

export function writeTransaction<T>(db: Knex, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
