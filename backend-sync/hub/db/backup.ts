/**
 * Backups of a SQLite hub (`npm run hub -- backup | restore`). A backup is SQLite's online backup
 * of `hub.sqlite` (the hub may keep running), checked by opening the copy. A restore (hub
 * stopped) checks the backup, puts it in place of `hub.sqlite` and raises the restore generation
 * above both the backup's and the replaced database's, so every console notices (db/epoch.ts).
 * PostgreSQL is backed up with its own tools (docs/deploy.md); `restored` raises the generation
 * after such a restore.
 */
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { AppError } from '../../domain/errors';
import { raiseGeneration } from './epoch';

export const HUB_DB_FILE = 'hub.sqlite';

export const BACKUP_INVALID = 'BACKUP_INVALID';

/** The epoch a backup file holds; throws BACKUP_INVALID when it is not a sound hub database. */
export function checkBackup(file: string): { id: string; generation: number } {
  if (!existsSync(file)) throw new AppError(BACKUP_INVALID, `No backup at ${file}.`);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`integrity_check: ${String(integrity)}`);
    const row = db.prepare('SELECT id, restore_generation FROM hub_epoch WHERE singleton = 1').get() as
      { id: string; restore_generation: number } | undefined;
    if (!row) throw new Error('it has no hub epoch');
    return { id: row.id, generation: Number(row.restore_generation) };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(BACKUP_INVALID, `${file} is not a usable hub backup: ${(err as Error).message}`);
  } finally {
    db?.close();
  }
}

/** The generation of the database a restore replaces (0 if it predates epochs or is unreadable). */
function generationOf(file: string): number {
  try {
    return checkBackup(file).generation;
  } catch {
    return 0;
  }
}

/** Online backup of the hub's SQLite file to `to`, then opened and checked. */
export async function backupSqlite(dataDir: string, to: string): Promise<{ id: string; generation: number }> {
  const source = path.join(dataDir, HUB_DB_FILE);
  if (!existsSync(source)) throw new AppError(BACKUP_INVALID, `No hub database at ${source}.`);
  const db = new Database(source, { fileMustExist: true });
  try {
    await db.backup(to);
  } finally {
    db.close();
  }
  return checkBackup(to);
}

/**
 * Puts the backup `from` in place of the hub's database (the hub must be stopped), then lets
 * `open` migrate it and raises its restore generation. Returns the new generation.
 */
export async function restoreSqlite(
  dataDir: string,
  from: string,
  open: () => Promise<Knex>,
): Promise<number> {
  const backup = checkBackup(from);
  const target = path.join(dataDir, HUB_DB_FILE);
  const replaced = existsSync(target) ? generationOf(target) : 0;
  const staging = `${target}.restoring`;
  copyFileSync(from, staging);
  // The replaced database's WAL must not be replayed into the restored file.
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  renameSync(staging, target);
  const db = await open();
  try {
    return await raiseGeneration(db, Math.max(backup.generation, replaced));
  } finally {
    await db.destroy();
  }
}
