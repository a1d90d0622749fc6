/**
 * Applies pulled changes to the local mirrors of replicated entities.
 *
 * The rule while the outbox is not empty (ARCHITECTURE, "The sync engine"): a pulled change must
 * not silently overwrite local state that a still-queued mutation depends on. Queued mutations
 * name the row they depend on in `outbox.subject` ('claim:<id>'). For a claim with a queued
 * mutation, the pulled row is stored but the local redemption fields (redeemedAt and who/where)
 * are kept when the local row has them: the cashier's confirmed redemption stays visible until
 * the hub has answered it; after that answer, the next pull brings the hub's word (applied, or a
 * conflict the console shows). Other entities are only ever changed by the hub, so they take the
 * pulled row as it is.
 */
import type { Knex } from 'knex';
import { phoneDigits } from '../../../backend-sync/domain/phone';
import { foldForSearch } from '../../../backend-sync/domain/searchText';
import type { Change, ClaimRow, PullStream } from '../../../backend-sync/protocol';

type Trx = Knex.Transaction;

const tableOf = {
  brand: 'brand',
  branch: 'branches',
  staff: 'staff',
  device: 'devices',
  coupon: 'coupons',
  claim: 'claims',
  customer: 'customer_list',
  redemption: 'redemptions',
  broadcast: 'broadcasts',
} as const satisfies Record<Change['entity'], string>;

/**
 * `stream` is the pull stream the change came in: a customer is stored once per list it is on
 * (an associate's own list and the team list are separate streams with their own deletes).
 */
export async function applyChange(trx: Trx, change: Change, stream: PullStream = 'device'): Promise<void> {
  const table = tableOf[change.entity];
  if (change.entity === 'customer') {
    if (change.op === 'delete') await trx(table).where({ stream, id: change.id }).delete();
    else await trx(table).insert(customerListRow(stream, change.data)).onConflict(['stream', 'id']).merge();
    return;
  }
  if (change.op === 'delete') {
    await trx(table).where({ id: change.id }).delete();
    return;
  }
  const row = await toMirrorRow(trx, change);
  await trx(table).insert(row).onConflict('id').merge();
}

export function customerListRow(
  stream: PullStream,
  c: Extract<Change, { entity: 'customer'; op: 'upsert' }>['data'],
): Record<string, unknown> {
  return {
    stream,
    id: c.id,
    channel: c.channel,
    display_name: c.displayName,
    name_key: foldForSearch(c.displayName),
    phone: c.phone,
    phone_digits: phoneDigits(c.phone),
    bound_staff_id: c.boundStaffId,
    bound_branch_id: c.boundBranchId,
    bound_at: c.boundAt,
    data: JSON.stringify(c),
  };
}

async function toMirrorRow(
  trx: Trx,
  change: Exclude<Change, { entity: 'customer' }> & { op: 'upsert' },
): Promise<Record<string, unknown>> {
  switch (change.entity) {
    case 'brand':
      return { id: change.id, name: change.data.name, data: JSON.stringify(change.data) };
    case 'branch': {
      const b = change.data;
      return { id: change.id, brand_id: b.brandId, name: b.name, code: b.code, data: JSON.stringify(b) };
    }
    case 'staff': {
      const s = change.data;
      return {
        id: change.id,
        brand_id: s.brandId,
        branch_id: s.branchId,
        staff_code: s.staffCode,
        staff_code_key: staffCodeKey(s.staffCode),
        active: s.active ? 1 : 0,
        data: JSON.stringify(s),
      };
    }
    case 'device': {
      const d = change.data;
      return {
        id: change.id,
        brand_id: d.brandId,
        branch_id: d.branchId,
        name: d.name,
        data: JSON.stringify(d),
      };
    }
    case 'redemption': {
      const r = change.data;
      return {
        id: change.id,
        brand_id: r.brandId,
        claim_id: r.claimId,
        status: r.status,
        data: JSON.stringify(r),
      };
    }
    case 'coupon': {
      const c = change.data;
      return {
        id: change.id,
        brand_id: c.brandId,
        status: c.status,
        fixed_code: c.fixedCode,
        data: JSON.stringify(c),
      };
    }
    case 'claim': {
      const c = await keepLocalRedemption(trx, change.data);
      return {
        id: change.id,
        brand_id: c.brandId,
        coupon_id: c.couponId,
        customer_id: c.customerId,
        code: c.code,
        claim_token: c.claimToken,
        redeemed_at: c.redeemedAt,
        data: JSON.stringify(c),
      };
    }
    case 'broadcast': {
      const b = change.data;
      return { id: change.id, staff_id: b.staffId, requested_at: b.requestedAt, data: JSON.stringify(b) };
    }
  }
}

export const staffCodeKey = (code: string): string => code.trim().toUpperCase();

async function keepLocalRedemption(trx: Trx, pulled: ClaimRow): Promise<ClaimRow> {
  const pending = await trx('outbox')
    .where({ subject: `claim:${pulled.id}`, status: 'queued' })
    .first('seq');
  if (!pending) return pulled;
  const local = (await trx('claims').where({ id: pulled.id }).first('data')) as { data: string } | undefined;
  if (!local) return pulled;
  const mine = JSON.parse(local.data) as ClaimRow;
  if (!mine.redeemedAt) return pulled;
  return {
    ...pulled,
    redeemedAt: mine.redeemedAt,
    redeemedBranchId: mine.redeemedBranchId,
    redeemedDeviceId: mine.redeemedDeviceId,
    redeemedStaffId: mine.redeemedStaffId,
  };
}
