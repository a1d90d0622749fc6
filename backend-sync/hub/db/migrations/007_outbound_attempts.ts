/**
 * Outbound messages record each attempt before it is made, so a hub killed between sending and
 * recording knows, at its next start, which messages may already have reached the customer:
 *   status 'sending'  an attempt started at attempt_started_at and its outcome is not recorded
 *   status 'unknown'  the outcome could not be found out (see channels/outbound.ts)
 * reply_by is when a LINE reply token stops being usable; after it the message goes as a push.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbound_messages', (t) => {
    t.string('attempt_started_at').nullable();
    t.string('reply_by').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbound_messages', (t) => {
    t.dropColumn('reply_by');
    t.dropColumn('attempt_started_at');
  });
}
