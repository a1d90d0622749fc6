/**
 * The name of who redeemed a claim, kept on the claim. Staff rows replicate only to their own
 * branch (they carry PIN hashes), yet a till at another branch must say by whom a claim was
 * redeemed; the claim, which every branch receives, carries the name as it was at redemption.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('claims', (t) => {
    t.string('redeemed_staff_name').nullable();
  });
  // Claims redeemed before this migration get their staff's current name.
  await knex('claims')
    .whereNotNull('redeemed_staff_id')
    .update({
      redeemed_staff_name: knex('staff')
        .select('display_name')
        .where('staff.id', knex.ref('claims.redeemed_staff_id')),
    });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('claims', (t) => {
    t.dropColumn('redeemed_staff_name');
  });
}
