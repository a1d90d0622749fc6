/** Brands: the tenant every other catalog row belongs to. */
import type { Knex } from 'knex';
import { toBrandRow } from '../db/rows';
import { recordChange } from '../db/changes';
import { CreateBrandInput, type BrandView } from '../services/schemas';
import { inTransaction, notFound, parseInput, type CatalogDeps } from '../services/common';

export const toBrandView = (row: Record<string, unknown>): BrandView => ({
  ...toBrandRow(row),
  createdAt: String(row.created_at),
});

export async function createBrand(db: Knex, deps: CatalogDeps, input: unknown): Promise<BrandView> {
  const data = parseInput(CreateBrandInput, input);
  const now = deps.clock.now();
  const row = {
    id: deps.ids(),
    name: data.name,
    time_zone: data.timeZone,
    verify_max_attempts: data.verifyMaxAttempts,
    verify_lock_seconds: data.verifyLockSeconds,
    offline_redeem_limit_hours: data.offlineRedeemLimitHours,
    created_at: now.toISOString(),
  };
  return inTransaction(db, async (trx) => {
    await trx('brands').insert(row);
    await recordChange(trx, {
      brandId: row.id,
      scopes: ['brand'],
      entity: 'brand',
      id: row.id,
      op: 'upsert',
      data: toBrandRow(row),
      at: now,
    });
    return toBrandView(row);
  });
}

export async function listBrands(db: Knex): Promise<BrandView[]> {
  const rows = await db('brands').orderBy([{ column: 'created_at' }, { column: 'id' }]);
  return rows.map(toBrandView);
}

/** The brand's row, or NOT_FOUND. */
export async function requireBrand(db: Knex, brandId: string): Promise<Record<string, unknown>> {
  const row = await db('brands').where({ id: brandId }).first();
  if (!row) throw notFound('Brand', brandId);
  return row;
}

export async function getBrand(db: Knex, brandId: string): Promise<BrandView> {
  return toBrandView(await requireBrand(db, brandId));
}
