/**
 * What other features plug into the sync engine without the engine knowing them: work done in
 * the same transaction as a pulled page or a push answer (the till keeps its redemption states
 * there), a signal after those commits, the status bar's conflict count and offline redeem
 * limit, and fault points.
 *
 * Fault points (for the fault-injection tests; `ConsoleCoreOptions.faults`, a no-op by default).
 * A fault function may throw to simulate a crash at that point:
 *   redeem:before-commit      inside the redemption's transaction, after every write (rolls back)
 *   redeem:after-commit       the redemption is committed, nothing returned or pushed yet
 *   sync:before-push          a batch of queued mutations is about to be sent
 *   sync:after-push-ack       the hub's answers are received, not yet stored
 *   sync:after-answers-stored the answers are committed locally
 *   sync:before-pull-apply    a pulled page is received, not yet stored
 *   sync:after-pull-apply     the page and its cursor are committed
 */
import type { Knex } from 'knex';
import type { Change, MutationResult } from '../../../backend-sync/protocol';

export type FaultPoint =
  | 'redeem:before-commit'
  | 'redeem:after-commit'
  | 'sync:before-push'
  | 'sync:after-push-ack'
  | 'sync:after-answers-stored'
  | 'sync:before-pull-apply'
  | 'sync:after-pull-apply';

export type Faults = (point: FaultPoint | (string & {})) => void;

export const noFaults: Faults = () => {};

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
