/**
 * The brand a request's path is about, read from its first id parameter: every admin route names
 * its object by one id, and each id's table has a brand_id. Used to keep a brand's people and
 * tokens inside their own brand.
 */
import type { Knex } from 'knex';
import { notFound } from '../../services/common';

const TABLE_OF_PARAM: Record<string, { table: string; what: string }> = {
  branchId: { table: 'branches', what: 'Branch' },
  staffId: { table: 'staff', what: 'Staff' },
  deviceId: { table: 'devices', what: 'Device' },
  couponId: { table: 'coupons', what: 'Coupon' },
  channelId: { table: 'channels', what: 'Channel' },
  accountId: { table: 'admin_users', what: 'Account' },
  tokenId: { table: 'api_tokens', what: 'Token' },
};

/** The brand id, null for hub-wide paths (`/brands`), or NOT_FOUND for an unknown id. */
export async function brandOfParams(db: Knex, params: Record<string, string>): Promise<string | null> {
  if (params.brandId !== undefined) {
    if (!(await db('brands').where({ id: params.brandId }).first('id')))
      throw notFound('Brand', params.brandId);
    return params.brandId;
  }
  for (const [param, { table, what }] of Object.entries(TABLE_OF_PARAM)) {
    const id = params[param];
    if (id === undefined) continue;
    const row = await db(table).where({ id }).first('brand_id');
    if (!row) throw notFound(what, id);
    return String(row.brand_id);
  }
  return null;
}

/** Is this param list one brandOfParams understands? (A route test checks every route's.) */
export const KNOWN_ID_PARAMS = ['brandId', ...Object.keys(TABLE_OF_PARAM)];
