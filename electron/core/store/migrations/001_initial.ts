/**
 * The console's first local schema.
 *
 * Mirrors (brand, branches, staff, devices, coupons, claims, customers, redemptions) hold what the hub replicated to
 * this device: the full protocol row as JSON in `data`, plus the columns the console looks rows up
 * by. They have no foreign keys between them: the hub's change log is the authority on what
 * exists, and a page may carry a claim before the coupon a scope change brings later.
 * Times are ISO-8601 text in UTC.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  /** enrollment, sealed device token, pull cursor, lastSyncAt, offlineSince, locale… */
  await knex.schema.createTable('meta', (t) => {
    t.string('key').primary();
    t.text('value').notNullable();
  });

  await knex.schema.createTable('brand', (t) => {
    t.string('id').primary();
    t.string('name').notNullable();
    t.text('data').notNullable();
  });

  await knex.schema.createTable('branches', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable();
    t.string('name').notNullable();
    t.string('code').notNullable();
    t.text('data').notNullable();
  });

  await knex.schema.createTable('staff', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable();
    t.string('branch_id').nullable();
    t.string('staff_code').notNullable();
    /** Upper-cased staff code: sign-in is case-insensitive. */
    t.string('staff_code_key').notNullable();
    t.boolean('active').notNullable();
    t.text('data').notNullable();
    t.index(['staff_code_key']);
  });

  /** Device names of the brand, so the till can say which device redeemed a claim. */
  await knex.schema.createTable('devices', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable();
    t.string('branch_id').notNullable();
    t.string('name').notNullable();
    t.text('data').notNullable();
  });

  await knex.schema.createTable('coupons', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable();
    t.string('status').notNullable();
    t.text('data').notNullable();
  });

  await knex.schema.createTable('claims', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable();
    t.string('coupon_id').notNullable();
    t.string('customer_id').nullable();
    t.string('code').notNullable();
    t.string('claim_token').notNullable();
    t.string('redeemed_at').nullable();
    t.text('data').notNullable();
    // The till looks a scanned code up by one of these two among up to ~1,000,000 claims.
    t.index(['code']);
    t.index(['claim_token']);
    t.index(['coupon_id']);
  });

  await knex.schema.createTable('customers', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable();
    t.string('bound_staff_id').nullable();
    t.string('bound_branch_id').nullable();
    t.text('data').notNullable();
    t.index(['bound_staff_id']);
  });

  /** Redemptions as the hub decided them (applied · conflict · voided), for "needs attention". */
  await knex.schema.createTable('redemptions', (t) => {
    t.string('id').primary();
    t.string('brand_id').notNullable();
    t.string('claim_id').notNullable();
    t.string('status').notNullable();
    t.text('data').notNullable();
    t.index(['claim_id']);
  });

  /**
   * Mutations made on this device, written in the same transaction as their effect. `seq` keeps
   * the order they are pushed in; `id` (UUIDv7) is what the hub deduplicates on. `subject`
   * names the replicated row the mutation depends on (e.g. 'claim:<id>') so a pull can tell
   * which local state it must not overwrite while the mutation is still queued.
   */
  await knex.schema.createTable('outbox', (t) => {
    t.increments('seq').primary();
    t.string('id').notNullable().unique();
    t.string('kind').notNullable();
    t.string('subject').nullable();
    t.text('payload').notNullable();
    t.string('device_time').notNullable();
    /** queued · synced · rejected · conflict */
    t.string('status').notNullable();
    t.text('outcome').nullable();
    t.string('created_at').notNullable();
    t.string('answered_at').nullable();
    t.index(['status', 'seq']);
    t.index(['subject']);
  });

  /** Each staff sign-in on this device (the hub gets the same as a `staff.signin` mutation). */
  await knex.schema.createTable('signins', (t) => {
    t.string('id').primary();
    t.string('staff_id').notNullable();
    t.string('staff_code').notNullable();
    t.string('signed_in_at').notNullable();
    t.string('mutation_id').notNullable().references('outbox.id');
  });

  /** Wrong-PIN counter per staff code, kept on disk so restarting the app does not reset a lock. */
  await knex.schema.createTable('signin_attempts', (t) => {
    t.string('staff_code_key').primary();
    t.integer('failures').notNullable();
    t.string('locked_until').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'signin_attempts',
    'signins',
    'outbox',
    'redemptions',
    'customers',
    'claims',
    'coupons',
    'devices',
    'staff',
    'branches',
    'brand',
    'meta',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
