import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { manualClock, uuidV7 } from '../../../backend-sync/domain/clock';
import type { ClaimRow } from '../../../backend-sync/protocol';
import { enqueue, markAnswers } from '../outbox';
import { tempDir } from '../testing/temp';
import { openConsoleDb } from './db';
import { applyChange } from './mirrors';
import { writeTransaction } from './transaction';

const claim = (over: Partial<ClaimRow> = {}): ClaimRow => ({
  id: 'claim-1',
  brandId: 'brand-1',
  couponId: 'coupon-1',
  customerId: null,
  customerName: null,
  code: 'ABC123',
  claimToken: 'tok-1',
  claimedAt: '2026-01-01T00:00:00.000Z',
  openedAt: null,
  redeemedAt: null,
  redeemedBranchId: null,
  redeemedDeviceId: null,
  redeemedStaffId: null,
  ...over,
});

describe('mirrors', () => {
  let db: Knex;
  let remove: () => void;
  let seq = 0;
  const clock = manualClock('2026-01-05T10:00:00.000Z');

  beforeEach(async () => {
    const tmp = tempDir();
    remove = tmp.remove;
    db = await openConsoleDb({ dataDir: tmp.dir });
  });
  afterEach(async () => {
    await db.destroy();
    remove();
  });

  const pull = (row: ClaimRow) =>
    writeTransaction(db, (trx) =>
      applyChange(trx, { seq: ++seq, entity: 'claim', op: 'upsert', id: row.id, data: row }),
    );
  const local = async () =>
    JSON.parse(
      ((await db('claims').where({ id: 'claim-1' }).first('data')) as { data: string }).data,
    ) as ClaimRow;

  it('upserts and deletes rows', async () => {
    await pull(claim());
    await pull(claim({ openedAt: '2026-01-02T00:00:00.000Z' }));
    expect((await local()).openedAt).toBe('2026-01-02T00:00:00.000Z');
    await writeTransaction(db, (trx) =>
      applyChange(trx, { seq: ++seq, entity: 'claim', op: 'delete', id: 'claim-1' }),
    );
    expect(await db('claims').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('does not let a pull undo a local redemption whose mutation is still queued', async () => {
    await pull(claim());
    const redeemed = {
      redeemedAt: '2026-01-05T10:00:00.000Z',
      redeemedBranchId: 'branch-a',
      redeemedDeviceId: 'device-a1',
      redeemedStaffId: 'staff-1',
    };
    // The till (a later issue) redeems locally: claim row and outbox mutation in one transaction.
    const mutationId = await writeTransaction(db, async (trx) => {
      await trx('claims')
        .where({ id: 'claim-1' })
        .update({ redeemed_at: redeemed.redeemedAt, data: JSON.stringify(claim(redeemed)) });
      const m = await enqueue(
        trx,
        'redemption.create',
        { claimId: 'claim-1', couponId: 'coupon-1', staffId: 'staff-1', scannedCode: 'ABC123' },
        { clock, ids: uuidV7, subject: 'claim:claim-1' },
      );
      return m.id;
    });

    // The hub has not seen it yet: its row still says "not redeemed", but opened meanwhile.
    await pull(claim({ openedAt: '2026-01-04T00:00:00.000Z' }));
    expect(await local()).toMatchObject({ ...redeemed, openedAt: '2026-01-04T00:00:00.000Z' });
    expect((await db('claims').where({ id: 'claim-1' }).first('redeemed_at')).redeemed_at).toBe(
      redeemed.redeemedAt,
    );

    // Once the hub has answered, its word wins (here: someone else redeemed it first).
    await writeTransaction(db, (trx) =>
      markAnswers(
        trx,
        [{ id: mutationId, status: 'conflict', code: 'ALREADY_REDEEMED', message: 'x', details: {} }],
        clock.now(),
      ),
    );
    const theirs = { ...redeemed, redeemedDeviceId: 'device-b1', redeemedBranchId: 'branch-b' };
    await pull(claim(theirs));
    expect(await local()).toMatchObject(theirs);
  });

  it('finds a claim by code or claim token through an index', async () => {
    for (const column of ['code', 'claim_token']) {
      const plan = (await db.raw(`EXPLAIN QUERY PLAN SELECT id FROM claims WHERE ${column} = ?`, ['x'])) as {
        detail: string;
      }[];
      expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX/);
    }
  });
});
