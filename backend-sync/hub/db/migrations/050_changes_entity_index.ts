/**
 * Enrollment announces the brand's devices that have no `device` change yet (devices/enroll.ts):
 * a NOT EXISTS over the change log by (brand_id, entity, entity_id). Without an index that lookup
 * reads the brand's whole log (134 ms on a fresh PostgreSQL database, more as the log grows), once
 * per enrollment — 300 of them at a chain's opening.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('changes', (t) => {
    t.index(['brand_id', 'entity', 'entity_id'], 'changes_brand_entity_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('changes', (t) => {
    t.dropIndex(['brand_id', 'entity', 'entity_id'], 'changes_brand_entity_index');
  });
}
