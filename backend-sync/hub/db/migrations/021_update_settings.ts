/**
 * How tills take app updates, set in the back office: per brand the staged-rollout percentage and
 * the update window outside opening hours (HH:mm in the brand's time zone), per device its update
 * channel. Replicated in the brand and device rows (protocol BrandRow.updates,
 * DeviceRow.updateChannel); electron/main/updatePolicy.ts decides with them.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('brands', (t) => {
    t.integer('update_rollout_percent').notNullable().defaultTo(100);
    t.string('update_window_start').notNullable().defaultTo('03:00');
    t.string('update_window_end').notNullable().defaultTo('05:00');
  });
  await knex.schema.alterTable('devices', (t) => {
    t.string('update_channel').notNullable().defaultTo('stable');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('devices', (t) => {
    t.dropColumn('update_channel');
  });
  await knex.schema.alterTable('brands', (t) => {
    t.dropColumn('update_window_end');
    t.dropColumn('update_window_start');
    t.dropColumn('update_rollout_percent');
  });
}
