/**
 * Fewer B-trees for an outbox insert to write (bench till.redeem_commit_ms: every page a
 * redemption touches is appended to the WAL and synced). A new entry wrote four pages; now two.
 *
 * - `seq` becomes a plain INTEGER PRIMARY KEY (the rowid) instead of AUTOINCREMENT, which also
 *   rewrote the `sqlite_sequence` row on every insert. AUTOINCREMENT only differs when the
 *   newest rows are deleted, and outbox rows never are (a trigger now refuses it): new rows
 *   still get max(seq) + 1.
 * - The `(status, seq)` index goes. It served one question, "the oldest queued entries", and
 *   every queued insert wrote to it. Queued entries are now read along the rowid after the meta
 *   cursor `outboxAnsweredThrough` (every entry at or below it has its answer), which the push
 *   answer moves forward in its own transaction (outbox/outbox.ts markAnswers). A second trigger
 *   refuses to queue an answered entry again, which the cursor could not see.
 * - Rejected and conflict entries, counted for the status bar, get a partial index: a new entry
 *   is queued, so its insert never touches it.
 *
 * `signins` and `till_verification_failures` reference `outbox.id`, so they are rebuilt with
 * it, foreign keys on, in knex's transaction: the new outbox and children are filled first (the
 * children pointing at the new outbox), the old tables dropped children first, and the renames
 * point the children's references at the name `outbox`. Turning foreign keys off instead would
 * need a migration outside a transaction, and knex then runs the whole batch without one: a crash
 * part-way would leave the migration lock taken and the till unable to start.
 */
import type { Knex } from 'knex';

const OUTBOX_COLUMNS = `
  id varchar(255) NOT NULL,
  kind varchar(255) NOT NULL,
  subject varchar(255) NULL,
  payload text NOT NULL,
  device_time varchar(255) NOT NULL,
  status varchar(255) NOT NULL,
  outcome text NULL,
  created_at varchar(255) NOT NULL,
  answered_at varchar(255) NULL`;

// The children's columns as knex made them in 001 and 002 (ids are set by the code, never null).
const SIGNINS_COLUMNS = `
  id varchar(255) PRIMARY KEY,
  staff_id varchar(255) NOT NULL,
  staff_code varchar(255) NOT NULL,
  signed_in_at varchar(255) NOT NULL,
  mutation_id varchar(255) NOT NULL`;

const FAILURES_COLUMNS = `
  id varchar(255) PRIMARY KEY,
  coupon_id varchar(255) NOT NULL,
  claim_id varchar(255) NOT NULL,
  staff_id varchar(255) NOT NULL,
  scanned_code varchar(255) NOT NULL,
  at varchar(255) NOT NULL,
  mutation_id varchar(255) NOT NULL`;

const namesOf = (columns: string): string =>
  columns
    .split(',')
    .map((line) => line.trim().split(' ')[0]!)
    .join(', ');

const ANSWERED_THROUGH_KEY = 'outboxAnsweredThrough';

/**
 * The outbox with `seqColumn` as its key and an `idIndex` on id, and its two children, copied
 * whole; the old tables dropped. Runs in the migration's transaction with foreign keys on.
 */
async function rebuild(knex: Knex, seqColumn: string, idIndex: string): Promise<void> {
  const outboxNames = `seq, ${namesOf(OUTBOX_COLUMNS)}`;
  await knex.raw(`CREATE TABLE outbox_new (${seqColumn}, ${OUTBOX_COLUMNS})`);
  await knex.raw(`INSERT INTO outbox_new (${outboxNames}) SELECT ${outboxNames} FROM outbox`);
  // The children's inserts check their references against it.
  await knex.raw(`CREATE UNIQUE INDEX ${idIndex} ON outbox_new (id)`);
  for (const [table, columns] of [
    ['signins', SIGNINS_COLUMNS],
    ['till_verification_failures', FAILURES_COLUMNS],
  ] as const) {
    await knex.raw(
      `CREATE TABLE ${table}_new (${columns}, FOREIGN KEY (mutation_id) REFERENCES outbox_new (id))`,
    );
    const names = namesOf(columns);
    await knex.raw(`INSERT INTO ${table}_new (${names}) SELECT ${names} FROM ${table}`);
  }
  await knex.raw('DROP TABLE signins');
  await knex.raw('DROP TABLE till_verification_failures');
  await knex.raw('DROP TABLE outbox');
  // Renaming the parent rewrites the children's REFERENCES outbox_new into outbox.
  await knex.raw('ALTER TABLE outbox_new RENAME TO outbox');
  await knex.raw('ALTER TABLE signins_new RENAME TO signins');
  await knex.raw('ALTER TABLE till_verification_failures_new RENAME TO till_verification_failures');
  for (const table of ['signins', 'till_verification_failures']) {
    const broken = (await knex.raw(`PRAGMA foreign_key_check(${table})`)) as unknown[];
    if (broken.length > 0) throw new Error(`outbox rebuild broke ${broken.length} references in ${table}`);
  }
}

export async function up(knex: Knex): Promise<void> {
  await rebuild(knex, 'seq integer NOT NULL PRIMARY KEY', 'outbox_ids');
  await knex.raw(
    `CREATE INDEX outbox_problems ON outbox (status, kind) WHERE status IN ('rejected', 'conflict')`,
  );
  await knex.raw(
    `CREATE TRIGGER outbox_entries_are_kept BEFORE DELETE ON outbox
     BEGIN SELECT RAISE(ABORT, 'outbox entries are never deleted (the push cursor relies on it)'); END`,
  );
  await knex.raw(
    `CREATE TRIGGER outbox_answers_are_final BEFORE UPDATE OF status ON outbox
     WHEN NEW.status = 'queued' AND OLD.status <> 'queued'
     BEGIN SELECT RAISE(ABORT, 'an answered outbox entry cannot be queued again'); END`,
  );
  // Everything before the oldest queued entry is answered; with none queued, everything is.
  await knex.raw(
    `INSERT INTO meta (key, value) VALUES (?, CAST(coalesce(
       (SELECT min(seq) - 1 FROM outbox WHERE status = 'queued'),
       (SELECT max(seq) FROM outbox),
       0) AS TEXT))
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [ANSWERED_THROUGH_KEY],
  );
}

export async function down(knex: Knex): Promise<void> {
  // The triggers and the partial index go with the old table.
  await rebuild(knex, 'seq integer NOT NULL PRIMARY KEY AUTOINCREMENT', 'outbox_id_unique');
  await knex.raw('CREATE INDEX outbox_status_seq_index ON outbox (status, seq)');
  await knex('meta').where({ key: ANSWERED_THROUGH_KEY }).delete();
}
