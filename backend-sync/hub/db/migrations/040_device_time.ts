/**
 * Device time, bounded (docs/protocol.md, "Time"): a redemption keeps the time its device said
 * (`device_time`) and beside it the time the hub corrected it to (`corrected_time`, which orders
 * conflicts), with a flag when the correction was larger than the tolerance. A device keeps its
 * clock's offset as its last `sync:ping` measured it, and its last mutation's corrected time (the
 * lower bound of the next one). Redemptions recorded before this migration keep their device time
 * as their corrected one: it is what decided them.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('redemptions', (t) => {
    t.string('corrected_time').nullable();
    t.string('time_flag').nullable();
  });
  await knex('redemptions').update({ corrected_time: knex.ref('device_time') });
  await knex.schema.alterTable('devices', (t) => {
    t.bigInteger('clock_offset_ms').nullable();
    t.string('clock_checked_at').nullable();
    t.string('last_mutation_time').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('devices', (t) => {
    t.dropColumn('last_mutation_time');
    t.dropColumn('clock_checked_at');
    t.dropColumn('clock_offset_ms');
  });
  await knex.schema.alterTable('redemptions', (t) => {
    t.dropColumn('time_flag');
    t.dropColumn('corrected_time');
  });
}
