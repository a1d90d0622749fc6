/** Sync's part of the ConsoleApi handler table: the status bar, the ledger drawer, "sync now". */
import type { Knex } from 'knex';
import type { ConsoleHandlers } from '../consoleApi/contract';
import type { Enrollment } from '../enrollment/enrollment';
import type { SyncEngine } from './engine';
import { syncLedger } from './ledger';

export type SyncMethod = 'sync.status' | 'sync.ledger' | 'sync.now';

export function syncHandlers(
  db: Knex,
  sync: SyncEngine,
  enrollment: Enrollment,
): Pick<ConsoleHandlers, SyncMethod> {
  return {
    'sync.status': () => sync.status(),
    'sync.ledger': () => syncLedger(db),
    'sync.now': async () => {
      await enrollment.requireEnrolled();
      return sync.syncNow();
    },
  };
}
