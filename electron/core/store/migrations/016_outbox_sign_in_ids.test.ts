import { afterEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { openConsoleDb } from '../db';
import { tempDir } from '../../../testing/temp';
import { consoleMigrationSource } from '.';

/**
 * A console upgraded with redemptions still queued: each must name the sign-in it was made under,
 * or the hub refuses it (realtime/mutations/actor.ts) and the redemption is lost to the brand.
 */
describe('migration 016 (sign-in ids for entries queued by an older console)', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function storeBefore016(): Promise<Knex> {
    const tmp = tempDir();
    const db = await openConsoleDb({ dataDir: tmp.dir });
    cleanups.push(tmp.remove, () => db.destroy());
    await db.migrate.down({ migrationSource: consoleMigrationSource });
    return db;
  }

  const entry = (seq: number, kind: string, status: string, payload: object) => ({
    seq,
    id: `m-${seq}`,
    kind,
    subject: null,
    payload: JSON.stringify(payload),
    device_time: '2026-12-01T09:00:00.000Z',
    status,
    outcome: status === 'queued' ? null : JSON.stringify({ status: 'applied' }),
    created_at: '2026-12-01T09:00:00.000Z',
    answered_at: null,
  });
  const payloadOf = async (db: Knex, id: string) =>
    JSON.parse(((await db('outbox').where({ id }).first()) as { payload: string }).payload) as Record<
      string,
      unknown
    >;

  it('names the latest earlier sign-in of the same person, and leaves what it cannot know', async () => {
    const db = await storeBefore016();
    const signedIn = { signedInAt: '2026-12-01T09:00:00.000Z' };
    await db('outbox').insert([
      entry(1, 'staff.signin', 'synced', { staffId: 's-1', ...signedIn }),
      entry(2, 'staff.signin', 'queued', { staffId: 's-2', ...signedIn }),
      entry(3, 'redemption.create', 'queued', {
        claimId: 'c-1',
        couponId: 'k-1',
        staffId: 's-1',
        scannedCode: 'A',
      }),
      entry(4, 'staff.signin', 'queued', { staffId: 's-1', ...signedIn }),
      entry(5, 'redemption.create', 'queued', {
        claimId: 'c-2',
        couponId: 'k-1',
        staffId: 's-1',
        scannedCode: 'B',
      }),
      entry(6, 'customer.add', 'queued', { staffId: 's-2', channel: 'whatsapp', phone: '+886912345678' }),
      entry(7, 'redemption.create', 'queued', {
        claimId: 'c-3',
        couponId: 'k-1',
        staffId: 's-9',
        scannedCode: 'C',
      }),
      entry(8, 'redemption.create', 'queued', {
        claimId: 'c-4',
        couponId: 'k-1',
        staffId: 's-1',
        signInId: 'm-1',
        scannedCode: 'D',
      }),
    ]);
    await db.migrate.latest({ migrationSource: consoleMigrationSource });

    expect((await payloadOf(db, 'm-3')).signInId).toBe('m-1');
    expect((await payloadOf(db, 'm-5')).signInId).toBe('m-4');
    expect((await payloadOf(db, 'm-6')).signInId).toBe('m-2');
    expect(await payloadOf(db, 'm-7')).not.toHaveProperty('signInId');
    expect((await payloadOf(db, 'm-8')).signInId).toBe('m-1');
    expect(await payloadOf(db, 'm-2')).not.toHaveProperty('signInId');
  });
});
