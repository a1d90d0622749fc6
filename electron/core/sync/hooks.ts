/**
 * What other features plug into the sync engine without the engine knowing them: work done in
 * the same transaction as a pulled page or a push answer (the till keeps its redemption states
 * there), a signal after those commits, and the status bar's conflict count and offline redeem
 * limit. The fault-injection points are in faults.ts.
 */
import type { Knex } from 'knex';
import type { Change, MutationResult } from '../../../backend-sync/protocol';

export interface SyncHooks {
  /** Runs in the transaction that stores a push batch's answers, after the outbox is marked. */
  answersStored?(trx: Knex.Transaction, results: readonly MutationResult[]): Promise<void>;
  /** Runs in the transaction that stores a pulled page, after its changes are applied. */
  pageApplied?(trx: Knex.Transaction, changes: readonly Change[]): Promise<void>;
  /** After a page or a batch of answers is committed. */
  committed?(): void;
  /** Unresolved conflicts for the status bar; default: outbox entries answered `conflict`. */
  countConflicts?(db: Knex): Promise<number>;
  /** Offline since `offlineSince`: from when the till refuses to redeem; default: never. */
  offlineRedeemUntil?(db: Knex, offlineSince: string): Promise<string | null>;
}
