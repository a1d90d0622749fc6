/**
 * Push answers, applied to the till's rows inside the transaction that stores them (sync hook
 * `answersStored`): an own redemption's state follows its outbox entry (queued → synced ·
 * conflict · rejected, mapped by the outbox's `answerOf`, with the winner's who/when from the
 * conflict details), and a
 * `conflict.resolve` the hub rejected takes back the local resolution, so the conflict shows as
 * open again.
 *
 * It runs for every pushed mutation while a queue drains (bench till.drain_per_s), so its
 * statements are prepared once per connection rather than built by knex per row.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';
import type { MutationResult } from '../../../backend-sync/protocol';
import { answerOf } from '../outbox/outbox';
import { preparedPer } from '../store/prepared';
import { transactionConnection } from '../store/transaction';
import { deriveState, type StateInputs } from './state';

type MutationState = 'synced' | 'rejected' | 'conflict';

interface Winner {
  winner_id: string | null;
  winner_at: string | null;
  winner_branch_id: string | null;
  winner_device_id: string | null;
  winner_staff_id: string | null;
}

const IN_IDS = 'id IN (SELECT value FROM json_each(?))';

const statements = preparedPer((conn: BetterSqlite3.Database) => {
  const own = conn.prepare<[string]>(`SELECT id, own, hub_status FROM till_redemptions WHERE ${IN_IDS}`);
  const setState = conn.prepare<[MutationState, string, string]>(
    'UPDATE till_redemptions SET mutation_state = ?, state = ? WHERE id = ?',
  );
  const setConflict = conn.prepare(
    `UPDATE till_redemptions SET mutation_state = 'conflict', winner_id = @winner_id,
       winner_at = @winner_at, winner_branch_id = @winner_branch_id,
       winner_device_id = @winner_device_id, winner_staff_id = @winner_staff_id, state = @state
     WHERE id = @id`,
  );
  const resolvedRedemptions = conn.prepare<[string]>(
    `SELECT json_extract(payload, '$.redemptionId') AS redemption_id FROM outbox
     WHERE kind = 'conflict.resolve' AND ${IN_IDS}`,
  );
  const takeBackResolution = conn.prepare<[string]>(
    'UPDATE till_redemptions SET local_resolution = NULL WHERE id = ?',
  );
  return {
    own: (ids: string[]) =>
      own.all(JSON.stringify(ids)) as (Pick<StateInputs, 'own' | 'hub_status'> & { id: string })[],
    setState: (id: string, mutationState: MutationState, state: string) =>
      void setState.run(mutationState, state, id),
    setConflict: (id: string, winner: Winner, state: string) =>
      void setConflict.run({ ...winner, id, state }),
    resolvedRedemptions: (ids: string[]) =>
      (resolvedRedemptions.all(JSON.stringify(ids)) as { redemption_id: string | null }[]).map(
        (r) => r.redemption_id,
      ),
    takeBackResolution: (redemptionId: string) => void takeBackResolution.run(redemptionId),
  };
});

/** Applies one push answer's results; true when a row the till shows changed. */
export async function applyAnswers(
  trx: Knex.Transaction,
  results: readonly MutationResult[],
): Promise<boolean> {
  if (results.length === 0) return false;
  const sql = statements(transactionConnection(trx));
  const byId = new Map(results.map((r) => [r.id, answerOf(r)]));
  let changed = false;
  for (const row of sql.own([...byId.keys()])) {
    const { outcome, status: mutationState } = byId.get(row.id)!;
    const state = deriveState({ ...row, mutation_state: mutationState });
    if (outcome.status === 'conflict') sql.setConflict(row.id, winnerFromDetails(outcome.details), state);
    else sql.setState(row.id, mutationState, state);
    changed = true;
  }
  const rejected = [...byId].filter(([, answer]) => answer.status === 'rejected').map(([id]) => id);
  if (rejected.length === 0) return changed;
  for (const redemptionId of sql.resolvedRedemptions(rejected)) {
    if (!redemptionId) continue;
    sql.takeBackResolution(redemptionId);
    changed = true;
  }
  return changed;
}

function winnerFromDetails(details: Record<string, unknown>): Winner {
  const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    winner_id: s(details.redemptionId) ?? s(details.winnerId),
    winner_at: s(details.redeemedAt),
    winner_branch_id: s(details.branchId),
    winner_device_id: s(details.deviceId),
    winner_staff_id: s(details.staffId),
  };
}
