/**
 * The search's in-memory copy of a list must never answer from an old state: every change to the
 * list in the store (a pulled page, in either list) shows in the next search.
 */
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change, CustomerRow, PullStream } from '../../../backend-sync/protocol';
import { openConsoleDb } from '../store/db';
import { applyChanges } from '../store/mirrors';
import { writeTransaction } from '../store/transaction';
import { tempDir } from '../../testing/temp';
import { allMatches, searchCustomers } from './search';

const TEAM = 'team:branch-a' as const;
const MINE = 'staff:staff-1' as const;

const customer = (id: string, over: Partial<CustomerRow> = {}): CustomerRow => ({
  id,
  brandId: 'brand-1',
  channel: 'line',
  displayName: `Customer ${id}`,
  phone: null,
  avatarUrl: null,
  boundStaffId: 'staff-1',
  boundBranchId: 'branch-a',
  boundAt: '2026-03-01T00:00:00.000Z',
  ...over,
});

let db: Knex;
let cleanUp: () => void;
let seq = 0;
beforeEach(async () => {
  const temp = tempDir();
  cleanUp = temp.remove;
  db = await openConsoleDb({ dataDir: temp.dir });
});
afterEach(async () => {
  await db.destroy();
  cleanUp();
});

const pull = (stream: PullStream, changes: Change[]) =>
  writeTransaction(db, (trx) => applyChanges(trx, changes, stream));
const upsert = (c: CustomerRow): Change => ({
  seq: ++seq,
  entity: 'customer',
  op: 'upsert',
  id: c.id,
  data: c,
});
const drop = (id: string): Change => ({ seq: ++seq, entity: 'customer', op: 'delete', id });
const ids = async (stream: PullStream, search: string) =>
  (await searchCustomers(db, { stream, channel: 'all', search }, { limit: 50, offset: 0 }, 'HK')).items.map(
    (c) => c.id,
  );

describe('searching a list', () => {
  it('follows every insert, update and delete of the list at once', async () => {
    await pull(TEAM, [upsert(customer('c1', { displayName: 'Chan Tai Man' })), upsert(customer('c2'))]);
    expect(await ids(TEAM, 'chan')).toEqual(['c1']);

    await pull(TEAM, [
      upsert(customer('c2', { displayName: '陳大文 Chan', boundAt: '2026-03-02T00:00:00.000Z' })),
    ]);
    expect(await ids(TEAM, 'chan')).toEqual(['c2', 'c1']);

    await pull(TEAM, [drop('c1'), upsert(customer('c3', { phone: '+85291234567' }))]);
    expect(await ids(TEAM, 'chan')).toEqual(['c2']);
    expect(await ids(TEAM, '9123 4567')).toEqual(['c3']);
  });

  it('keeps each list to itself', async () => {
    await pull(TEAM, [upsert(customer('c1', { displayName: 'Chan' }))]);
    expect(await ids(MINE, 'chan')).toEqual([]);
    await pull(MINE, [upsert(customer('c1', { displayName: 'Chan' }))]);
    expect(await ids(MINE, 'chan')).toEqual(['c1']);
    await pull(MINE, [drop('c1')]);
    expect(await ids(MINE, 'chan')).toEqual([]);
    expect(await ids(TEAM, 'chan')).toEqual(['c1']);
  });

  it('pages and counts over all matches, and exports them all in list order', async () => {
    const many = Array.from({ length: 1200 }, (_, i) =>
      customer(`c${String(i).padStart(4, '0')}`, {
        displayName: i % 3 === 0 ? `Wong ${i}` : `Lee ${i}`,
        channel: i % 2 === 0 ? 'line' : 'whatsapp',
        boundAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
      }),
    );
    await pull(TEAM, many.map(upsert));
    const wongs = many.filter((c) => c.displayName.startsWith('Wong')).reverse();
    const page = await searchCustomers(
      db,
      { stream: TEAM, channel: 'line', search: 'wong' },
      { limit: 50, offset: 50 },
      'HK',
    );
    const lineWongs = wongs.filter((c) => c.channel === 'line');
    expect(page.total).toBe(lineWongs.length);
    expect(page.items.map((c) => c.id)).toEqual(lineWongs.slice(50, 100).map((c) => c.id));
    const all = await allMatches(db, { stream: TEAM, channel: 'all', search: 'WONG' }, 'HK');
    expect(all.map((c) => c.id)).toEqual(wongs.map((c) => c.id));
  });
});
