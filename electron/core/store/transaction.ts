/**
 * The one way the console writes: a transaction that holds SQLite's write lock from its first
 * statement (BEGIN IMMEDIATE, see client.ts). Inside `fn` use the `trx` it is given, never the
 * outer knex: with a pool of one connection, a query on the outer knex waits for the transaction
 * that is waiting for it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';
import { preparedPer } from './prepared';

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

/** knex's pool (tarn): only its public counters are read here. */
interface Pool {
  numUsed(): number;
  numPendingAcquires(): number;
}

interface PoolClient {
  pool: Pool | undefined;
  acquireConnection(): Promise<BetterSqlite3.Database>;
  releaseConnection(conn: BetterSqlite3.Database): Promise<void>;
}

interface TransactionStatements {
  begin: BetterSqlite3.Statement;
  commit: BetterSqlite3.Statement;
  rollback: BetterSqlite3.Statement;
}

const statementsOf = preparedPer((conn): TransactionStatements => ({
  begin: conn.prepare('BEGIN IMMEDIATE'),
  commit: conn.prepare('COMMIT'),
  rollback: conn.prepare('ROLLBACK'),
}));

/** The connection each store's pool last handed to immediateTransaction. */
const lastConnection = new WeakMap<PoolClient, BetterSqlite3.Database>();

/**
 * Runs `fn` in BEGIN IMMEDIATE … COMMIT on the store's connection, synchronously, for the one
 * commit a cashier waits for (till/redeem.ts). No knex query or transaction runs meanwhile,
 * exactly as with `writeTransaction`; `fn` must not use knex (it would wait for the connection
 * `fn` holds). Why: a knex transaction goes through its pool, query builder and promise hops for
 * BEGIN and COMMIT, and measured here (bench till.redeem_commit_ms) that cost more than the
 * redemption's own statements and sync. BEGIN, COMMIT and ROLLBACK are statements prepared once
 * per connection: better-sqlite3's `transaction()` wrapper, made anew for every call, cost about
 * as much as an insert. A throw in `fn`, or a failing COMMIT, rolls everything back.
 *
 * When the pool is idle (nobody holds its one connection, nobody waits for it, and no
 * transaction is open on it), `fn` runs on that connection without taking it from the pool: from
 * BEGIN to COMMIT nothing here yields to the event loop, so no knex query can start in between,
 * which is what holding the connection would guarantee. Taking and giving back the connection
 * measured 44–52 µs right after a sync (the CPU cold), about a quarter of the bare insert that
 * till.redeem_commit_ms compares the redemption with.
 */
export async function immediateTransaction<T>(db: Knex, fn: (conn: BetterSqlite3.Database) => T): Promise<T> {
  if (db.isTransaction) throw new Error('immediateTransaction opens its own transaction');
  const client = db.client as unknown as PoolClient;
  const known = lastConnection.get(client);
  if (
    known?.open &&
    !known.inTransaction &&
    client.pool?.numUsed() === 0 &&
    client.pool.numPendingAcquires() === 0
  ) {
    return runImmediate(known, fn);
  }
  const conn = await client.acquireConnection();
  lastConnection.set(client, conn);
  try {
    return runImmediate(conn, fn);
  } finally {
    await client.releaseConnection(conn);
  }
}

function runImmediate<T>(conn: BetterSqlite3.Database, fn: (conn: BetterSqlite3.Database) => T): T {
  const sql = statementsOf(conn);
  sql.begin.run();
  try {
    const result = fn(conn);
    if (result instanceof Promise) throw new TypeError('immediateTransaction needs a synchronous fn');
    sql.commit.run();
    return result;
  } catch (error) {
    if (conn.inTransaction) sql.rollback.run();
    throw error;
  }
}
