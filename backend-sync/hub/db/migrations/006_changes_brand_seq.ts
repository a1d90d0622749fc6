/**
 * The brand's latest change seq (realtime/pull.ts latestSeq, read for every poke after a push)
 * from an index that leads with brand_id then seq. The log's own (brand_id, scope, seq) index
 * cannot answer max(seq) for a brand without reading all of the brand's rows, so each poke took
 * longer as the log grew (1.7 ms at 30,000 rows on SQLite).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('changes', (t) => {
    t.index(['brand_id', 'seq'], 'changes_brand_seq_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('changes', (t) => {
    t.dropIndex(['brand_id', 'seq'], 'changes_brand_seq_index');
  });
}
