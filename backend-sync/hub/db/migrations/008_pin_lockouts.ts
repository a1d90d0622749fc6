/**
 * Wrong PINs at the hub (session:open), counted per staff member across sockets and devices:
 *   pin_failures  one row per staff member: failures in the current streak, when the last was,
 *                 and until when the member is locked (null: not locked)
 *   pin_lockouts  one row per lock, kept: who, from which device, when, until when
 * Attempts per device are limited in memory (realtime/pinGuard.ts); a restart forgets those, not
 * the per-staff counts above.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pin_failures', (t) => {
    t.string('staff_id').primary().references('staff.id');
    t.integer('failures').notNullable();
    t.string('last_failed_at').notNullable();
    t.string('locked_until').nullable();
    /** Locks in a row: each doubles the next one (back-off), reset by a right PIN. */
    t.integer('lock_count').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('pin_lockouts', (t) => {
    t.increments('id').primary();
    t.string('brand_id').notNullable();
    t.string('staff_id').notNullable().references('staff.id');
    t.string('device_id').notNullable();
    t.string('locked_at').notNullable();
    t.string('locked_until').notNullable();
    t.integer('failures').notNullable();
    t.index(['staff_id', 'locked_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('pin_lockouts');
  await knex.schema.dropTableIfExists('pin_failures');
}
