/**
 * Back-office accounts (issue 18): one person per row with a role in one brand, their
 * signed-in sessions, and per-brand bearer tokens for machine-to-machine calls. Session and token
 * rows hold only a SHA-256 of the secret the client holds, so a database copy cannot sign anyone in.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('admin_users', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable().references('brands.id');
    /** Lower-cased; one account per address across the hub, so sign-in needs no brand picker. */
    t.string('email').notNullable().unique();
    t.string('display_name').notNullable();
    t.string('role').notNullable();
    /** Set only for a sales manager: the branch whose figures they may read. */
    t.string('branch_id').nullable().references('branches.id');
    t.string('password_hash').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('failed_signins').notNullable().defaultTo(0);
    t.string('locked_until').nullable();
    t.string('created_at').notNullable();
    t.string('updated_at').notNullable();
    t.index(['brand_id']);
  });

  await knex.schema.createTable('admin_sessions', (t) => {
    /** sha256(hex) of the cookie value. */
    t.string('id').primary();
    t.string('user_id').notNullable().references('admin_users.id');
    t.string('csrf_token').notNullable();
    t.string('created_at').notNullable();
    t.string('last_seen_at').notNullable();
    /** Absolute end; the idle limit is counted from last_seen_at. */
    t.string('expires_at').notNullable();
    t.index(['user_id']);
  });

  await knex.schema.createTable('api_tokens', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable().references('brands.id');
    t.string('name').notNullable();
    t.string('token_hash').notNullable().unique();
    t.string('created_at').notNullable();
    t.string('last_used_at').nullable();
    t.string('revoked_at').nullable();
    t.index(['brand_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['api_tokens', 'admin_sessions', 'admin_users'])
    await knex.schema.dropTableIfExists(table);
}
