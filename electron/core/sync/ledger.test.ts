/**
 * The sync ledger over a real console SQLite file: what waits, what the hub refused and what lost a
 * conflict, each with its subject and reason; what the hub took is not listed.
 */
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock, uuidV7 } from '../../../backend-sync/domain/clock';
import { enqueue, markAnswers } from '../outbox/outbox';
import { openConsoleDb } from '../store/db';
import { writeTransaction } from '../store/transaction';
import { tempDir } from '../../testing/temp';
import { oldestQueuedAt, syncLedger } from './ledger';

describe('sync ledger', () => {
  let db: Knex;
  let remove: () => void;
  const clock = manualClock('2026-03-01T02:00:00.000Z');
  const opts = { clock, ids: uuidV7 };

  beforeEach(async () => {
    const tmp = tempDir();
    remove = tmp.remove;
    db = await openConsoleDb({ dataDir: tmp.dir });
  });
  afterEach(async () => {
    await db.destroy();
    remove();
  });

  const redeem = (scannedCode: string) =>
    writeTransaction(
      db,
      async (trx) =>
        (
          await enqueue(
            trx,
            'redemption.create',
            { claimId: 'c', couponId: 'k', staffId: 's', signInId: 'i', scannedCode },
            opts,
          )
        ).id,
    );

  it('lists queued, rejected and conflicting changes with their subject and reason, newest first', async () => {
    expect(await syncLedger(db)).toEqual({ queued: [], problems: [] });
    expect(await oldestQueuedAt(db)).toBeNull();

    const taken = await redeem('TRY-VALID');
    clock.advance(60_000);
    const lost = await redeem('TRY-OPEN');
    clock.advance(60_000);
    const refused = await writeTransaction(
      db,
      async (trx) =>
        (
          await enqueue(
            trx,
            'customer.add',
            { staffId: 's', signInId: 'i', phone: '+85291234567', name: null, takeOver: false },
            opts,
          )
        ).id,
    );
    clock.advance(60_000);
    const waiting = await redeem('2000000000015');
    await writeTransaction(db, (trx) =>
      markAnswers(
        trx,
        [
          { id: taken, status: 'applied' },
          {
            id: lost,
            status: 'conflict',
            code: 'ALREADY_REDEEMED',
            message: 'earlier redemption won',
            details: {},
          },
          { id: refused, status: 'rejected', code: 'CUSTOMER_BOUND_ELSEWHERE', message: 'bound' },
        ],
        clock.now(),
      ),
    );

    const ledger = await syncLedger(db);
    expect(ledger.queued).toEqual([
      expect.objectContaining({
        id: waiting,
        kind: 'redemption.create',
        status: 'queued',
        subject: '2000000000015',
        madeAt: '2026-03-01T02:03:00.000Z',
        reasonCode: null,
      }),
    ]);
    expect(ledger.problems.map((e) => [e.kind, e.status, e.subject, e.reasonCode])).toEqual([
      ['customer.add', 'rejected', '+85291234567', 'CUSTOMER_BOUND_ELSEWHERE'],
      ['redemption.create', 'conflict', 'TRY-OPEN', 'ALREADY_REDEEMED'],
    ]);
    expect(await oldestQueuedAt(db)).toBe('2026-03-01T02:03:00.000Z');
  });
});
