/**
 * The till's local tables.
 *
 * - `coupons.fixed_code`: a fixed code (固定序號) is looked up on every scan that matches no
 *   claim, so it gets a column and an index instead of a scan over the coupons' JSON.
 * - `till_redemptions`: one row per redemption this device knows of — its own (written in the
 *   same transaction as the `redemption.create` outbox entry) and the branch's as the hub
 *   replicated them. History, "needs attention" and the sync state on screen read this table.
 *   The columns the till searches and filters by are real columns; names come from the mirrors.
 * - `till_verify_attempts`: wrong verification codes per coupon on this device, and the lock.
 * - `till_verification_failures`: every wrong code (never the code typed), with its outbox entry.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('coupons', (t) => {
    t.string('fixed_code').nullable();
    t.index(['fixed_code']);
  });
  await knex.raw(`UPDATE coupons SET fixed_code = json_extract(data, '$.fixedCode')`);

  await knex.schema.createTable('till_redemptions', (t) => {
    /** = the `redemption.create` mutation id, which is also the hub's redemption id */
    t.string('id').primary();
    t.string('claim_id').notNullable();
    t.string('coupon_id').notNullable();
    t.string('branch_id').notNullable();
    t.string('device_id').notNullable();
    t.string('staff_id').notNullable();
    t.string('scanned_code').notNullable();
    /** The claim's pack code and customer name (from the claim mirror), for display and search. */
    t.string('code').notNullable();
    t.string('customer_name').nullable();
    /** Device time of the redemption (UTC ISO). */
    t.string('redeemed_at').notNullable();
    /** 1 = made on this device. */
    t.boolean('own').notNullable();
    /** Own rows: the outbox entry's status (queued · synced · conflict · rejected). */
    t.string('mutation_state').nullable();
    /** The hub's replicated decision (applied · conflict · voided), when it has arrived. */
    t.string('hub_status').nullable();
    /** The redemption that holds the claim, and its who/when as far as this device knows. */
    t.string('winner_id').nullable();
    t.string('winner_at').nullable();
    t.string('winner_branch_id').nullable();
    t.string('winner_device_id').nullable();
    t.string('winner_staff_id').nullable();
    /** The hub's resolution, and the one made on this device while its mutation is on its way. */
    t.string('resolution').nullable();
    t.string('resolved_by').nullable();
    t.string('resolved_at').nullable();
    t.string('local_resolution').nullable();
    /** Derived from the above (see till/state.ts): queued · synced · conflict · rejected. */
    t.string('state').notNullable();
    t.index(['claim_id']);
    t.index(['branch_id', 'redeemed_at']);
    t.index(['device_id', 'redeemed_at']);
    t.index(['state']);
  });

  await knex.schema.createTable('till_verify_attempts', (t) => {
    t.string('coupon_id').primary();
    t.integer('failures').notNullable();
    t.string('locked_until').nullable();
  });

  await knex.schema.createTable('till_verification_failures', (t) => {
    t.string('id').primary();
    t.string('coupon_id').notNullable();
    t.string('claim_id').notNullable();
    t.string('staff_id').notNullable();
    t.string('scanned_code').notNullable();
    t.string('at').notNullable();
    t.string('mutation_id').notNullable().references('outbox.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('till_verification_failures');
  await knex.schema.dropTableIfExists('till_verify_attempts');
  await knex.schema.dropTableIfExists('till_redemptions');
  await knex.schema.alterTable('coupons', (t) => {
    t.dropIndex(['fixed_code']);
    t.dropColumn('fixed_code');
  });
}
