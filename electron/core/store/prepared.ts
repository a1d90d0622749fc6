/**
 * Statements prepared once per SQLite connection, for the hot paths that bypass knex (which
 * builds, compiles and re-prepares every query on every call): `preparedPer(make)` returns a
 * function that hands out `make(conn)`'s statements, made on a connection's first use.
 */
import type BetterSqlite3 from 'better-sqlite3';

export function preparedPer<T>(
  make: (conn: BetterSqlite3.Database) => T,
): (conn: BetterSqlite3.Database) => T {
  const made = new WeakMap<BetterSqlite3.Database, T>();
  return (conn) => {
    let statements = made.get(conn);
    if (!statements) {
      statements = make(conn);
      made.set(conn, statements);
    }
    return statements;
  };
}
