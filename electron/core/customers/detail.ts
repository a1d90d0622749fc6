/**
 * One customer's details (SPEC §2.2): binding history (carried on the replicated customer row),
 * the customer's coupons (claims, which every device of the brand holds) and the link to the
 * conversation when the brand has a URL template for the channel.
 */
import type { Knex } from 'knex';
import { AppError, ErrorCode } from '../../../backend-sync/domain/errors';
import { phoneDigits } from '../../../backend-sync/domain/phone';
import { ClaimRow, CustomerRow, type PullStream } from '../../../backend-sync/protocol';
import type { CustomerCoupon, CustomerDetail } from '../consoleApi/contract';
import type { BrandCustomerSettings } from './brand';
import { findInList } from './search';

export async function customerDetail(
  db: Knex,
  streams: PullStream[],
  id: string,
  brand: BrandCustomerSettings,
): Promise<CustomerDetail> {
  for (const stream of streams) {
    const customer = await findInList(db, stream, id);
    if (!customer) continue;
    const row = (await db('customer_list').where({ stream, id }).first('data')) as { data: string };
    const full = CustomerRow.parse(JSON.parse(row.data));
    return {
      ...customer,
      history: (full.history ?? []).map((h) => ({
        at: h.at,
        source: h.source,
        fromStaffName: h.fromStaffName,
        toStaffName: h.toStaffName,
      })),
      coupons: await couponsOf(db, id),
      conversationUrl: conversationUrl(brand, full),
    };
  }
  throw new AppError(ErrorCode.NOT_FOUND, 'This customer is not on your lists.', { id });
}

async function couponsOf(db: Knex, customerId: string): Promise<CustomerCoupon[]> {
  const rows = (await db('claims as c')
    .leftJoin('coupons as k', 'k.id', 'c.coupon_id')
    .where('c.customer_id', customerId)
    .select('c.data', 'k.data as coupon_data')) as { data: string; coupon_data: string | null }[];
  return rows
    .map((r) => {
      const claim = ClaimRow.parse(JSON.parse(r.data));
      const coupon = r.coupon_data ? (JSON.parse(r.coupon_data) as { name?: string }) : null;
      return {
        claimId: claim.id,
        couponName: coupon?.name ?? claim.couponId,
        claimedAt: claim.claimedAt,
        openedAt: claim.openedAt,
        redeemedAt: claim.redeemedAt,
      };
    })
    .sort((a, b) => b.claimedAt.localeCompare(a.claimedAt));
}

/** The brand's template with {userId} and {phone} filled in (URL-encoded); null without one. */
export function conversationUrl(brand: BrandCustomerSettings, customer: CustomerRow): string | null {
  const template = brand.conversationUrls?.[customer.channel];
  if (!template) return null;
  const userId = customer.channelUserId ?? '';
  const digits = phoneDigits(customer.phone);
  if ((template.includes('{userId}') && !userId) || (template.includes('{phone}') && !digits)) return null;
  const url = template
    .replaceAll('{userId}', encodeURIComponent(userId))
    .replaceAll('{phone}', encodeURIComponent(digits));
  return /^https:\/\//.test(url) ? url : null;
}
