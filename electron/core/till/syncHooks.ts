/**
 * Keeps till_redemptions in step with sync, inside the sync engine's own transactions:
 * - push answers: an own redemption's state follows its outbox entry (queued → synced · conflict
 *   · rejected, with the winner's who/when from the conflict details); a `conflict.resolve` the
 *   hub rejected takes back the local resolution.
 * - pulled pages: the hub's `redemption` rows (status, winner, resolution) update or add rows;
 *   pulled claims refresh the code/customer shown, and reveal an own redemption that a
 *   later-arriving, earlier redemption on another device took the claim from.
 * `changed()` tells whether anything the till shows changed since it was last asked.
 */
import type { Knex } from 'knex';
import type {
  Change,
  ClaimRow,
  MutationOutcome,
  MutationResult,
  RedemptionRow,
} from '../../../backend-sync/protocol';
import type { SyncHooks } from '../sync/hooks';
import { getMeta } from '../store/meta';
import { attentionCount } from './attention';
import { deriveState } from './state';
import type { TillRedemptionRow } from './views';

type Trx = Knex.Transaction;

export function createTillSyncHooks(onChanged: () => void): SyncHooks {
  let dirty = false;
  return {
    async answersStored(trx, results) {
      if (await applyAnswers(trx, results)) dirty = true;
    },
    async pageApplied(trx, changes) {
      if (await applyPulled(trx, changes)) dirty = true;
    },
    committed() {
      if (!dirty) return;
      dirty = false;
      onChanged();
    },
    countConflicts: (db) => attentionCount(db),
  };
}

const outcomeOf = (r: MutationResult): MutationOutcome =>
  r.status === 'duplicate' ? r.first : (r as MutationOutcome);

async function applyAnswers(trx: Trx, results: readonly MutationResult[]): Promise<boolean> {
  if (results.length === 0) return false;
  const byId = new Map(results.map((r) => [r.id, outcomeOf(r)]));
  let changed = false;
  const own = (await trx('till_redemptions').whereIn('id', [...byId.keys()])) as TillRedemptionRow[];
  for (const row of own) {
    const outcome = byId.get(row.id)!;
    const mutationState =
      outcome.status === 'applied' ? 'synced' : outcome.status === 'rejected' ? 'rejected' : 'conflict';
    const winner =
      outcome.status === 'conflict'
        ? winnerFromDetails(outcome.details)
        : ({} as Record<string, string | null>);
    const next = { ...row, mutation_state: mutationState, ...winner };
    await trx('till_redemptions')
      .where({ id: row.id })
      .update({ mutation_state: mutationState, ...winner, state: deriveState(next) });
    changed = true;
  }
  // A resolution the hub refused is taken back, so the conflict shows as open again.
  const resolves = (await trx('outbox')
    .whereIn('id', [...byId.keys()])
    .where({ kind: 'conflict.resolve' })
    .select('id', 'payload')) as { id: string; payload: string }[];
  for (const entry of resolves) {
    if (byId.get(entry.id)?.status !== 'rejected') continue;
    const { redemptionId } = JSON.parse(entry.payload) as { redemptionId: string };
    await trx('till_redemptions').where({ id: redemptionId }).update({ local_resolution: null });
    changed = true;
  }
  return changed;
}

function winnerFromDetails(details: Record<string, unknown>): Record<string, string | null> {
  const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    winner_id: s(details.redemptionId) ?? s(details.winnerId),
    winner_at: s(details.redeemedAt),
    winner_branch_id: s(details.branchId),
    winner_device_id: s(details.deviceId),
    winner_staff_id: s(details.staffId),
  };
}

async function applyPulled(trx: Trx, changes: readonly Change[]): Promise<boolean> {
  let changed = false;
  const claimIds: string[] = [];
  for (const change of changes) {
    if (change.entity === 'claim' && change.op === 'upsert') claimIds.push(change.id);
    if (change.entity !== 'redemption') continue;
    changed = true;
    if (change.op === 'delete') {
      await trx('till_redemptions').where({ id: change.id, own: 0 }).delete();
      await trx('till_redemptions').where({ id: change.id }).update({ hub_status: null });
      continue;
    }
    await upsertReplicated(trx, change.data);
  }
  if (claimIds.length > 0 && (await refreshFromClaims(trx, claimIds))) changed = true;
  return changed;
}

async function upsertReplicated(trx: Trx, r: RedemptionRow): Promise<void> {
  const existing = (await trx('till_redemptions').where({ id: r.id }).first()) as
    TillRedemptionRow | undefined;
  const hub = {
    hub_status: r.status,
    winner_id: r.winnerId ?? existing?.winner_id ?? null,
    resolution: r.resolution,
    resolved_by: r.resolvedBy,
    resolved_at: r.resolvedAt,
  };
  if (existing) {
    await trx('till_redemptions')
      .where({ id: r.id })
      .update({ ...hub, state: deriveState({ ...existing, ...hub }) });
    return;
  }
  const claimRow = (await trx('claims').where({ id: r.claimId }).first('data')) as
    { data: string } | undefined;
  const claim = claimRow ? (JSON.parse(claimRow.data) as ClaimRow) : null;
  const own = r.deviceId === (await getMeta(trx, 'deviceId')) ? 1 : 0;
  await trx('till_redemptions').insert({
    id: r.id,
    claim_id: r.claimId,
    coupon_id: r.couponId,
    branch_id: r.branchId,
    device_id: r.deviceId,
    staff_id: r.staffId,
    scanned_code: r.scannedCode,
    code: claim?.code ?? r.scannedCode,
    customer_name: claim?.customerName ?? null,
    redeemed_at: new Date(r.deviceTime).toISOString(),
    own,
    mutation_state: null,
    ...hub,
    state: deriveState({ own, mutation_state: null, hub_status: r.status }),
  });
}

/**
 * For the page's claims that have till rows: take the claim's code and customer name, and mark an
 * own synced redemption as a conflict when the claim now belongs to another device's redemption
 * (the hub moved it to an earlier one that arrived later) and no hub row has said so yet.
 */
async function refreshFromClaims(trx: Trx, claimIds: string[]): Promise<boolean> {
  let changed = false;
  for (let i = 0; i < claimIds.length; i += 500) {
    const ids = claimIds.slice(i, i + 500);
    const rows = (await trx('till_redemptions as r')
      .join('claims as c', 'c.id', 'r.claim_id')
      .whereIn('r.claim_id', ids)
      .select('r.*', 'c.data as claim_data')) as (TillRedemptionRow & { claim_data: string })[];
    for (const row of rows) {
      const claim = JSON.parse(row.claim_data) as ClaimRow;
      const update: Partial<TillRedemptionRow> = {};
      if (claim.code !== row.code) update.code = claim.code;
      if (claim.customerName !== row.customer_name) update.customer_name = claim.customerName;
      const lost =
        row.own &&
        row.state === 'synced' &&
        row.hub_status === null &&
        claim.redeemedAt !== null &&
        claim.redeemedDeviceId !== null &&
        claim.redeemedDeviceId !== row.device_id;
      if (lost) {
        Object.assign(update, {
          hub_status: 'conflict',
          winner_at: claim.redeemedAt,
          winner_branch_id: claim.redeemedBranchId,
          winner_device_id: claim.redeemedDeviceId,
          winner_staff_id: claim.redeemedStaffId,
          state: 'conflict',
        });
      }
      if (Object.keys(update).length > 0) {
        await trx('till_redemptions').where({ id: row.id }).update(update);
        changed = true;
      }
    }
  }
  return changed;
}
