/**
 * Change-log compaction: a change older than the retention window is removed when a later change
 * of the same row in the same scope exists (it is superseded: no device needs it any more). The
 * latest change of every row — a delete included — stays, so a device whose cursor is older than
 * the window pulls, through the same paged pull as a first sync, the latest version of everything
 * that changed since: it ends in the same state as a fresh device (db/compaction.test.ts). Pages
 * already delivered are unaffected: a removed change's successor has a higher seq, which the
 * device receives in a later page if not already.
 *
 * Removal goes in bounded batches (each its own short transaction), so a large log never holds a
 * long lock; any node may run it (the deletes are idempotent).
 */
import type { Knex } from 'knex';
import type { Clock } from '../../domain/clock';

/** How long superseded changes are kept (a device offline longer re-syncs what changed since). */
export const DEFAULT_CHANGE_RETENTION_MS = 7 * 24 * 60 * 60_000;
const BATCH = 5_000;

/** Removes superseded changes created before `before`; returns how many. */
export async function compactChanges(db: Knex, before: Date): Promise<number> {
  let removed = 0;
  for (;;) {
    const superseded = db('changes as c')
      .where('c.created_at', '<', before.toISOString())
      .whereExists(function later() {
        this.select(db.raw('1'))
          .from('changes as n')
          .whereRaw('n.brand_id = c.brand_id and n.scope = c.scope and n.entity = c.entity')
          .whereRaw('n.entity_id = c.entity_id and n.seq > c.seq');
      })
      .limit(BATCH)
      .select('c.seq');
    const n = await db('changes').whereIn('seq', superseded).delete();
    removed += n;
    if (n < BATCH) return removed;
  }
}

export interface ChangeCompactor {
  stop(): void;
}

/** Compacts now and then every `everyMs` (a node's background chore; failures are logged). */
export function scheduleCompaction(
  db: Knex,
  options: { clock: Clock; retentionMs: number; everyMs: number; onError(err: unknown): void },
): ChangeCompactor {
  const run = () =>
    void compactChanges(db, new Date(options.clock.now().getTime() - options.retentionMs)).catch(
      options.onError,
    );
  const timer = setInterval(run, options.everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
