/**
 * Backups of the console's database, taken with SQLite's online backup (better-sqlite3
 * `backup()`, safe while the app runs): before every migration and once a day, into
 * `<data>/backups/`, each checked by opening it (integrity_check) and the newest KEEP kept.
 * And the guard against an older app opening a database a newer one has migrated: it refuses,
 * in both languages, rather than run against tables it does not know.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../backend-sync/domain/errors';

export const BACKUP_DIR = 'backups';
/** Backups kept (the newest; pre-migration and daily alike). */
export const KEEP_BACKUPS = 7;
export const DAY_MS = 86_400_000;

export const STORE_SCHEMA_NEWER = 'STORE_SCHEMA_NEWER';

export type BackupReason = 'pre-migration' | 'daily';

/** Electron's build of better-sqlite3 where the app gives one (store/db.ts). */
const binding = (nativeBinding?: string) => (nativeBinding ? { nativeBinding } : {});

/** Online backup of `dbFile`, verified by opening it; prunes to KEEP_BACKUPS. Returns its path. */
export async function takeBackup(
  dbFile: string,
  reason: BackupReason,
  at: Date,
  nativeBinding?: string,
): Promise<string> {
  const dir = path.join(path.dirname(dbFile), BACKUP_DIR);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `console-${at.toISOString().replace(/[:.]/g, '-')}-${reason}.sqlite`);
  const source = new Database(dbFile, { fileMustExist: true, ...binding(nativeBinding) });
  try {
    await source.backup(file);
  } finally {
    source.close();
  }
  // A backup is a single file: out of WAL mode, so no -wal or -shm stays beside it.
  const copy = new Database(file, { fileMustExist: true, ...binding(nativeBinding) });
  try {
    copy.pragma('journal_mode = DELETE');
    const integrity = copy.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok')
      throw new Error(`backup ${file} failed its integrity check: ${String(integrity)}`);
  } catch (err) {
    copy.close();
    rmSync(file, { force: true });
    throw err;
  }
  copy.close();
  for (const old of listBackups(dir).slice(KEEP_BACKUPS)) rmSync(path.join(dir, old), { force: true });
  return file;
}

/** Backup file names, newest first. */
function listBackups(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith('console-') && f.endsWith('.sqlite'))
    .sort()
    .reverse();
}

/** A daily backup when the newest is a day old or there is none. */
export async function dailyBackup(dbFile: string, now: Date, nativeBinding?: string): Promise<string | null> {
  const dir = path.join(path.dirname(dbFile), BACKUP_DIR);
  const newest = listBackups(dir)[0];
  if (newest && now.getTime() - statSync(path.join(dir, newest)).mtimeMs < DAY_MS) return null;
  return takeBackup(dbFile, 'daily', now, nativeBinding);
}

/**
 * What the database's migration table says about this app: migrations it does not know mean a
 * newer app wrote it (refused), pending ones that a migration (and so a backup first) is due.
 */
export function schemaState(
  dbFile: string,
  known: readonly string[],
  nativeBinding?: string,
): { pending: boolean } {
  if (!existsSync(dbFile)) return { pending: false };
  const db = new Database(dbFile, { readonly: true, fileMustExist: true, ...binding(nativeBinding) });
  try {
    const table = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'knex_migrations'`)
      .get();
    if (!table) return { pending: false };
    const done = (db.prepare('SELECT name FROM knex_migrations').all() as { name: string }[]).map(
      (r) => r.name,
    );
    const unknown = done.filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw new AppError(
        STORE_SCHEMA_NEWER,
        '此裝置的資料由較新版本的 OMO Store Console 建立，這個版本無法開啟。請安裝最新版本；資料不會遺失。 / ' +
          'This device’s data was written by a newer version of OMO Store Console, which this version cannot open. Install the latest version; nothing is lost.',
        { unknownMigrations: unknown },
      );
    }
    return { pending: known.some((name) => !done.includes(name)) };
  } finally {
    db.close();
  }
}
