import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { tempDir } from '../../testing/temp';
import { assertPragmas, DB_FILE_NAME, openConsoleDb, StorePragmaError } from './db';
import { transactionConnection, writeTransaction, writeTransactionSync } from './transaction';

describe('console database', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function open(): Promise<{ db: Knex; dir: string }> {
    const tmp = tempDir();
    const db = await openConsoleDb({ dataDir: tmp.dir });
    cleanups.push(tmp.remove, () => db.destroy());
    return { db, dir: tmp.dir };
  }

  const pragma = async (db: Knex, name: string) =>
    Object.values(((await db.raw(`PRAGMA ${name}`)) as object[])[0]!)[0];

  it('opens a real file with WAL, synchronous FULL, foreign keys and a busy timeout', async () => {
    const { db } = await open();
    expect(String(await pragma(db, 'journal_mode')).toLowerCase()).toBe('wal');
    expect(Number(await pragma(db, 'synchronous'))).toBe(2);
    expect(Number(await pragma(db, 'foreign_keys'))).toBe(1);
    expect(Number(await pragma(db, 'busy_timeout'))).toBeGreaterThanOrEqual(5000);
    // migrations ran
    expect(await db.schema.hasTable('outbox')).toBe(true);
    expect(await db.schema.hasTable('claims')).toBe(true);
  });

  it('refuses to go on when a pragma did not stick', async () => {
    const { db } = await open();
    await db.raw('PRAGMA synchronous = NORMAL');
    await expect(assertPragmas(db)).rejects.toBeInstanceOf(StorePragmaError);
    await expect(assertPragmas(db)).rejects.toThrow(/synchronous/);
  });

  it('enforces foreign keys', async () => {
    const { db } = await open();
    await expect(
      db('signins').insert({
        id: 's1',
        staff_id: 'x',
        staff_code: 'A1',
        signed_in_at: new Date().toISOString(),
        mutation_id: 'no-such-mutation',
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  it('write transactions hold the write lock from their first statement (BEGIN IMMEDIATE)', async () => {
    const { db, dir } = await open();
    // A second connection, as another process would have, that does not wait for locks.
    const other = new Database(path.join(dir, DB_FILE_NAME), { timeout: 0 });
    cleanups.push(() => void other.close());

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const trx = writeTransaction(db, async (t) => {
      await t('meta').select('key'); // only a read so far: a deferred BEGIN would hold no write lock
      inside();
      await held;
    });
    await entered;
    expect(() => other.prepare("INSERT INTO meta (key, value) VALUES ('locale', 'en')").run()).toThrow(
      /locked|busy/i,
    );
    release();
    await trx;
    other.prepare("INSERT INTO meta (key, value) VALUES ('locale', 'en')").run();
  });

  it('rolls back everything a failing write transaction did', async () => {
    const { db } = await open();
    await expect(
      writeTransaction(db, async (trx) => {
        await trx('meta').insert({ key: 'locale', value: 'en' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db('meta').where({ key: 'locale' }).first()).toBeUndefined();
  });

  it('writeTransactionSync commits, and rolls back on a throw, a failing COMMIT or an async fn', async () => {
    const { db } = await open();
    const locale = async () => (await db('meta').where({ key: 'locale' }).first('value'))?.value;
    const setLocale = (conn: Database.Database, value: string) =>
      conn.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('locale', value);

    await expect(
      writeTransactionSync(db, (conn) => {
        setLocale(conn, 'en');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // The foreign key is checked only at COMMIT here, so the COMMIT itself fails.
    await expect(
      writeTransactionSync(db, (conn) => {
        conn.pragma('defer_foreign_keys = ON');
        setLocale(conn, 'en');
        conn
          .prepare(
            'INSERT INTO signins (id, staff_id, staff_code, signed_in_at, mutation_id) VALUES (?, ?, ?, ?, ?)',
          )
          .run('s1', 'x', 'A1', new Date().toISOString(), 'no-such-mutation');
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
    await expect(
      writeTransactionSync(db, async (conn) => {
        setLocale(conn, 'en');
      }),
    ).rejects.toThrow(/synchronous/);
    expect(await locale()).toBeUndefined();

    await writeTransactionSync(db, (conn) => setLocale(conn, 'zh-TW'));
    expect(await locale()).toBe('zh-TW');
    // No transaction is left open on the store's connection.
    await writeTransaction(db, (trx) => trx('meta').where({ key: 'locale' }).update({ value: 'en' }));
    expect(await locale()).toBe('en');
  });

  it('writeTransactionSync waits for a knex transaction holding the connection, then runs on its own', async () => {
    const { db } = await open();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const knexTrx = writeTransaction(db, async (trx) => {
      await trx('meta').insert({ key: 'locale', value: 'en' });
      inside();
      await held;
      throw new Error('rolled back');
    });
    await entered;

    let ran = false;
    const immediate = writeTransactionSync(db, (conn) => {
      ran = true;
      conn.prepare("INSERT INTO meta (key, value) VALUES ('lastSyncAt', 'after')").run();
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toBe(false);
    release();
    await expect(knexTrx).rejects.toThrow('rolled back');
    await immediate;
    // Its write survived the other transaction's rollback: it was never part of it.
    expect(await db('meta').whereIn('key', ['locale', 'lastSyncAt']).select('key', 'value')).toEqual([
      { key: 'lastSyncAt', value: 'after' },
    ]);
  });

  it('writeTransactionSync never runs inside a transaction opened around the store lock', async () => {
    const { db } = await open();
    // knex's own transaction, not writeTransaction: the store lock does not know of it.
    await db.transaction(async () => {
      await expect(writeTransactionSync(db, () => undefined)).rejects.toThrow(/outside the store lock/);
    });
  });

  it('runs knex and the synchronous transactions on one connection, closed with the store', async () => {
    const { db } = await open();
    const syncConn = await writeTransactionSync(db, (conn) => {
      conn.prepare("INSERT INTO meta (key, value) VALUES ('locale', 'en')").run();
      return conn;
    });
    expect(await writeTransaction(db, async (trx) => transactionConnection(trx))).toBe(syncConn);
    expect((await db('meta').where({ key: 'locale' }).first('value'))?.value).toBe('en');
    await db.destroy();
    await expect(writeTransactionSync(db, () => undefined)).rejects.toThrow(/not open|closed/);
  });
});
