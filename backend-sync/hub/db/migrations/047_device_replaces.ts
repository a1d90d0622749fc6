/**
 * A device re-enrolled because its credentials were lost (devices/reenroll.ts) is a new device
 * that names the one it replaces. The hub treats the old device's mutation ids and sign-ins as
 * the new one's, so what the till had queued is accepted, exactly once, under its new identity.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('devices', (t) => {
    t.string('replaces_device_id').nullable().references('devices.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('devices', (t) => {
    t.dropColumn('replaces_device_id');
  });
}
