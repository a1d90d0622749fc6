/**
 * Keeps till_redemptions in step with sync, inside the sync engine's own transactions:
 * - push answers: see answers.ts.
 * - pulled pages: the hub's `redemption` rows (status, winner, resolution) update or add rows;
 *   pulled claims refresh the code/customer shown, and reveal an own redemption that a
 *   later-arriving, earlier redemption on another device took the claim from.
 * `changed()` tells whether anything the till shows changed since it was last asked.
 */
import type { Knex } from 'knex';
import type { Change, ClaimRow, RedemptionRow } from '../../../backend-sync/protocol';
import type { SyncHooks } from '../sync/hooks';
import { cachedIdentity, cachedRules, invalidateTillCache } from './cache';
import { offlineRedeemUntil } from './rules';
import { applyAnswers } from './answers';
import { attentionCount } from './attention';
import { deriveState } from './state';
import type { TillRedemptionRow } from './views';

type Trx = Knex.Transaction;

/** Pulled entities the till keeps in memory (till/cache.ts): their change drops that cache. */
const CACHED_ENTITIES: ReadonlySet<Change['entity']> = new Set(['brand', 'branch', 'device']);

export function createTillSyncHooks(db: Knex, onChanged: () => void): SyncHooks {
  let dirty = false;
  return {
    async answersStored(trx, results) {
      if (await applyAnswers(trx, results)) dirty = true;
    },
    async pageApplied(trx, changes) {
      if (changes.some((c) => CACHED_ENTITIES.has(c.entity))) invalidateTillCache(db);
      if (await applyPulled(trx, db, changes)) dirty = true;
    },
    committed() {
      if (!dirty) return;
      dirty = false;
      onChanged();
    },
    countConflicts: (db) => attentionCount(db),
    async offlineRedeemUntil(db, offlineSince) {
      const me = await cachedIdentity(db);
      if (!me) return null;
      return offlineRedeemUntil(offlineSince, await cachedRules(db, me.brandId)).toISOString();
    },
  };
}

async function applyPulled(trx: Trx, db: Knex, changes: readonly Change[]): Promise<boolean> {
  let changed = false;
  const page: PulledClaims = { pulled: new Set(), winnerMoved: new Set() };
  const claimIds = new Set<string>();
  for (const change of changes) {
    if (change.entity === 'claim' && change.op === 'upsert') {
      page.pulled.add(change.id);
      claimIds.add(change.id);
    }
    if (change.entity !== 'redemption') continue;
    changed = true;
    if (change.op === 'delete') {
      await trx('till_redemptions').where({ id: change.id, own: 0 }).delete();
      await trx('till_redemptions').where({ id: change.id }).update({ hub_status: null });
      continue;
    }
    claimIds.add(change.data.claimId);
    if (await upsertReplicated(trx, db, change.data)) page.winnerMoved.add(change.id);
  }
  if (claimIds.size > 0 && (await refreshFromClaims(trx, [...claimIds], page))) changed = true;
  return changed;
}

/** Returns true when the row already named another winner (the claim moved on at the hub). */
async function upsertReplicated(trx: Trx, db: Knex, r: RedemptionRow): Promise<boolean> {
  const existing = (await trx('till_redemptions').where({ id: r.id }).first()) as
    TillRedemptionRow | undefined;
  const winnerId = r.winnerId ?? existing?.winner_id ?? null;
  const winnerMoved = !!existing?.winner_id && winnerId !== existing.winner_id;
  const hub = {
    hub_status: r.status,
    winner_id: winnerId,
    // What this till knew of the previous winner no longer describes the new one.
    ...(winnerMoved ? NO_WINNER_DETAILS : {}),
    resolution: r.resolution,
    resolved_by: r.resolvedBy,
    resolved_at: r.resolvedAt,
  };
  if (existing) {
    await trx('till_redemptions')
      .where({ id: r.id })
      .update({ ...hub, state: deriveState({ ...existing, ...hub }) });
    return winnerMoved;
  }
  const claimRow = (await trx('claims').where({ id: r.claimId }).first('data')) as
    { data: string } | undefined;
  const claim = claimRow ? (JSON.parse(claimRow.data) as ClaimRow) : null;
  const own = r.deviceId === (await cachedIdentity(db, trx))?.deviceId ? 1 : 0;
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
  return false;
}

