/**
 * till_redemptions rows → RedemptionView, with names from the mirrors (branch, device, staff,
 * coupon) and the winner's who/when for a conflict.
 */
import type { Knex } from 'knex';
import type { CouponRow } from '../../../backend-sync/protocol';
import type { RedemptionView } from '../consoleApi/contract';
import { loadNames } from './lookups';
import type { RedemptionState } from './state';

type Db = Knex | Knex.Transaction;

export interface TillRedemptionRow {
  id: string;
  claim_id: string;
  coupon_id: string;
  branch_id: string;
  device_id: string;
  staff_id: string;
  scanned_code: string;
  code: string;
  customer_name: string | null;
  redeemed_at: string;
  own: number;
  mutation_state: string | null;
  hub_status: string | null;
  winner_id: string | null;
  winner_at: string | null;
  winner_branch_id: string | null;
  winner_device_id: string | null;
  winner_staff_id: string | null;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  local_resolution: string | null;
  state: RedemptionState;
}

type Joined = TillRedemptionRow & {
  w_at: string | null;
  w_branch: string | null;
  w_device: string | null;
  w_staff: string | null;
  coupon_data: string | null;
};

/** The base query: `r` is the redemption, `w` the winner it lost to (when replicated here). */
export const redemptionsQuery = (db: Db) =>
  db('till_redemptions as r')
    .leftJoin('till_redemptions as w', 'w.id', 'r.winner_id')
    .leftJoin('coupons as c', 'c.id', 'r.coupon_id');

const SELECT = [
  'r.*',
  'w.redeemed_at as w_at',
  'w.branch_id as w_branch',
  'w.device_id as w_device',
  'w.staff_id as w_staff',
  'c.data as coupon_data',
];

export async function toViews(db: Db, query: Knex.QueryBuilder): Promise<RedemptionView[]> {
  const rows = (await query.select(SELECT)) as Joined[];
  const winner = (r: Joined) => ({
    at: r.w_at ?? r.winner_at,
    branch: r.w_branch ?? r.winner_branch_id,
    device: r.w_device ?? r.winner_device_id,
    staff: r.w_staff ?? r.winner_staff_id,
  });
  const names = await loadNames(db, {
    branches: rows.flatMap((r) => [r.branch_id, winner(r).branch]),
    devices: rows.flatMap((r) => [r.device_id, winner(r).device]),
    staff: rows.flatMap((r) => [r.staff_id, winner(r).staff]),
  });
  const couponNames = new Map<string, string>();
  const couponName = (r: Joined): string => {
    if (!r.coupon_data) return r.coupon_id;
    let name = couponNames.get(r.coupon_id);
    if (name === undefined) {
      name = (JSON.parse(r.coupon_data) as CouponRow).name;
      couponNames.set(r.coupon_id, name);
    }
    return name;
  };
  return rows.map((r) => {
    const w = winner(r);
    const resolution = (r.resolution ?? r.local_resolution) as 'acknowledged' | 'voided' | null;
    return {
      id: r.id,
      claimId: r.claim_id,
      code: r.code,
      couponName: couponName(r),
      customerName: r.customer_name,
      redeemedAt: r.redeemed_at,
      branchName: names.branch(r.branch_id) ?? r.branch_id,
      deviceName: names.device(r.device_id) ?? r.device_id,
      staffName: names.staff(r.staff_id) ?? r.staff_id,
      ownDevice: Boolean(r.own),
      syncState: r.state,
      conflict:
        r.state === 'conflict' || resolution !== null
          ? {
              winnerAt: w.at,
              winnerBranchName: names.branch(w.branch) ?? w.branch,
              winnerDeviceName: names.device(w.device) ?? w.device,
              winnerStaffName: names.staff(w.staff) ?? w.staff,
              resolution,
            }
          : null,
    };
  });
}

export async function viewById(db: Db, id: string): Promise<RedemptionView | null> {
  const [view] = await toViews(db, redemptionsQuery(db).where('r.id', id));
  return view ?? null;
}
