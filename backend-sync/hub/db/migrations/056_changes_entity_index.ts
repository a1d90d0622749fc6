/**
 * Compaction (db/compaction.ts) asks, for each old change, whether a later change of the same row
 * in the same scope exists: an index that leads with exactly those columns answers it without
 * reading the brand's whole log.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('changes', (t) => {
    t.index(['brand_id', 'scope', 'entity', 'entity_id', 'seq'], 'changes_entity_seq_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('changes', (t) => {
    t.dropIndex(['brand_id', 'scope', 'entity', 'entity_id', 'seq'], 'changes_entity_seq_index');
  });
}
