/**
 * Compaction against what a device ends up holding: a device that synced, went offline past the
 * retention window while rows were edited and deleted, and then pulled from its old cursor holds
 * exactly what a fresh device's first sync gives — and what the log said before it was compacted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../domain/clock';
import { pullChanges } from '../realtime/pull';
import { openTestDb, testDbKinds, type TestDb } from '../testing/databases';
import { recordChange, type ChangeInput } from './changes';
import { compactChanges } from './compaction';

const device = { id: 'dev-c', brandId: 'brand-c', branchId: 'branch-1', name: 'Till', lineage: ['dev-c'] };
const DAY = 24 * 60 * 60_000;

type State = Map<string, unknown>;

/** Pulls every page from `cursor` and applies it to `state`, as a console does. */
async function syncFrom(t: TestDb, state: State, cursor: number): Promise<number> {
  for (;;) {
    const page = await pullChanges(t.db, device, { cursor, limit: 7 });
    for (const c of page.changes) {
      if (c.op === 'delete') state.delete(`${c.entity}:${c.id}`);
      else state.set(`${c.entity}:${c.id}`, c.data);
    }
    cursor = page.cursor;
    if (!page.hasMore) return cursor;
  }
}

describe.each(testDbKinds())('change-log compaction on %s', (kind) => {
  let t: TestDb | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('re-syncs a device offline past the window to the same state as a fresh device', async () => {
    t = await openTestDb(kind);
    const clock = manualClock('2026-03-01T00:00:00.000Z');
    const write = (change: Omit<ChangeInput, 'brandId' | 'at'>) =>
      t!.db.transaction((trx) => recordChange(trx, { ...change, brandId: device.brandId, at: clock.now() }));
    const branch = (id: string, name: string) =>
      write({
        scopes: ['brand'],
        entity: 'branch',
        id,
        op: 'upsert',
        data: { id, brandId: device.brandId, name, code: id.toUpperCase() },
      });

    for (let i = 0; i < 6; i++) await branch(`b${i}`, `Branch ${i}`);
    const offline: State = new Map();
    const offlineCursor = await syncFrom(t, offline, 0);

    // While the device is away: every row edited three times, two deleted, one added.
    for (let round = 1; round <= 3; round++) {
      clock.advance(DAY);
      for (let i = 0; i < 6; i++) await branch(`b${i}`, `Branch ${i} v${round}`);
    }
    await write({ scopes: ['brand'], entity: 'branch', id: 'b1', op: 'delete' });
    await write({ scopes: ['brand'], entity: 'branch', id: 'b4', op: 'delete' });
    await branch('b6', 'Branch 6');
    const truth: State = new Map();
    await syncFrom(t, truth, 0);

    clock.advance(10 * DAY);
    const before = Number(((await t.db('changes').count({ n: '*' })) as { n: string }[])[0]!.n);
    const removed = await compactChanges(t.db, new Date(clock.now().getTime() - 7 * DAY));
    const after = Number(((await t.db('changes').count({ n: '*' })) as { n: string }[])[0]!.n);
    expect(removed).toBe(before - after);
    expect(after).toBe(7); // the latest change of each of the 7 rows, the two deletes included

    await syncFrom(t, offline, offlineCursor);
    const fresh: State = new Map();
    await syncFrom(t, fresh, 0);
    expect(fresh).toEqual(truth);
    expect(offline).toEqual(truth);
    expect([...truth.keys()].sort()).toEqual([
      'branch:b0',
      'branch:b2',
      'branch:b3',
      'branch:b5',
      'branch:b6',
    ]);
  });

  it('keeps changes younger than the window, superseded or not', async () => {
    t = await openTestDb(kind);
    const at = new Date('2026-03-01T00:00:00.000Z');
    for (const name of ['one', 'two'])
      await t.db.transaction((trx) =>
        recordChange(trx, {
          brandId: device.brandId,
          scopes: ['brand'],
          entity: 'branch',
          id: 'b0',
          op: 'upsert',
          data: { id: 'b0', brandId: device.brandId, name, code: 'B0' },
          at,
        }),
      );
    expect(await compactChanges(t.db, new Date(at.getTime() - DAY))).toBe(0);
    expect(await t.db('changes')).toHaveLength(2);
  });
});
