import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../backend-sync/domain/errors';
import { tempDir } from '../../testing/temp';
import { BACKUP_DIR, KEEP_BACKUPS, STORE_SCHEMA_NEWER, dailyBackup, takeBackup } from './backups';
import { DB_FILE_NAME, openConsoleDb } from './db';

describe('console database backups', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => {
    while (dirs.length) dirs.pop()!.remove();
  });
  const fresh = () => {
    const d = tempDir('omo-backups-');
    dirs.push(d);
    return d.dir;
  };

  it('keeps verified online copies: one a day, the newest seven, each a database that opens with its rows', async () => {
    const dir = fresh();
    const db = await openConsoleDb({ dataDir: dir });
    await db('meta').insert({ key: 'locale', value: 'en' });
    const file = path.join(dir, DB_FILE_NAME);
    const day = new Date('2026-03-01T00:00:00.000Z');
    const first = await dailyBackup(file, day);
    expect(first).not.toBeNull();
    // The same day: nothing new.
    expect(await dailyBackup(file, new Date(day.getTime() + 3_600_000))).toBeNull();
    for (let i = 1; i <= 9; i++) await takeBackup(file, 'daily', new Date(day.getTime() + i * 86_400_000));
    const kept = readdirSync(path.join(dir, BACKUP_DIR));
    expect(kept).toHaveLength(KEEP_BACKUPS);
    const copy = new Database(path.join(dir, BACKUP_DIR, kept.sort().at(-1)!), { readonly: true });
    expect(copy.prepare(`SELECT value FROM meta WHERE key = 'locale'`).get()).toEqual({ value: 'en' });
    copy.close();
    await db.destroy();
  });

  it('backs up before a migration, and refuses a database a newer app has migrated', async () => {
    const dir = fresh();
    await (await openConsoleDb({ dataDir: dir })).destroy();
    expect(existsSync(path.join(dir, BACKUP_DIR))).toBe(false); // nothing was due
    const raw = new Database(path.join(dir, DB_FILE_NAME));
    // An older app's database: its last migration not yet run.
    const last = raw.prepare('SELECT name FROM knex_migrations ORDER BY id DESC LIMIT 1').get() as {
      name: string;
    };
    raw.prepare('DELETE FROM knex_migrations WHERE name = ?').run(last.name);
    raw.close();
    await openConsoleDb({ dataDir: dir })
      .catch(() => undefined) // the migration itself may object to its own tables; the backup came first
      .then((db) => db?.destroy());
    expect(readdirSync(path.join(dir, BACKUP_DIR)).some((f) => f.endsWith('-pre-migration.sqlite'))).toBe(
      true,
    );

    const newer = new Database(path.join(dir, DB_FILE_NAME));
    newer
      .prepare(
        `INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('099_from_the_future', 9, 0)`,
      )
      .run();
    newer.close();
    const refused = await openConsoleDb({ dataDir: dir }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({
      code: STORE_SCHEMA_NEWER,
      details: { unknownMigrations: ['099_from_the_future'] },
    });
    expect((refused as AppError).message).toMatch(/較新版本.*newer version/s);
  });
});