const NO_WINNER_DETAILS = {
  winner_at: null,
  winner_branch_id: null,
  winner_device_id: null,
  winner_staff_id: null,
} as const;

/** What a pulled page said about claims: which it carried, and which conflicts got a new winner. */
interface PulledClaims {
  pulled: Set<string>;
  winnerMoved: Set<string>;
}

/**
 * For the page's claims (pulled, or of pulled redemptions) that have till rows: take the claim's
 * code and customer name; mark an own synced redemption as a conflict when the claim now belongs
 * to another device's redemption (the hub moved it to an earlier one that arrived later) and no
 * hub row has said so yet; and name a conflict's winner from the claim's holder when the winner's
 * own row is not here (it is replicated to its branch only).
 */
async function refreshFromClaims(trx: Trx, claimIds: string[], page: PulledClaims): Promise<boolean> {
  let changed = false;
  for (let i = 0; i < claimIds.length; i += 500) {
    const ids = claimIds.slice(i, i + 500);
    const rows = (await trx('till_redemptions as r')
      .join('claims as c', 'c.id', 'r.claim_id')
      .whereIn('r.claim_id', ids)
      .select('r.*', 'c.data as claim_data')) as (TillRedemptionRow & { claim_data: string })[];
    const here = new Set(rows.map((r) => r.id));
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
      } else if (!(row.winner_id && here.has(row.winner_id))) {
        Object.assign(update, winnerFromHolder(row, claim, page, rows));
      }
      if (Object.keys(update).length > 0) {
        await trx('till_redemptions').where({ id: row.id }).update(update);
        changed = true;
      }
    }
  }
  return changed;
}

/**
 * The winner's who/when from the claim's holder, for a conflict whose winner's row this till does
 * not have. The hub writes the claim change AFTER the redemption changes of the same decision, so:
 * - a claim pulled in this page names the current winner of every `conflict` row of the claim
 *   (the hub moves them all to the new winner; voided rows keep theirs, so only fill those blank);
 * - a claim not in this page is trusted only for a conflict that names no winner details yet and
 *   whose winner did not just move (then its claim change is still to come, and will fill it);
 * - a holder that is one of this till's rows says nothing: the winner's row is not here, so the
 *   mirror still shows an earlier state (this very redemption before it lost) or this device's
 *   own redemption still queued (store/mirrors.ts keeps it until the hub answers).
 */
function winnerFromHolder(
  row: TillRedemptionRow,
  claim: ClaimRow,
  page: PulledClaims,
  local: readonly TillRedemptionRow[],
): Partial<TillRedemptionRow> {
  if (row.hub_status !== 'conflict' && row.hub_status !== 'voided') return {};
  const { redeemedAt, redeemedDeviceId } = claim;
  if (!redeemedAt || !redeemedDeviceId) return {};
  const at = Date.parse(redeemedAt);
  const heldByLocalRow = local.some(
    (r) => r.claim_id === claim.id && r.device_id === redeemedDeviceId && Date.parse(r.redeemed_at) === at,
  );
  if (heldByLocalRow) return {};
  const blank = row.winner_at === null;
  const fresh = page.pulled.has(claim.id);
  const trusted = fresh ? row.hub_status === 'conflict' || blank : blank && !page.winnerMoved.has(row.id);
  if (!trusted) return {};
  const holder = {
    winner_at: redeemedAt,
    winner_branch_id: claim.redeemedBranchId,
    winner_device_id: claim.redeemedDeviceId,
    winner_staff_id: claim.redeemedStaffId,
  };
  const same =
    row.winner_at === holder.winner_at &&
    row.winner_branch_id === holder.winner_branch_id &&
    row.winner_device_id === holder.winner_device_id &&
    row.winner_staff_id === holder.winner_staff_id;
  return same ? {} : holder;
}
