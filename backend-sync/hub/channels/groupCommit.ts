/**
 * Group commit: writes handed in while a transaction is committing wait and share the next one,
 * so a burst of small writes (a status per sent message) costs one fsync per batch, not per write.
 */
import type { Knex } from 'knex';

export interface GroupCommit {
  /** Runs `work` in a shared transaction; resolves once that transaction committed. */
  write(work: (trx: Knex.Transaction) => Promise<unknown>): Promise<void>;
}

interface Pending {
  work: (trx: Knex.Transaction) => Promise<unknown>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * `windowMs` > 0 holds the first write that long for company (status bookkeeping that nobody
 * waits on); 0 only lets the writes of the current event-loop turn join.
 */
export function groupCommit(db: Knex, windowMs = 0): GroupCommit {
  let queue: Pending[] = [];
  let flushing = false;

  const flush = async () => {
    flushing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await db.transaction(async (trx) => {
          for (const p of batch) await p.work(trx);
        });
        for (const p of batch) p.resolve();
      } catch {
        // One bad write must not sink the others: retry each alone.
        for (const p of batch) {
          try {
            await db.transaction(async (trx) => {
              await p.work(trx);
            });
            p.resolve();
          } catch (error) {
            p.reject(error);
          }
        }
      }
    }
    flushing = false;
  };

  return {
    write: (work) =>
      new Promise<void>((resolve, reject) => {
        queue.push({ work, resolve, reject });
        if (!flushing) {
          flushing = true;
          // Let the requests already received in this turn of the event loop join the batch.
          if (windowMs > 0) setTimeout(() => void flush(), windowMs);
          else setImmediate(() => void flush());
        }
      }),
  };
}
