/**
 * The hub's first schema. Runs unchanged on SQLite and PostgreSQL, so only portable column types:
 * ids are text (UUIDv7 made where the row is born), times are ISO-8601 text in UTC, JSON is text.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('brands', (t) => {
    t.string('id').primary();
    t.string('name').notNullable();
    t.string('time_zone').notNullable().defaultTo('Asia/Taipei');
    t.integer('verify_max_attempts').notNullable().defaultTo(5);
    t.integer('verify_lock_seconds').notNullable().defaultTo(300);
    t.integer('offline_redeem_limit_hours').notNullable().defaultTo(72);
    t.string('created_at').notNullable();
  });

  await knex.schema.createTable('branches', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable().references('brands.id');
    t.string('name').notNullable();
    t.string('code').notNullable();
    t.string('created_at').notNullable();
    t.unique(['brand_id', 'code']);
  });

  await knex.schema.createTable('staff', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable().references('brands.id');
    t.string('branch_id').nullable().references('branches.id');
    t.string('role').notNullable();
    t.string('staff_code').notNullable();
    t.string('display_name').notNullable();
    t.string('pin_hash').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.string('created_at').notNullable();
    t.unique(['brand_id', 'staff_code']);
  });

  await knex.schema.createTable('devices', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable().references('brands.id');
    t.string('branch_id').notNullable().references('branches.id');
    t.string('name').notNullable();
    /** One-time code; cleared when used. */
    t.string('pairing_code').nullable().unique();
    t.string('pairing_expires_at').nullable();
    t.string('token_hash').nullable();
    t.string('enrolled_at').nullable();
    t.string('last_seen_at').nullable();
    t.boolean('revoked').notNullable().defaultTo(false);
    t.string('created_at').notNullable();
  });

  await knex.schema.createTable('coupons', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable().references('brands.id');
    t.string('name').notNullable();
    t.string('type').notNullable();
    t.string('status').notNullable();
    t.text('branch_ids').notNullable(); // JSON array; empty = every branch
    t.string('validity_mode').notNullable();
    t.string('valid_from').nullable();
    t.string('valid_until').nullable();
    t.integer('duration_days').nullable();
    t.text('usage_rules').notNullable();
    t.string('barcode_type').notNullable();
    t.string('fixed_code').nullable();
    t.string('verification_code_hash').nullable();
    t.string('redeem_tag').nullable();
    t.string('created_at').notNullable();
    t.string('updated_at').notNullable();
  });

  await knex.schema.createTable('customers', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable().references('brands.id');
    t.string('channel').notNullable();
    t.string('channel_user_id').notNullable();
    t.string('display_name').notNullable();
    t.string('phone').nullable();
    t.string('avatar_url').nullable();
    t.string('bound_staff_id').nullable().references('staff.id');
    t.string('bound_branch_id').nullable().references('branches.id');
    t.string('bound_at').nullable();
    t.string('created_at').notNullable();
    t.unique(['brand_id', 'channel', 'channel_user_id']);
  });

  await knex.schema.createTable('binding_history', (t) => {
    t.increments('id').primary();
    t.string('customer_id').notNullable().references('customers.id');
    t.string('from_staff_id').nullable();
    t.string('to_staff_id').nullable();
    t.string('channel').notNullable();
    t.string('source').notNullable();
    t.string('at').notNullable();
  });

  await knex.schema.createTable('claims', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable().references('brands.id');
    t.string('coupon_id').notNullable().references('coupons.id');
    t.string('customer_id').nullable().references('customers.id');
    t.string('code').notNullable();
    t.string('claim_token').notNullable().unique();
    t.string('claimed_at').notNullable();
    t.string('opened_at').nullable();
    t.string('redeemed_at').nullable();
    t.string('redeemed_branch_id').nullable();
    t.string('redeemed_device_id').nullable();
    t.string('redeemed_staff_id').nullable();
    /** The redemption (device mutation id) that holds this claim. */
    t.string('redemption_id').nullable();
    t.unique(['brand_id', 'code']);
    t.index(['coupon_id']);
  });

  /** Every mutation a device pushed, once: the UNIQUE id is what makes a retry harmless. */
  await knex.schema.createTable('mutations', (t) => {
    t.string('id').primary();
    t.string('device_id').notNullable().references('devices.id');
    t.string('kind').notNullable();
    t.text('payload').notNullable();
    t.string('device_time').notNullable();
    t.text('outcome').notNullable(); // JSON MutationOutcome: the first answer, repeated to duplicates
    t.string('received_at').notNullable();
    t.index(['device_id']);
  });

  await knex.schema.createTable('redemptions', (t) => {
    t.string('id').primary(); // = mutation id
    t.string('claim_id').notNullable().references('claims.id');
    t.string('coupon_id').notNullable();
    t.string('device_id').notNullable();
    t.string('branch_id').notNullable();
    t.string('staff_id').notNullable();
    t.string('scanned_code').notNullable();
    t.string('device_time').notNullable();
    t.string('received_at').notNullable();
    /** applied · conflict (lost to an earlier one) · superseded (a later-arriving earlier one won) · voided */
    t.string('status').notNullable();
    t.string('resolution').nullable();
    t.string('resolved_by').nullable();
    t.string('resolved_at').nullable();
    t.index(['claim_id']);
  });

  /** Records that are audit only (sign-ins, wrong verification codes, redeem tags). */
  await knex.schema.createTable('events', (t) => {
    t.increments('id').primary();
    t.string('brand_id').notNullable();
    t.string('kind').notNullable();
    t.string('device_id').nullable();
    t.string('staff_id').nullable();
    t.text('data').notNullable();
    t.string('at').notNullable();
  });

  /**
   * The ordered change log devices pull from. `scope` is 'brand' (every device of the brand) or
   * 'branch:<id>'; a row visible to several branches is written once per branch.
   */
  await knex.schema.createTable('changes', (t) => {
    t.bigIncrements('seq').primary();
    t.string('brand_id').notNullable();
    t.string('scope').notNullable();
    t.string('entity').notNullable();
    t.string('entity_id').notNullable();
    t.string('op').notNullable();
    t.text('data').nullable();
    t.string('created_at').notNullable();
    t.index(['brand_id', 'scope', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'changes',
    'events',
    'redemptions',
    'mutations',
    'claims',
    'binding_history',
    'customers',
    'coupons',
    'devices',
    'staff',
    'branches',
    'brands',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
