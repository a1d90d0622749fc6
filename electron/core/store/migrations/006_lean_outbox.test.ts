import { afterEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { countByStatus, readQueued } from '../../outbox/outbox';
import { openConsoleDb } from '../db';
import { tempDir } from '../../../testing/temp';
import { consoleMigrationSource } from '.';

/**
 * Migration 006 rebuilds the outbox and the two tables that point at it: what a console
 * installed before it keeps must come through whole, references included.
 */
async function completedMigrations(db: Knex): Promise<string[]> {
  const [completed] = (await db.migrate.list({ migrationSource: consoleMigrationSource })) as [
    { name: string }[],
    unknown,
  ];
  return completed.map((m) => m.name);
}

describe('migration 006 (lean outbox)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  /** A store as migration 005 left it, with entries in every state and a sign-in pointing at one. */
  async function storeAt005(): Promise<Knex> {
    const tmp = tempDir();
    const db = await openConsoleDb({ dataDir: tmp.dir });
    cleanups.push(tmp.remove, () => db.destroy());
    await db.migrate.down({ migrationSource: consoleMigrationSource });
    const entry = (seq: number, status: string) => ({
      seq,
      id: `m-${seq}`,
      kind: 'staff.signin',
      subject: null,
      payload: JSON.stringify({ staffId: `s-${seq}`, signedInAt: '2026-12-01T09:00:00.000Z' }),
      device_time: '2026-12-01T09:00:00.000Z',
      status,
      outcome: status === 'queued' ? null : JSON.stringify({ status: 'applied' }),
      created_at: '2026-12-01T09:00:00.000Z',
      answered_at: null,
    });
    await db('outbox').insert([
      entry(1, 'synced'),
      entry(2, 'rejected'),
      entry(3, 'synced'),
      entry(4, 'queued'),
      entry(5, 'conflict'),
      entry(6, 'queued'),
    ]);
    await db('till_verification_failures').insert({
      id: 'failure-1',
      coupon_id: 'coupon-1',
      claim_id: 'claim-1',
      staff_id: 's-2',
      scanned_code: 'TRY-VERIFY',
      at: '2026-12-01T09:00:00.000Z',
      mutation_id: 'm-2',
    });
    await db('signins').insert({
      id: 'signin-1',
      staff_id: 's-1',
      staff_code: 'A1',
      signed_in_at: '2026-12-01T09:00:00.000Z',
      mutation_id: 'm-1',
    });
    return db;
  }

  it('keeps every entry and reference, queues what was queued, and keeps foreign keys on', async () => {
    const db = await storeAt005();
    const before = await db('outbox').orderBy('seq');
    await db.migrate.latest({ migrationSource: consoleMigrationSource });

    expect(await db('outbox').orderBy('seq')).toEqual(before);
    expect((await readQueued(db, 10)).map((e) => e.mutation.id)).toEqual(['m-4', 'm-6']);
    expect(await countByStatus(db)).toEqual({ queued: 2, queuedRedemptions: 0, rejected: 1, conflicts: 1 });
    expect(await db('signins').select('id', 'mutation_id')).toEqual([{ id: 'signin-1', mutation_id: 'm-1' }]);
    expect(await db('till_verification_failures').select('id', 'mutation_id')).toEqual([
      { id: 'failure-1', mutation_id: 'm-2' },
    ]);

    expect(Number(Object.values(((await db.raw('PRAGMA foreign_keys')) as object[])[0]!)[0])).toBe(1);
    await expect(
      db('signins').insert({
        id: 'signin-2',
        staff_id: 's-2',
        staff_code: 'A2',
        signed_in_at: '2026-12-01T09:00:00.000Z',
        mutation_id: 'no-such-mutation',
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
    // …and point at the rebuilt outbox under its own name.
    await db('signins').insert({
      id: 'signin-3',
      staff_id: 's-3',
      staff_code: 'A3',
      signed_in_at: '2026-12-01T09:00:00.000Z',
      mutation_id: 'm-3',
    });
    // The next entry follows the newest one, as it did with AUTOINCREMENT.
    const [seq] = await db('outbox').insert({ ...before[0], seq: undefined, id: 'm-next' });
    expect(seq).toBe(7);
  });

  it('goes back down to 005 with the same entries', async () => {
    const db = await storeAt005();
    const before = await db('outbox').orderBy('seq');
    await db.migrate.latest({ migrationSource: consoleMigrationSource });
    // Down through the later ones (015 replaced a trigger of 006), then 006 itself.
    while ((await completedMigrations(db)).at(-1) !== '006_lean_outbox') {
      await db.migrate.down({ migrationSource: consoleMigrationSource });
    }
    await db.migrate.down({ migrationSource: consoleMigrationSource });
    expect(await db('outbox').orderBy('seq')).toEqual(before);
    expect(await db('meta').where({ key: 'outboxAnsweredThrough' })).toEqual([]);
  });

  it('refuses what the push cursor could not see: a deleted entry, an answered one queued again', async () => {
    const db = await storeAt005();
    await db.migrate.latest({ migrationSource: consoleMigrationSource });
    await expect(db('outbox').where({ id: 'm-6' }).delete()).rejects.toThrow(/never deleted/);
    // Everything answered up to the newest entry: queuing one again would hide it from the push.
    await db('meta').where({ key: 'outboxAnsweredThrough' }).update({ value: '6' });
    await expect(db('outbox').where({ id: 'm-1' }).update({ status: 'queued' })).rejects.toThrow(
      /queued again only behind the push cursor/,
    );
    expect(await db('outbox').count({ n: '*' })).toEqual([{ n: 6 }]);
    expect((await db('outbox').where({ id: 'm-1' }).first()).status).toBe('synced');
  });
});
