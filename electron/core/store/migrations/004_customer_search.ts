/**
 * Customer search without the table scan (customers/search.ts).
 *
 * A "contains" match cannot use an SQL index to find rows, so search.ts keeps each list's search
 * columns in memory, read along `customer_list_order` (list order, covering: the table rows with
 * their JSON are not read). `customer_list_versions` tells it when a list changed: triggers bump
 * a list's number with every insert, update and delete of its rows, and a copy with another
 * number is read again.
 *
 * `customer_list_match` (003) served the SQL count of matches; nothing reads it any more, and
 * every pulled customer paid to keep it.
 */
import type { Knex } from 'knex';

const EVENTS = [
  ['INSERT', ['NEW']],
  ['UPDATE', ['OLD', 'NEW']],
  ['DELETE', ['OLD']],
] as const;

const bump = (row: 'NEW' | 'OLD') =>
  `INSERT INTO customer_list_versions (stream, version) VALUES (${row}.stream, 1)
     ON CONFLICT (stream) DO UPDATE SET version = version + 1;`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_list_versions', (t) => {
    t.string('stream').primary();
    t.integer('version').notNullable();
  });
  for (const [event, rows] of EVENTS) {
    await knex.raw(
      `CREATE TRIGGER customer_list_${event.toLowerCase()} AFTER ${event} ON customer_list
       BEGIN ${rows.map(bump).join(' ')} END`,
    );
  }
  await knex.raw('DROP INDEX customer_list_match');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customer_list', (t) => {
    t.index(['stream', 'channel', 'name_key', 'phone_digits'], 'customer_list_match');
  });
  for (const [event] of EVENTS) await knex.raw(`DROP TRIGGER customer_list_${event.toLowerCase()}`);
  await knex.schema.dropTable('customer_list_versions');
}
