/**
 * Claims as redemption.create needs them: the claim, its coupon and its customer's name, read in
 * one join — for a whole push at once before its mutations run, and on PostgreSQL locked there
 * (`FOR UPDATE OF c`, in claim id order, so two pushes sharing claims wait for each other instead
 * of deadlocking). Redemptions of one claim are then decided one after the other.
 *
 * The push keeps each claim's state in memory (PushState), updated when a redemption takes the
 * claim, so a later mutation of the same push sees it without reading it back; the claims table
 * is written once per claim at the end of the push.
 */
import type { Knex } from 'knex';
import type { Mutation } from '../../../protocol';
import type { ApplyContext, Prefetcher } from './types';

type Row = Record<string, unknown>;

export interface ClaimEntry {
  /** The claims row (db shape). */
  claim: Row;
  /** The claim's coupon, when it is in the device's brand. */
  coupon: { id: string; branchIds: string[]; redeemTag: string | null } | null;
  customerName: string | null;
}

const claimKey = (claimId: string) => `claim:${claimId}`;

function claimsQuery(ctx: ApplyContext, claimIds: string[]): Knex.QueryBuilder {
  const brandId = ctx.device.brandId;
  const query = ctx
    .trx('claims as c')
    .leftJoin('coupons as p', (on) => on.on('p.id', '=', 'c.coupon_id').andOnVal('p.brand_id', '=', brandId))
    .leftJoin('customers as cu', 'cu.id', 'c.customer_id')
    .whereIn('c.id', claimIds)
    .andWhere('c.brand_id', brandId)
    .orderBy('c.id')
    .select(
      'c.*',
      'p.id as _coupon_id',
      'p.branch_ids as _coupon_branch_ids',
      'p.redeem_tag as _coupon_redeem_tag',
      'cu.display_name as _customer_name',
    );
  return ctx.dbKind === 'postgres' ? query.forUpdate('c') : query;
}

function toEntry(row: Row): ClaimEntry {
  const { _coupon_id, _coupon_branch_ids, _coupon_redeem_tag, _customer_name, ...claim } = row;
  return {
    claim,
    coupon: _coupon_id
      ? {
          id: String(_coupon_id),
          branchIds: JSON.parse(String(_coupon_branch_ids)) as string[],
          redeemTag: _coupon_redeem_tag ? String(_coupon_redeem_tag) : null,
        }
      : null,
    customerName: _customer_name === null || _customer_name === undefined ? null : String(_customer_name),
  };
}

async function loadClaims(ctx: ApplyContext, claimIds: string[]): Promise<void> {
  const unique = [...new Set(claimIds)];
  const found = new Map<string, ClaimEntry>();
  for (const row of (await claimsQuery(ctx, unique)) as Row[]) found.set(String(row.id), toEntry(row));
  for (const id of unique) ctx.push.preload(claimKey(id), found.get(id));
}

export const prefetchClaims: Prefetcher<'redemption.create'> = (mutations, ctx) =>
  loadClaims(
    ctx,
    mutations.map((m) => m.payload.claimId),
  );

/** The claim as this push knows it; loaded (and locked) now if the push did not prefetch it. */
export async function claimOf(
  ctx: ApplyContext,
  mutation: Extract<Mutation, { kind: 'redemption.create' }>,
): Promise<ClaimEntry | undefined> {
  const key = claimKey(mutation.payload.claimId);
  if (!ctx.push.known(key)) await loadClaims(ctx, [mutation.payload.claimId]);
  return ctx.push.known<ClaimEntry>(key)?.value;
}

/**
 * The claim's new state after this mutation (kept only if its savepoint is released), written to
 * the claims table with the push's other claims.
 */
export function updateClaim(ctx: ApplyContext, entry: ClaimEntry, changes: Row): ClaimEntry {
  const next = { ...entry, claim: { ...entry.claim, ...changes } };
  const key = claimKey(String(entry.claim.id));
  ctx.push.stage(key, next);
  ctx.push.claimChanged(key, next.claim);
  return next;
}
