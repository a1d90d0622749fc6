/**
 * PostgreSQL: a change's seq follows commit order within its brand, so a pull needs no lock.
 *
 * A sequence value is taken when a row is inserted but is seen only when its transaction commits:
 * seq 11 could be visible while seq 10 is still in flight, and a device that stored cursor 11
 * would never see 10. So each row's seq is drawn again at commit: a deferred constraint trigger
 * runs as the writing transaction commits, takes the brand's advisory lock (held until the commit
 * is visible) and gives the row a fresh seq. Two writers of one brand thus draw their final seqs
 * one after the other, each after the previous one's commit became visible, so whatever seq a
 * reader sees, every lower seq of that brand is already visible or never will be. Readers take no
 * lock at all; writers of one brand serialize only for the instant of their commit.
 * SQLite has one writer at a time and needs none of this.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'pg') return;
  // SET search_path FROM CURRENT: the trigger finds the schema's own sequence (tests use schemas).
  await knex.raw(`
    CREATE FUNCTION changes_seq_at_commit() RETURNS trigger
    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('changes:' || NEW.brand_id, 0));
      UPDATE changes SET seq = nextval(pg_get_serial_sequence('changes', 'seq')) WHERE seq = NEW.seq;
      RETURN NULL;
    END $$`);
  await knex.raw(`
    CREATE CONSTRAINT TRIGGER changes_seq_at_commit AFTER INSERT ON changes
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION changes_seq_at_commit()`);
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'pg') return;
  await knex.raw('DROP TRIGGER changes_seq_at_commit ON changes');
  await knex.raw('DROP FUNCTION changes_seq_at_commit()');
}
