/**
 * Fewer B-trees for a redemption to write (bench till.redeem_commit_ms). A redemption commits
 * every page it touches to the WAL and syncs it; `till_redemptions` had six B-trees (the rowid
 * table, the id key, claim, branch + time, device + time, state), each one or more pages per
 * insert. Now three:
 *
 * - WITHOUT ROWID, keyed by id: the table is its own primary-key index. Ids are UUIDv7 (device
 *   time first), so new rows go at the right edge.
 * - One `(redeemed_at, id)` index serves both history scopes: every row here is this branch's
 *   (replication is branch-scoped; a cross-branch conflict's winner is the rare exception), so
 *   reading newest-first and keeping this device's or this branch's rows fills a page at once.
 * - The `state` index becomes partial, on open conflicts only (what "needs attention" looks for):
 *   a new redemption is 'queued', so its insert never touches it.
 * - `claim_id` stays (sync looks rows up by claim).
 *
 * And the outbox's `subject` index goes: the till asks whether its own redemption of a claim is
 * still queued from `till_redemptions` (by claim), and a pull reads the queued entries along
 * `(status, seq)`; nothing looks an entry up by subject any more.
 */
import type { Knex } from 'knex';

const COLUMNS = `
  id varchar(255) NOT NULL PRIMARY KEY,
  claim_id varchar(255) NOT NULL,
  coupon_id varchar(255) NOT NULL,
  branch_id varchar(255) NOT NULL,
  device_id varchar(255) NOT NULL,
  staff_id varchar(255) NOT NULL,
  scanned_code varchar(255) NOT NULL,
  code varchar(255) NOT NULL,
  customer_name varchar(255) NULL,
  redeemed_at varchar(255) NOT NULL,
  own boolean NOT NULL,
  mutation_state varchar(255) NULL,
  hub_status varchar(255) NULL,
  winner_id varchar(255) NULL,
  winner_at varchar(255) NULL,
  winner_branch_id varchar(255) NULL,
  winner_device_id varchar(255) NULL,
  winner_staff_id varchar(255) NULL,
  resolution varchar(255) NULL,
  resolved_by varchar(255) NULL,
  resolved_at varchar(255) NULL,
  local_resolution varchar(255) NULL,
  state varchar(255) NOT NULL`;

const NAMES = COLUMNS.split(',')
  .map((line) => line.trim().split(' ')[0]!)
  .join(', ');

async function rebuild(knex: Knex, withoutRowid: boolean): Promise<void> {
  await knex.raw(`CREATE TABLE till_redemptions_new (${COLUMNS})${withoutRowid ? ' WITHOUT ROWID' : ''}`);
  await knex.raw(`INSERT INTO till_redemptions_new (${NAMES}) SELECT ${NAMES} FROM till_redemptions`);
  await knex.raw('DROP TABLE till_redemptions');
  await knex.raw('ALTER TABLE till_redemptions_new RENAME TO till_redemptions');
  await knex.raw('CREATE INDEX till_redemptions_claim_id_index ON till_redemptions (claim_id)');
}

export async function up(knex: Knex): Promise<void> {
  await rebuild(knex, true);
  await knex.raw('CREATE INDEX till_redemptions_time ON till_redemptions (redeemed_at, id)');
  await knex.raw(
    `CREATE INDEX till_redemptions_conflicts ON till_redemptions (state) WHERE state = 'conflict'`,
  );
  await knex.schema.alterTable('outbox', (t) => t.dropIndex(['subject']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => t.index(['subject']));
  await rebuild(knex, false);
  await knex.schema.alterTable('till_redemptions', (t) => {
    t.index(['branch_id', 'redeemed_at']);
    t.index(['device_id', 'redeemed_at']);
    t.index(['state']);
  });
}
