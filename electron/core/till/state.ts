/**
 * A redemption's state as the till shows it, derived from what this device knows:
 * the hub's replicated decision when it has one, else (for its own) the outbox entry's answer.
 */
export type RedemptionState = 'queued' | 'synced' | 'conflict' | 'rejected';

export interface StateInputs {
  own: boolean | number;
  mutation_state: string | null;
  hub_status: string | null;
}

export function deriveState(r: StateInputs): RedemptionState {
  if (r.hub_status === 'conflict' || r.hub_status === 'voided') return 'conflict';
  if (r.hub_status === 'applied') return 'synced';
  if (!r.own) return 'synced';
  switch (r.mutation_state) {
    case 'synced':
    case 'conflict':
    case 'rejected':
      return r.mutation_state;
    default:
      return 'queued';
  }
}

/** SQL for "an open conflict": not yet acknowledged or voided, here or at the hub. */
export const OPEN_CONFLICT_SQL = "state = 'conflict' AND resolution IS NULL AND local_resolution IS NULL";
