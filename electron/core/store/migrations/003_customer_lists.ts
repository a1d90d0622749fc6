/**
 * Bound-customer lists.
 *
 * - `customer_list`: the customers of each list this device has pulled, one row per (stream,
 *   customer): 'staff:<id>' is that associate's own list, 'team:<branchId>' the branch's team list
 *   (a sales manager's own customers are in both). The hub sends a list only to a session of the
 *   staff it belongs to. Search columns are real columns: `name_key` (NFKC, lower case) and
 *   `phone_digits` (the E.164 digits) are matched with LIKE, so what is typed matches literally.
 *   Two covering indexes carry them so a search never reads the table rows (customers/search.ts):
 *   `customer_list_order` in list order (newest binding first) for the page, and
 *   `customer_list_match` by channel for the total.
 * - `stream_cursors`: the pull cursor of each list stream (the device stream keeps meta.cursor).
 * - `broadcasts`: this device's associates' broadcasts as the hub reports their progress.
 * - claims by customer, for a customer's coupons.
 * - The old branch-wide `customers` mirror goes: the hub no longer sends customers that way.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_list', (t) => {
    t.string('stream').notNullable();
    t.string('id').notNullable();
    t.string('channel').notNullable();
    t.string('display_name').notNullable();
    t.string('name_key').notNullable();
    t.string('phone').nullable();
    t.string('phone_digits').notNullable();
    t.string('bound_staff_id').nullable();
    t.string('bound_branch_id').nullable();
    t.string('bound_at').nullable();
    t.text('data').notNullable();
    t.primary(['stream', 'id']);
    t.index(['stream', 'channel', 'name_key', 'phone_digits'], 'customer_list_match');
  });
  // knex cannot say DESC per index column; the list's ORDER BY must match the index exactly.
  await knex.raw(
    `CREATE INDEX customer_list_order
       ON customer_list (stream, bound_at DESC, id, channel, name_key, phone_digits)`,
  );
  await knex.schema.createTable('stream_cursors', (t) => {
    t.string('stream').primary();
    t.integer('cursor').notNullable();
  });
  await knex.schema.createTable('broadcasts', (t) => {
    t.string('id').primary();
    t.string('staff_id').notNullable();
    t.string('requested_at').notNullable();
    t.text('data').notNullable();
    t.index(['staff_id', 'requested_at']);
  });
  await knex.schema.alterTable('claims', (t) => {
    t.index(['customer_id']);
  });
  await knex.schema.dropTable('customers');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.createTable('customers', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable();
    t.string('bound_staff_id').nullable();
    t.string('bound_branch_id').nullable();
    t.text('data').notNullable();
    t.index(['bound_staff_id']);
  });
  await knex.schema.alterTable('claims', (t) => {
    t.dropIndex(['customer_id']);
  });
  await knex.schema.dropTable('broadcasts');
  await knex.schema.dropTable('stream_cursors');
  await knex.schema.dropTable('customer_list');
}
