/**
 * The sync status the status bar shows. Connection state, first-sync progress and the last
 * refusal live in memory; `offlineSince` and `lastSyncAt` live in `meta` (a restart still knows
 * since when the shop has been offline); the counts come from the outbox. Every change is
 * published once, in order, and only when something visible changed.
 */
import type { Knex } from 'knex';
import type { Clock } from '../../../backend-sync/domain/clock';
import type { SyncStatus } from '../consoleApi/contract';
import { countByStatus } from '../outbox/outbox';
import { oldestQueuedAt } from './ledger';
import { getMeta, setMeta } from '../store/meta';
import { writeTransaction } from '../store/transaction';

export type Connection = SyncStatus['connection'];

export interface StatusTrackerDeps {
  db: Knex;
  clock: Clock;
  publish: (status: SyncStatus) => void;
  /** Unresolved conflicts (the till's "needs attention"); undefined = outbox conflict entries. */
  countConflicts?: (db: Knex) => Promise<number> | undefined;
  /** See SyncHooks.offlineRedeemUntil. */
  offlineRedeemUntil?: (db: Knex, offlineSince: string) => Promise<string | null> | undefined;
  onError: (err: unknown) => void;
}

export function createStatusTracker(deps: StatusTrackerDeps) {
  let connection: Connection = 'not_enrolled';
  let firstSync: SyncStatus['firstSync'] = null;
  let lastErrorCode: string | null = null;
  let lastPublished = '';
  // Status work (meta writes, reads, publishing) runs one step at a time, in the order asked.
  let chain: Promise<unknown> = Promise.resolve();

  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn);
    chain = next.catch((err: unknown) => deps.onError(err));
    return next;
  };

  async function read(): Promise<SyncStatus> {
    const [counts, offlineSince, lastSyncAt, conflicts, oldestQueued] = await Promise.all([
      countByStatus(deps.db),
      getMeta(deps.db, 'offlineSince'),
      getMeta(deps.db, 'lastSyncAt'),
      deps.countConflicts?.(deps.db),
      oldestQueuedAt(deps.db),
    ]);
    const since = connection === 'online' || connection === 'not_enrolled' ? null : offlineSince;
    return {
      connection,
      offlineSince: since,
      offlineRedeemUntil: since ? ((await deps.offlineRedeemUntil?.(deps.db, since)) ?? null) : null,
      lastSyncAt,
      queued: counts.queued,
      queuedRedemptions: counts.queuedRedemptions,
      conflicts: conflicts ?? counts.conflicts,
      rejected: counts.rejected,
      firstSync,
      lastErrorCode,
      oldestQueuedAt: oldestQueued,
    };
  }

  const publishIfChanged = async (): Promise<SyncStatus> => {
    const status = await read();
    const key = JSON.stringify(status);
    if (key !== lastPublished) {
      lastPublished = key;
      deps.publish(status);
    }
    return status;
  };

  return {
    /** Reads the status as it is now (after any pending status work). */
    current: (): Promise<SyncStatus> => serial(read),
    /** Re-reads counts etc. and publishes when something changed (e.g. after an enqueue). */
    refresh: (): Promise<SyncStatus> => serial(publishIfChanged),

    setConnection(next: Connection): Promise<SyncStatus> {
      return serial(async () => {
        connection = next;
        if (next === 'online') {
          await writeTransaction(deps.db, (trx) => setMeta(trx, { offlineSince: null }));
        } else if (next === 'offline') {
          // Keep the first moment we lost the hub, across reconnect attempts and restarts.
          const since = await getMeta(deps.db, 'offlineSince');
          if (!since) {
            const now = deps.clock.now().toISOString();
            await writeTransaction(deps.db, (trx) => setMeta(trx, { offlineSince: now }));
          }
        }
        return publishIfChanged();
      });
    },

    setFirstSync(progress: SyncStatus['firstSync']): Promise<SyncStatus> {
      return serial(async () => {
        firstSync = progress;
        return publishIfChanged();
      });
    },

    setLastError(code: string | null): Promise<SyncStatus> {
      return serial(async () => {
        lastErrorCode = code;
        return publishIfChanged();
      });
    },

    get connection(): Connection {
      return connection;
    },
  };
}

export type StatusTracker = ReturnType<typeof createStatusTracker>;
