/**
 * The change log under concurrent writers: a device pulling while 10,000 changes are written from
 * several hub nodes (separate connection pools) at once receives every one of them exactly once.
 * On PostgreSQL a seq is visible only when its transaction commits, so a pull that trusted the
 * highest visible seq without migration 055 would skip changes committed late with lower seqs.
 */
import type { Knex } from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { openHubDb } from '.';
import { pullChanges } from '../realtime/pull';
import { openTestDb, testDbKinds, type TestDb } from '../testing/databases';
import { recordChange } from './changes';

const NODES = 4;
const IN_FLIGHT_PER_NODE = 4;
const device = {
  id: 'dev-race',
  brandId: 'brand-race',
  branchId: 'branch-race',
  name: 'Race till',
  lineage: ['dev-race'],
};

describe.each(testDbKinds())('change log under concurrent writers on %s', (kind) => {
  let t: TestDb | undefined;
  const nodes: Knex[] = [];
  afterEach(async () => {
    await Promise.all(nodes.splice(0).flatMap((db) => (db === t?.db ? [] : [db.destroy()])));
    await t?.close();
    t = undefined;
  });

  it('delivers every concurrent write (10,000 from four nodes on PostgreSQL) to a pulling device once', async () => {
    t = await openTestDb(kind);
    // SQLite: one process, one connection. PostgreSQL: the device pulls from a node of its own.
    const writers = kind === 'postgres' ? NODES : 1;
    for (let n = 0; n < writers; n++) nodes.push(kind === 'postgres' ? await openHubDb(t.options) : t.db);

    // SQLite's writers take turns anyway; a thousand shows that its pulls stay whole too.
    const writes = kind === 'postgres' ? 10_000 : 1_000;
    let next = 0;
    const write = async (db: Knex): Promise<void> => {
      while (next < writes) {
        const id = `c${next++}`;
        await db.transaction(async (trx) => {
          await recordChange(trx, {
            brandId: device.brandId,
            scopes: ['brand'],
            entity: 'device',
            id,
            op: 'delete',
            at: new Date(),
          });
          // Keep the transaction open a moment after its seq was drawn, as a real push does.
          await trx.raw('select 1');
        });
      }
    };
    let writing = true;
    const written = Promise.all(
      nodes.flatMap((db) => Array.from({ length: IN_FLIGHT_PER_NODE }, () => write(db))),
    ).finally(() => (writing = false));

    const received: string[] = [];
    let cursor = 0;
    for (;;) {
      const stillWriting = writing;
      const page = await pullChanges(t.db, device, { cursor, limit: 500 });
      received.push(...page.changes.map((c) => c.id));
      cursor = page.cursor;
      if (!stillWriting && !page.hasMore) break;
    }
    await written;

    expect(received).toHaveLength(writes);
    expect(new Set(received).size).toBe(writes);
  }, 180_000);
});
