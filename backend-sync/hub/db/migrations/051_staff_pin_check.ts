/**
 * The hub's keyed PIN check per staff member (realtime/pinCheck.ts): checking a PIN at sign-in no
 * longer costs a scrypt once the hub has learnt it. Never replicated (db/rows.ts toStaffRow names
 * what is), redacted in the audit log like every pin field.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff', (t) => {
    t.string('pin_check').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff', (t) => {
    t.dropColumn('pin_check');
  });
}
