/**
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
