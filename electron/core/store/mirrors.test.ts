import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { manualClock, uuidV7 } from '../../../backend-sync/domain/clock';
import type { Change, ClaimRow, CustomerRow, StaffRow } from '../../../backend-sync/protocol';
import { enqueue, markAnswers } from '../outbox/outbox';
import { tempDir } from '../../testing/temp';
import { openConsoleDb } from './db';
import { applyChanges } from './mirrors';
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
      applyChanges(trx, [{ seq: ++seq, entity: 'claim', op: 'upsert', id: row.id, data: row }]),
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
      applyChanges(trx, [{ seq: ++seq, entity: 'claim', op: 'delete', id: 'claim-1' }]),
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
        {
          claimId: 'claim-1',
          couponId: 'coupon-1',
          staffId: 'staff-1',
          signInId: 'signin-1',
          scannedCode: 'ABC123',
        },
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

  describe('a whole page at once (applyChanges)', () => {
    const redeemed = {
      redeemedAt: '2026-01-05T10:00:00.000Z',
      redeemedBranchId: 'branch-a',
      redeemedDeviceId: 'device-a1',
      redeemedStaffId: 'staff-1',
    };
    const upsertClaim = (row: ClaimRow): Change => ({
      seq: ++seq,
      entity: 'claim',
      op: 'upsert',
      id: row.id,
      data: row,
    });
    type Stored = Record<string, unknown> & { data: ClaimRow };
    const claimOf = async (id: string, from: Knex = db): Promise<Stored | undefined> => {
      const row = (await from('claims').where({ id }).first()) as Record<string, unknown> | undefined;
      return row && { ...row, data: JSON.parse(String(row.data)) as ClaimRow };
    };
    const page = (changes: Change[], stream?: Parameters<typeof applyChanges>[2]) =>
      writeTransaction(db, (trx) => applyChanges(trx, changes, stream));

    /** claim-1 redeemed here with its mutation still queued; claim-2 redeemed here and answered. */
    async function redeemLocally() {
      await page([
        upsertClaim(claim()),
        upsertClaim(claim({ id: 'claim-2', code: 'DEF456', claimToken: 'tok-2' })),
      ]);
      for (const id of ['claim-1', 'claim-2']) {
        const mutationId = await writeTransaction(db, async (trx) => {
          await trx('claims')
            .where({ id })
            .update({
              redeemed_at: redeemed.redeemedAt,
              data: JSON.stringify({ ...(await claimOf(id, trx))!.data, ...redeemed }),
            });
          const m = await enqueue(
            trx,
            'redemption.create',
            { claimId: id, couponId: 'coupon-1', staffId: 'staff-1', signInId: 'signin-1', scannedCode: 'x' },
            { clock, ids: uuidV7, subject: `claim:${id}` },
          );
          return m.id;
        });
        if (id === 'claim-2') {
          await writeTransaction(db, (trx) =>
            markAnswers(trx, [{ id: mutationId, status: 'applied' }], clock.now()),
          );
        }
      }
    }

    it('keeps the local redemption of a claim whose mutation is queued, and only of that one', async () => {
      await redeemLocally();
      const opened = '2026-01-04T00:00:00.000Z';
      await page([
        upsertClaim(claim({ openedAt: opened })),
        upsertClaim(claim({ id: 'claim-2', code: 'DEF456', claimToken: 'tok-2', openedAt: opened })),
      ]);
      const one = await claimOf('claim-1');
      expect(one?.data).toEqual({ ...claim({ openedAt: opened }), ...redeemed });
      expect(one?.redeemed_at).toBe(redeemed.redeemedAt);
      // claim-2's mutation was answered: the hub's row wins, as it is.
      const two = await claimOf('claim-2');
      expect(two?.data).toEqual(
        claim({ id: 'claim-2', code: 'DEF456', claimToken: 'tok-2', openedAt: opened }),
      );
      expect(two?.redeemed_at).toBeNull();
    });

    it('overwrites every column of an existing row, deletes, and ends a row as its last change says', async () => {
      await page([
        upsertClaim(claim()),
        upsertClaim(claim({ id: 'claim-2', code: 'DEF456', claimToken: 'tok-2' })),
      ]);
      const moved = claim({
        code: 'NEW999',
        claimToken: 'tok-new',
        couponId: 'coupon-2',
        customerId: 'cust-1',
        customerName: '陳怡君',
        redeemedAt: '2026-01-06T00:00:00.000Z',
        redeemedBranchId: 'branch-b',
        redeemedDeviceId: 'device-b1',
        redeemedStaffId: 'staff-2',
      });
      await page([
        upsertClaim(moved),
        { seq: ++seq, entity: 'claim', op: 'delete', id: 'claim-2' },
        upsertClaim(claim({ id: 'claim-3', code: 'GHI789', claimToken: 'tok-3' })),
        upsertClaim(claim({ id: 'claim-3', code: 'GHI790', claimToken: 'tok-3b' })),
        { seq: ++seq, entity: 'claim', op: 'delete', id: 'claim-4' },
      ]);
      expect(await claimOf('claim-1')).toEqual({
        id: 'claim-1',
        brand_id: 'brand-1',
        coupon_id: 'coupon-2',
        customer_id: 'cust-1',
        code: 'NEW999',
        claim_token: 'tok-new',
        redeemed_at: '2026-01-06T00:00:00.000Z',
        data: moved,
      });
      expect(await db('claims').where({ code: 'ABC123' }).first()).toBeUndefined();
      expect(await claimOf('claim-2')).toBeUndefined();
      expect((await claimOf('claim-3'))?.code).toBe('GHI790');
      expect(await db('claims').orderBy('id').pluck('id')).toEqual(['claim-1', 'claim-3']);
    });

    it('writes each entity to its mirror and each customer to the list it came in', async () => {
      const staff: StaffRow = {
        id: 'staff-1',
        brandId: 'brand-1',
        branchId: 'branch-a',
        role: 'sales_associate',
        staffCode: ' s001 ',
        displayName: 'Amy',
        pinHash: 'scrypt$x',
        active: false,
      };
      const customer: CustomerRow = {
        id: 'cust-1',
        brandId: 'brand-1',
        channel: 'whatsapp',
        displayName: 'ＣＨＡＮ Tai Man',
        phone: '+85291234567',
        avatarUrl: null,
        boundStaffId: 'staff-1',
        boundBranchId: 'branch-a',
        boundAt: '2026-01-02T00:00:00.000Z',
      };
      await page([
        { seq: ++seq, entity: 'staff', op: 'upsert', id: staff.id, data: staff },
        upsertClaim(claim()),
      ]);
      await page(
        [{ seq: ++seq, entity: 'customer', op: 'upsert', id: customer.id, data: customer }],
        'team:branch-a',
      );
      await page(
        [{ seq: ++seq, entity: 'customer', op: 'upsert', id: customer.id, data: customer }],
        'staff:staff-1',
      );
      expect(await db('staff').first()).toEqual({
        id: 'staff-1',
        brand_id: 'brand-1',
        branch_id: 'branch-a',
        staff_code: ' s001 ',
        staff_code_key: 'S001',
        active: 0,
        data: JSON.stringify(staff),
      });
      expect(await db('customer_list').where({ stream: 'team:branch-a' }).first()).toEqual({
        stream: 'team:branch-a',
        id: 'cust-1',
        channel: 'whatsapp',
        display_name: 'ＣＨＡＮ Tai Man',
        name_key: 'chan tai man',
        phone: '+85291234567',
        phone_digits: '85291234567',
        bound_staff_id: 'staff-1',
        bound_branch_id: 'branch-a',
        bound_at: '2026-01-02T00:00:00.000Z',
        data: JSON.stringify(customer),
      });
      // A delete in one list leaves the customer in the other.
      await page([{ seq: ++seq, entity: 'customer', op: 'delete', id: customer.id }], 'team:branch-a');
      expect(await db('customer_list').pluck('stream')).toEqual(['staff:staff-1']);
    });

    it('runs only inside a transaction', async () => {
      await expect(applyChanges(db as never, [upsertClaim(claim())])).rejects.toThrow(/transaction/);
    });
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
