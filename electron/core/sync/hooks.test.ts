import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock, uuidV7 } from '../../../backend-sync/domain/clock';
import { enqueue } from '../outbox/outbox';
import { openConsoleDb } from '../store/db';
import { getMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';
import { tempDir } from '../../testing/temp';
import { pullAll, pushAll, type ExchangeDeps } from './exchange';
import type { SyncHooks } from './hooks';

describe('sync hooks and fault points', () => {
  let db: Knex;
  let remove: () => void;
  const clock = manualClock('2026-03-10T04:00:00.000Z');
  beforeEach(async () => {
    const tmp = tempDir();
    remove = tmp.remove;
    db = await openConsoleDb({ dataDir: tmp.dir });
  });
  afterEach(async () => {
    await db.destroy();
    remove();
  });

  function recorder(throwAt?: string) {
    const log: string[] = [];
    const hooks: SyncHooks = {
      answersStored: async (trx, results) =>
        void log.push(`hook:answers(${results.length},${trx.isTransaction})`),
      pageApplied: async (trx, changes) => void log.push(`hook:page(${changes.length},${trx.isTransaction})`),
      committed: () => void log.push('hook:committed'),
    };
    const deps = (request: ExchangeDeps['request']): ExchangeDeps => ({
      db,
      clock,
      request,
      hooks,
      faults: (point) => {
        log.push(point);
        if (point === throwAt) throw new Error(`crash at ${point}`);
      },
    });
    return { log, deps };
  }

  const queueOne = () =>
    writeTransaction(db, (trx) =>
      enqueue(
        trx,
        'staff.signin',
        { staffId: 's', signedInAt: clock.now().toISOString() },
        { clock, ids: uuidV7 },
      ),
    );
  const pushAnswer = async (_e: string, payload: unknown) => ({
    results: (payload as { mutations: { id: string }[] }).mutations.map((m) => ({
      id: m.id,
      status: 'applied',
    })),
  });
  const page = async () => ({ changes: [], cursor: 7, hasMore: false, remaining: 0 });

  it('calls the push and pull points in order, the hooks inside the transactions', async () => {
    await queueOne();
    const r = recorder();
    await pushAll(r.deps(pushAnswer));
    await pullAll(r.deps(page));
    expect(r.log).toEqual([
      'sync:before-push',
      'sync:after-push-ack',
      'hook:answers(1,true)',
      'hook:committed',
      'sync:after-answers-stored',
      'sync:before-pull-apply',
      'hook:page(0,true)',
      'hook:committed',
      'sync:after-pull-apply',
    ]);
  });

  it('a crash after the answers arrive leaves the mutation queued; one before a page is applied leaves the cursor', async () => {
    await queueOne();
    await expect(pushAll(recorder('sync:after-push-ack').deps(pushAnswer))).rejects.toThrow('crash');
    expect(await db('outbox').pluck('status')).toEqual(['queued']);
    await expect(pullAll(recorder('sync:before-pull-apply').deps(page))).rejects.toThrow('crash');
    expect(await getMeta(db, 'cursor')).toBeNull();
  });
});
