/**
 * Fewer B-trees for an outbox insert to write (bench till.redeem_commit_ms: every page a
 * redemption touches is appended to the WAL and synced). A new entry wrote four pages; now two.
 *
 * - `seq` becomes a plain INTEGER PRIMARY KEY (the rowid) instead of AUTOINCREMENT, which also
 *   rewrote the `sqlite_sequence` row on every insert. AUTOINCREMENT only differs when the
 *   newest rows are deleted, and outbox rows never are: new rows still get max(seq) + 1.
 * - The `(status, seq)` index goes. It served one question, "the oldest queued entries", and
 *   every queued insert wrote to it. Queued entries are now read along the rowid from the meta
 *   cursor `outboxAnsweredThrough` (every entry at or below it has its answer), which the push
 *   answer moves forward in its own transaction (outbox/index.ts markAnswers).
 * - Rejected and conflict entries, counted for the status bar, get a partial index: a new entry
 *   is queued, so its insert never touches it.
 *
 * Rebuilding a table other tables point at (`signins` and `till_verification_failures`
 * reference `outbox.id`) is SQLite's twelve-step procedure: foreign keys off, which only takes
 * effect outside a transaction (hence `transaction: false`), the copy in one transaction of its
 * own with `foreign_key_check` before its commit, foreign keys on again whatever happened.
 */
import type { Knex } from 'knex';

export const config = { transaction: false };

const COLUMNS = `
  seq integer NOT NULL PRIMARY KEY,
  id varchar(255) NOT NULL,
  kind varchar(255) NOT NULL,
  subject varchar(255) NULL,
  payload text NOT NULL,
  device_time varchar(255) NOT NULL,
  status varchar(255) NOT NULL,
  outcome text NULL,
  created_at varchar(255) NOT NULL,
  answered_at varchar(255) NULL`;

const NAMES = COLUMNS.split(',')
  .map((line) => line.trim().split(' ')[0]!)
  .join(', ');

const ANSWERED_THROUGH_KEY = 'outboxAnsweredThrough';

/** The rebuild with `seqColumn` as the key, then `finish` in the same transaction. */
async function rebuild(
  knex: Knex,
  seqColumn: string,
  finish: (trx: Knex.Transaction) => Promise<void>,
): Promise<void> {
  await knex.raw('PRAGMA foreign_keys = OFF');
  try {
    await knex.transaction(async (trx) => {
      const columns = COLUMNS.replace('seq integer NOT NULL PRIMARY KEY', seqColumn);
      await trx.raw(`CREATE TABLE outbox_new (${columns})`);
      await trx.raw(`INSERT INTO outbox_new (${NAMES}) SELECT ${NAMES} FROM outbox`);
      await trx.raw('DROP TABLE outbox');
      await trx.raw('ALTER TABLE outbox_new RENAME TO outbox');
      await trx.raw('CREATE UNIQUE INDEX outbox_id_unique ON outbox (id)');
      await finish(trx);
      const broken = (await trx.raw('PRAGMA foreign_key_check')) as unknown[];
      if (broken.length > 0) throw new Error(`outbox rebuild broke ${broken.length} references to it`);
    });
  } finally {
    await knex.raw('PRAGMA foreign_keys = ON');
  }
}

export async function up(knex: Knex): Promise<void> {
  await rebuild(knex, 'seq integer NOT NULL PRIMARY KEY', async (trx) => {
    await trx.raw(
      `CREATE INDEX outbox_problems ON outbox (status, kind) WHERE status IN ('rejected', 'conflict')`,
    );
    // Everything before the oldest queued entry is answered; with none queued, everything is.
    await trx.raw(
      `INSERT INTO meta (key, value) VALUES (?, CAST(coalesce(
         (SELECT min(seq) - 1 FROM outbox WHERE status = 'queued'),
         (SELECT max(seq) FROM outbox),
         0) AS TEXT))`,
      [ANSWERED_THROUGH_KEY],
    );
  });
}

export async function down(knex: Knex): Promise<void> {
  await rebuild(knex, 'seq integer NOT NULL PRIMARY KEY AUTOINCREMENT', async (trx) => {
    await trx.raw('CREATE INDEX outbox_status_seq_index ON outbox (status, seq)');
    await trx('meta').where({ key: ANSWERED_THROUGH_KEY }).delete();
  });
}
