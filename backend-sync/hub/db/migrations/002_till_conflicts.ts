/**
 * Till conflicts: redemptions name the redemption they lost to, so the hub can replicate a
 * conflict with its winner ("needs attention" on both branches) and re-point it when an even
 * earlier one arrives. Plus an index to find an entity's changes (used when announcing devices).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('redemptions', (t) => {
    t.string('winner_id').nullable();
  });
  await knex.schema.alterTable('changes', (t) => {
    t.index(['entity', 'entity_id'], 'changes_entity_id_index');
  });
  // Conflicts recorded before this migration lost to whatever holds their claim now.
  await knex('redemptions')
    .where({ status: 'conflict' })
    .update({
      winner_id: knex('claims').select('redemption_id').where('claims.id', knex.ref('redemptions.claim_id')),
    });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('changes', (t) => {
    t.dropIndex(['entity', 'entity_id'], 'changes_entity_id_index');
  });
  await knex.schema.alterTable('redemptions', (t) => {
    t.dropColumn('winner_id');
  });
}
