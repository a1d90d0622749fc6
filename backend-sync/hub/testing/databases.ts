/**
 * Hub tests run on SQLite always and on PostgreSQL too when DATABASE_URL is set. Each opened
 * database is private to the test that opened it: a temporary folder for SQLite, a fresh schema
 * for PostgreSQL (dropped on close), so test files can run in parallel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { openHubDb, type HubDbKind } from '../db';

export interface TestDb {
  kind: HubDbKind;
  db: Knex;
  /** Options to reopen the same database (e.g. after a simulated hub restart). */
  options: { databaseUrl?: string; dataDir: string; searchPath?: string };
  close(): Promise<void>;
}

export const testDbKinds = (): HubDbKind[] =>
  process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export async function openTestDb(kind: HubDbKind): Promise<TestDb> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omo-hub-test-'));
  const options =
    kind === 'postgres'
      ? { databaseUrl: process.env.DATABASE_URL!, dataDir, searchPath: `t_${randomBytes(6).toString('hex')}` }
      : { dataDir };
  const db = await openHubDb(options);
  return {
    kind,
    db,
    options,
    close: async () => {
      if (kind === 'postgres') await db.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [options.searchPath!]);
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
