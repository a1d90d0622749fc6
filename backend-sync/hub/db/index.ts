/**
 * Opens the hub database: a SQLite file by default, PostgreSQL when a URL is given; both run the
 * same migrations.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { hubMigrationSource } from './migrations';

export interface HubDbOptions {
  /** postgres://… ; when absent, a SQLite file in dataDir. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** PostgreSQL schema to use (tests give each run its own). */
  searchPath?: string;
}

export type HubDbKind = 'sqlite' | 'postgres';

export const dbKind = (db: Knex): HubDbKind => (db.client.config.client === 'pg' ? 'postgres' : 'sqlite');

export async function openHubDb(options: HubDbOptions): Promise<Knex> {
  const db = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.searchPath)
    : openSqlite(options.dataDir);
  if (options.searchPath && options.databaseUrl) {
    await db.raw('CREATE SCHEMA IF NOT EXISTS ??', [options.searchPath]);
  }
  await migrate(db);
  return db;
}

/**
 * Several nodes may start at once on one PostgreSQL database: one migrates while the others wait
 * on an advisory lock (knex's own lock table would fail them instead), then find nothing to do.
 */
async function migrate(db: Knex): Promise<void> {
  if (dbKind(db) !== 'postgres') {
    await db.migrate.latest({ migrationSource: hubMigrationSource });
    return;
  }
  await db.transaction(async (trx) => {
    await trx.raw(
      "select pg_advisory_xact_lock(hashtextextended('omo-hub:migrate:' || current_schema(), 0))",
    );
    await db.migrate.latest({ migrationSource: hubMigrationSource });
  });
}

/** True when every migration this build knows has been applied (for /readyz). */
export async function migrationsApplied(db: Knex): Promise<boolean> {
  const [, pending] = (await db.migrate.list({ migrationSource: hubMigrationSource })) as [
    unknown[],
    unknown[],
  ];
  return pending.length === 0;
}

function openPostgres(url: string, searchPath?: string): Knex {
  return knex({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: 10 },
    ...(searchPath ? { searchPath: [searchPath] } : {}),
  });
}

function openSqlite(dataDir: string): Knex {
  mkdirSync(dataDir, { recursive: true });
  return knex({
    client: 'better-sqlite3',
    connection: { filename: path.join(dataDir, 'hub.sqlite') },
    useNullAsDefault: true,
    // One connection: SQLite has one writer anyway, and a second connection inside a
    // transaction would deadlock.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (
        conn: { pragma(s: string): unknown },
        done: (err: Error | null, conn: unknown) => void,
      ) => {
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = FULL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        done(null, conn);
      },
    },
  });
}
