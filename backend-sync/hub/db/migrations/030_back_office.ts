/**
 * What the back office shows and edits beyond the first version:
 *  - branches.closed_at: a closed branch keeps its history but takes no new staff or devices;
 *  - devices.app_version / queued_mutations / status_at: what a console last reported of itself
 *    (protocol `device:status`), for the device list;
 *  - binding_settings: how long a referral link credits the associate (days, counted from send or
 *    from click) and the optional 91APP LINE member-binding card sent after a successful binding.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('branches', (t) => {
    t.string('closed_at').nullable();
  });
  await knex.schema.alterTable('devices', (t) => {
    t.string('app_version').nullable();
    t.integer('queued_mutations').nullable();
    t.string('status_at').nullable();
  });
  await knex.schema.alterTable('binding_settings', (t) => {
    t.integer('referral_valid_days').notNullable().defaultTo(7);
    t.string('referral_valid_from').notNullable().defaultTo('send');
    t.text('member_card').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('binding_settings', (t) => {
    t.dropColumn('referral_valid_days');
    t.dropColumn('referral_valid_from');
    t.dropColumn('member_card');
  });
  await knex.schema.alterTable('devices', (t) => {
    t.dropColumn('app_version');
    t.dropColumn('queued_mutations');
    t.dropColumn('status_at');
  });
  await knex.schema.alterTable('branches', (t) => {
    t.dropColumn('closed_at');
  });
}
