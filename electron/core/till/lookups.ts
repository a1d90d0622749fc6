/**
 * The till's reads of local data: point lookups by indexed columns only (the till must answer
 * in milliseconds with a million claims), each returning the protocol row from its JSON. The
 * brand's rules that judge what they return are in rules.ts.
 */
import type { Knex } from 'knex';
import type { ClaimRow, CouponRow, StaffRow } from '../../../backend-sync/protocol';
import { getMeta } from '../store/meta';

type Db = Knex | Knex.Transaction;

export interface DeviceIdentity {
  deviceId: string;
  brandId: string;
  branchId: string;
}

/** Since when this console has been offline (kept in meta by the sync status), if it is. */
export const offlineSince = (db: Db): Promise<string | null> => getMeta(db, 'offlineSince');

const parse = <T>(row: { data: string } | undefined): T | null => (row ? (JSON.parse(row.data) as T) : null);

export const claimByToken = async (db: Db, token: string): Promise<ClaimRow | null> =>
  parse<ClaimRow>(await db('claims').where({ claim_token: token }).first('data'));

/** Exact code first; scanners and people sometimes give a pack code in lower case. */
export async function claimByCode(db: Db, code: string): Promise<ClaimRow | null> {
  const exact = parse<ClaimRow>(await db('claims').where({ code }).first('data'));
  if (exact || code.toUpperCase() === code) return exact;
  return parse<ClaimRow>(await db('claims').where({ code: code.toUpperCase() }).first('data'));
}

export const couponById = async (db: Db, id: string): Promise<CouponRow | null> =>
  parse<CouponRow>(await db('coupons').where({ id }).first('data'));

export async function couponByFixedCode(db: Db, code: string): Promise<CouponRow | null> {
  const exact = parse<CouponRow>(await db('coupons').where({ fixed_code: code }).first('data'));
  if (exact || code.toUpperCase() === code) return exact;
  return parse<CouponRow>(await db('coupons').where({ fixed_code: code.toUpperCase() }).first('data'));
}

/** Names of branches, devices and staff by id (as synced); an unknown id maps to nothing. */
export interface Names {
  branch(id: string | null): string | null;
  device(id: string | null): string | null;
  staff(id: string | null): string | null;
}

export async function loadNames(
  db: Db,
  ids: { branches?: (string | null)[]; devices?: (string | null)[]; staff?: (string | null)[] },
): Promise<Names> {
  const clean = (list: (string | null)[] = []) => [...new Set(list.filter((x): x is string => !!x))];
  const [branches, devices, staff] = await Promise.all([
    clean(ids.branches).length
      ? (db('branches').whereIn('id', clean(ids.branches)).select('id', 'name') as Promise<
          { id: string; name: string }[]
        >)
      : [],
    clean(ids.devices).length
      ? (db('devices').whereIn('id', clean(ids.devices)).select('id', 'name') as Promise<
          { id: string; name: string }[]
        >)
      : [],
    clean(ids.staff).length
      ? (db('staff').whereIn('id', clean(ids.staff)).select('id', 'data') as Promise<
          { id: string; data: string }[]
        >)
      : [],
  ]);
  const branchMap = new Map(branches.map((b) => [b.id, b.name]));
  const deviceMap = new Map(devices.map((d) => [d.id, d.name]));
  const staffMap = new Map(staff.map((s) => [s.id, (JSON.parse(s.data) as StaffRow).displayName]));
  return {
    branch: (id) => (id ? (branchMap.get(id) ?? null) : null),
    device: (id) => (id ? (deviceMap.get(id) ?? null) : null),
    staff: (id) => (id ? (staffMap.get(id) ?? null) : null),
  };
}

/** A coupon's verification lock on this device, while it lasts. */
export async function verificationLockedUntil(db: Db, couponId: string, now: Date): Promise<string | null> {
  const row = (await db('till_verify_attempts').where({ coupon_id: couponId }).first('locked_until')) as
    { locked_until: string | null } | undefined;
  return row?.locked_until && Date.parse(row.locked_until) > now.getTime() ? row.locked_until : null;
}
