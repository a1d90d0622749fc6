/**
 * Which hub database, and which restore of it, a console is talking to (migration 046). A console
 * compares it, and the change log's horizon, with what it stored (sync:epoch, docs/protocol.md).
 */
import type { Knex } from 'knex';
import type { HubEpoch } from '../../protocol';

export async function readEpoch(db: Knex): Promise<HubEpoch> {
  const [row, max] = await Promise.all([
    db('hub_epoch').where({ singleton: 1 }).first('id', 'restore_generation'),
    db('changes').max({ m: 'seq' }).first(),
  ]);
  return {
    id: String(row.id),
    generation: Number(row.restore_generation),
    horizon: Number((max as { m: number | string | null } | undefined)?.m ?? 0),
  };
}

/** After a restore: a generation no console has seen, above the backup's and the replaced one's. */
export async function raiseGeneration(db: Knex, atLeast: number): Promise<number> {
  const row = (await db('hub_epoch').where({ singleton: 1 }).first('restore_generation')) as {
    restore_generation: number;
  };
  const generation = Math.max(Number(row.restore_generation), atLeast) + 1;
  await db('hub_epoch').where({ singleton: 1 }).update({ restore_generation: generation });
  return generation;
}
