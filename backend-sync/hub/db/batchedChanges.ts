/**
 * Batched change recording for bulk writes (the demo seed, bulk claims). Produces exactly the rows
 * `recordChange` (hub/db/changes.ts) would, one INSERT per chunk instead of one per change.
 */
import type { Knex } from 'knex';
import { recordChange, type ChangeInput } from './changes';
import { chunks } from '../services/common';

export { recordChange };

export async function recordChanges(trx: Knex.Transaction, changes: readonly ChangeInput[]): Promise<void> {
  const rows = changes.flatMap((change) =>
    [...new Set(change.scopes)].map((scope) => ({
      brand_id: change.brandId,
      scope,
      entity: change.entity,
      entity_id: change.id,
      op: change.op,
      data: change.op === 'upsert' ? JSON.stringify(change.data) : null,
      created_at: change.at.toISOString(),
    })),
  );
  for (const chunk of chunks(rows, 500)) await trx('changes').insert(chunk);
}
