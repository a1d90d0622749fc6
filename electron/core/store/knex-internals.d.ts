/**
 * knex ships no types for its dialect internals. We subclass two of them (see store/client.ts) to
 * make SQLite transactions start with BEGIN IMMEDIATE, which knex has no option for.
 */
declare module 'knex/lib/dialects/better-sqlite3/index.js' {
  import type { Knex } from 'knex';
  const Client_BetterSQLite3: typeof Knex.Client;
  export default Client_BetterSQLite3;
}

declare module 'knex/lib/dialects/sqlite3/execution/sqlite-transaction.js' {
  const Transaction_Sqlite: new (...args: unknown[]) => {
    query(conn: unknown, sql: string): Promise<unknown>;
  };
  export default Transaction_Sqlite;
}
