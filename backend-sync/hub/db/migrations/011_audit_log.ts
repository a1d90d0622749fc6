/**
 * The audit log (issue 18): who did what to which row, when, with the row before and after
 * (secrets redacted). Append-only; read newest first per brand.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id').primary();
    /** Null only for hub-wide actions (creating a brand with the operator token). */
    t.string('brand_id').nullable();
    /** user · api_token · operator · system */
    t.string('actor_kind').notNullable();
    t.string('actor_id').nullable();
    /** Email or token name at the time: stays readable after the account is gone. */
    t.string('actor_label').notNullable();
    t.string('action').notNullable();
    t.string('entity').notNullable();
    t.string('entity_id').nullable();
    t.text('before').nullable();
    t.text('after').nullable();
    t.string('at').notNullable();
    t.index(['brand_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('audit_log');
}
