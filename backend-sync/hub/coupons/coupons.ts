/**
 * Coupons (優惠券). The verification code is write-only: its salted hash is stored and synced
 * (the till checks it offline), the admin view only says whether one is needed.
 */
import type { Knex } from 'knex';
import { hashSecret } from '../../domain/secrets';
import { couponScopes, recordChange } from '../db/changes';
import { toCouponRow } from '../db/rows';
import { requireBrand } from '../brands/brands';
import { CreateCouponInput, type CouponView } from '../services/schemas';
import {
  alreadyExists,
  inTransaction,
  isoUtc,
  notFound,
  parseInput,
  type CatalogDeps,
} from '../services/common';

export function toCouponView(row: Record<string, unknown>): CouponView {
  const { verificationCodeHash, ...coupon } = toCouponRow(row);
  return {
    ...coupon,
    requiresVerificationCode: verificationCodeHash !== null,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

export async function createCoupon(
  db: Knex,
  deps: CatalogDeps,
  brandId: string,
  input: unknown,
): Promise<CouponView> {
  const data = parseInput(CreateCouponInput, input);
  const verificationCodeHash = data.verificationCode ? hashSecret(data.verificationCode) : null;
  const now = deps.clock.now();
  return inTransaction(db, async (trx) => {
    await requireBrand(trx, brandId);
    if (data.branchIds.length > 0) {
      const found = await trx('branches')
        .where({ brand_id: brandId })
        .whereIn('id', data.branchIds)
        .pluck('id');
      const missing = data.branchIds.find((id) => !found.includes(id));
      if (missing) throw notFound('Branch', missing);
    }
    const fixedCode = data.fixedCode ?? null;
    if (fixedCode) await assertCodeFree(trx, brandId, fixedCode, 'fixedCode');
    const row = {
      id: deps.ids(),
      brand_id: brandId,
      name: data.name,
      type: data.type,
      status: data.status,
      branch_ids: JSON.stringify(data.branchIds),
      validity_mode: data.validityMode,
      valid_from: data.validFrom ? isoUtc(data.validFrom) : null,
      valid_until: data.validUntil ? isoUtc(data.validUntil) : null,
      duration_days: data.validityMode === 'fixed' ? null : (data.durationDays ?? null),
      usage_rules: data.usageRules,
      barcode_type: data.barcodeType,
      fixed_code: fixedCode,
      verification_code_hash: verificationCodeHash,
      redeem_tag: data.redeemTag ?? null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    };
    await trx('coupons').insert(row);
    await recordCouponChange(trx, row, now);
    return toCouponView(row);
  });
}

/** draft → published. Publishing a published coupon changes nothing and answers the same. */
export async function publishCoupon(db: Knex, deps: CatalogDeps, couponId: string): Promise<CouponView> {
  const now = deps.clock.now();
  return inTransaction(db, async (trx) => {
    const coupon = await requireCoupon(trx, couponId);
    if (coupon.status === 'published') return toCouponView(coupon);
    const row = { ...coupon, status: 'published', updated_at: now.toISOString() };
    await trx('coupons').where({ id: couponId }).update({ status: row.status, updated_at: row.updated_at });
    await recordCouponChange(trx, row, now);
    return toCouponView(row);
  });
}

export async function listCoupons(db: Knex, brandId: string): Promise<CouponView[]> {
  await requireBrand(db, brandId);
  const rows = await db('coupons')
    .where({ brand_id: brandId })
    .orderBy([{ column: 'created_at' }, { column: 'id' }]);
  return rows.map(toCouponView);
}

export async function requireCoupon(db: Knex, couponId: string): Promise<Record<string, unknown>> {
  const row = await db('coupons').where({ id: couponId }).first();
  if (!row) throw notFound('Coupon', couponId);
  return row;
}

/** Coupons reach the devices of their branches (all branches when the list is empty). */
export const couponBranchIds = (row: Record<string, unknown>): string[] =>
  JSON.parse(String(row.branch_ids)) as string[];

async function recordCouponChange(
  trx: Knex.Transaction,
  row: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await recordChange(trx, {
    brandId: String(row.brand_id),
    scopes: couponScopes(),
    entity: 'coupon',
    id: String(row.id),
    op: 'upsert',
    data: toCouponRow(row),
    at,
  });
}

/**
 * A scanned code must find one thing: a code is refused when it is already some coupon's fixed
 * code or some claim's code in the brand.
 */
export async function assertCodeFree(
  trx: Knex.Transaction | Knex,
  brandId: string,
  code: string,
  field = 'code',
): Promise<void> {
  const coupon = await trx('coupons').where({ brand_id: brandId, fixed_code: code }).first('id');
  const claim = coupon ? undefined : await trx('claims').where({ brand_id: brandId, code }).first('id');
  if (coupon || claim) throw alreadyExists(`The code ${code} is already in use in this brand.`, { field });
}
