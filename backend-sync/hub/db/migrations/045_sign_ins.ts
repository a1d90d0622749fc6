/**
 * Console sign-ins the hub knows, so every mutation is attributed to the person of the sign-in it
 * was made under rather than to the `staffId` its payload names (realtime/mutations/actor.ts).
 * `id` is the sign-in's `staff.signin` mutation id. `proof` says how the hub knows the person:
 *   hub_pin      the PIN was checked by the hub (session:open with this sign-in)
 *   offline_pin  the console's signInProof matches the member's current PIN hash
 *   unverified   neither (a PIN changed since, or a console older than the proof): flagged
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sign_ins', (t) => {
    t.string('id').primary();
    t.string('device_id').notNullable();
    t.string('staff_id').notNullable().references('staff.id');
    t.string('proof').notNullable();
    t.string('signed_in_at').nullable();
    t.string('recorded_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sign_ins');
}
