/**
 * A restored hub lost mutations it had answered (sync/epoch.ts): the console queues them again.
 * Migration 006 forbade that outright, because the push reads queued entries only after the
 * answered-through cursor. The rule now says exactly that: an answered entry may be queued again
 * only once the cursor has moved back before it.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS outbox_answers_are_final');
  await knex.raw(
    `CREATE TRIGGER outbox_requeued_behind_cursor BEFORE UPDATE OF status ON outbox
     WHEN NEW.status = 'queued' AND OLD.status <> 'queued' AND OLD.seq <= coalesce(
       (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outboxAnsweredThrough'), 0)
     BEGIN SELECT RAISE(ABORT, 'an answered outbox entry is queued again only behind the push cursor'); END`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS outbox_requeued_behind_cursor');
  await knex.raw(
    `CREATE TRIGGER outbox_answers_are_final BEFORE UPDATE OF status ON outbox
     WHEN NEW.status = 'queued' AND OLD.status <> 'queued'
     BEGIN SELECT RAISE(ABORT, 'an answered outbox entry cannot be queued again'); END`,
  );
}
