import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { manualClock, uuidV7 } from '../../../backend-sync/domain/clock';
import { ErrorCode } from '../../../backend-sync/domain/errors';
import { openConsoleDb } from '../store/db';
import { writeTransaction } from '../store/transaction';
import { tempDir } from '../../testing/temp';
import { countByStatus, enqueue, markAnswers, readAll, readQueued } from './outbox';

describe('outbox', () => {
  let db: Knex;
  let remove: () => void;
  let dir: string;
  const clock = manualClock('2026-01-05T10:00:00.000Z');
  const opts = { clock, ids: uuidV7 };

  beforeEach(async () => {
    const tmp = tempDir();
    remove = tmp.remove;
    dir = tmp.dir;
    db = await openConsoleDb({ dataDir: tmp.dir });
  });
  afterEach(async () => {
    await db.destroy();
    remove();
  });

  const signin = (staffId: string) => ({ staffId, signedInAt: clock.now().toISOString() });
  const signinsCount = async () =>
    Number(((await db('signins').count({ n: '*' }).first()) as { n: number }).n);

  it('commits the mutation together with its effect', async () => {
    await writeTransaction(db, async (trx) => {
      const m = await enqueue(trx, 'staff.signin', signin('st1'), opts);
      await trx('signins').insert({
        id: 'si1',
        staff_id: 'st1',
        staff_code: 'A1',
        signed_in_at: 'x',
        mutation_id: m.id,
      });
    });
    expect(await signinsCount()).toBe(1);
    expect((await readQueued(db, 10)).map((e) => e.mutation.payload)).toEqual([signin('st1')]);
  });

  it('a failing effect leaves no outbox row', async () => {
    await expect(
      writeTransaction(db, async (trx) => {
        await enqueue(trx, 'staff.signin', signin('st1'), opts);
        // the effect fails (foreign key to a mutation that does not exist)
        await trx('signins').insert({
          id: 'si1',
          staff_id: 'st1',
          staff_code: 'A1',
          signed_in_at: 'x',
          mutation_id: 'nope',
        });
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(await readAll(db)).toEqual([]);
  });

  it('a failing enqueue leaves no effect', async () => {
    await expect(
      writeTransaction(db, async (trx) => {
        await trx('meta').insert({ key: 'locale', value: 'en' });
        // payload breaks the protocol: the mutation is refused, and the effect with it
        await enqueue(trx, 'staff.signin', { staffId: 'st1', signedInAt: 'not a time' }, opts);
      }),
    ).rejects.toMatchObject({ code: ErrorCode.MUTATION_INVALID });
    expect(await db('meta').where({ key: 'locale' }).first()).toBeUndefined();
    expect(await readAll(db)).toEqual([]);
  });

  it('refuses to enqueue outside a transaction', async () => {
    await expect(
      enqueue(db as unknown as Knex.Transaction, 'staff.signin', signin('st1'), opts),
    ).rejects.toThrow(/inside the transaction/);
  });

  it('reads in order; rejected and conflict answers are kept, counted and never block the queue', async () => {
    const ids: string[] = [];
    for (const staff of ['a', 'b', 'c', 'd']) {
      await writeTransaction(db, async (trx) =>
        ids.push((await enqueue(trx, 'staff.signin', signin(staff), opts)).id),
      );
    }
    expect((await readQueued(db, 10)).map((e) => e.mutation.id)).toEqual(ids);
    expect((await readQueued(db, 2)).map((e) => e.mutation.id)).toEqual(ids.slice(0, 2));

    await writeTransaction(db, (trx) =>
      markAnswers(
        trx,
        [
          { id: ids[0]!, status: 'rejected', code: 'STAFF_UNKNOWN', message: 'no' },
          {
            id: ids[1]!,
            status: 'conflict',
            code: 'ALREADY_REDEEMED',
            message: 'taken',
            details: { by: 'x' },
          },
          { id: ids[2]!, status: 'duplicate', first: { status: 'applied' } },
        ],
        clock.now(),
      ),
    );
    expect(await countByStatus(db)).toEqual({ queued: 1, queuedRedemptions: 0, rejected: 1, conflicts: 1 });
    expect((await readQueued(db, 10)).map((e) => e.mutation.id)).toEqual([ids[3]]);
    const all = await readAll(db);
    expect(all.map((e) => e.status)).toEqual(['rejected', 'conflict', 'synced', 'queued']);
    expect(all[1]!.outcome).toEqual({
      status: 'conflict',
      code: 'ALREADY_REDEEMED',
      message: 'taken',
      details: { by: 'x' },
    });

    // A late answer for an already-answered mutation changes nothing.
    const changed = await writeTransaction(db, (trx) =>
      markAnswers(trx, [{ id: ids[0]!, status: 'applied' }], clock.now()),
    );
    expect(changed).toBe(0);
    expect((await readAll(db))[0]!.status).toBe('rejected');
  });

  it('pushes an entry the hub left unanswered again, before newer ones, also after a restart', async () => {
    const enqueueSignin = (staff: string) =>
      writeTransaction(db, async (trx) => (await enqueue(trx, 'staff.signin', signin(staff), opts)).id);
    const ids = [await enqueueSignin('a'), await enqueueSignin('b'), await enqueueSignin('c')];
    // The hub answers the second and third, not the first.
    await writeTransaction(db, (trx) =>
      markAnswers(
        trx,
        [
          { id: ids[1]!, status: 'applied' },
          { id: ids[2]!, status: 'applied' },
        ],
        clock.now(),
      ),
    );
    ids.push(await enqueueSignin('d'));
    expect((await readQueued(db, 10)).map((e) => e.mutation.id)).toEqual([ids[0], ids[3]]);
    expect((await countByStatus(db)).queued).toBe(2);

    await writeTransaction(db, (trx) => markAnswers(trx, [{ id: ids[0]!, status: 'applied' }], clock.now()));
    expect((await readQueued(db, 10)).map((e) => e.mutation.id)).toEqual([ids[3]]);
    await writeTransaction(db, (trx) => markAnswers(trx, [{ id: ids[3]!, status: 'applied' }], clock.now()));
    expect(await readQueued(db, 10)).toEqual([]);

    // With everything answered, what is made next (and kept across a restart) is queued.
    ids.push(await enqueueSignin('e'));
    await db.destroy();
    db = await openConsoleDb({ dataDir: dir });
    expect((await readQueued(db, 10)).map((e) => e.mutation.id)).toEqual([ids[4]]);
    expect(await countByStatus(db)).toEqual({ queued: 1, queuedRedemptions: 0, rejected: 0, conflicts: 0 });
  });
});
