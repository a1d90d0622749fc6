/**
 * The hub database's epoch (db/epoch.ts): an id made once, when this database was created, and a
 * restore generation that `npm run hub -- restore` raises. A backup carries both; a console that
 * finds either changed, or the change log behind its cursor, re-syncs and pushes again what the
 * hub no longer has (docs/protocol.md "Hub epoch").
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('hub_epoch', (t) => {
    t.integer('singleton').primary();
    t.string('id').notNullable();
    t.integer('restore_generation').notNullable();
  });
  await knex('hub_epoch').insert({ singleton: 1, id: randomUUID(), restore_generation: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('hub_epoch');
}
