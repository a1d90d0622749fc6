/** Branches (分店) of a brand. Every device belongs to one. */
import type { Knex } from 'knex';
import { recordChange } from '../db/changes';
import { toBranchRow } from '../db/rows';
import { requireBrand } from './brands';
import { CreateBranchInput, UpdateBranchInput, type BranchView } from '../services/schemas';
import { alreadyExists, inTransaction, notFound, parseInput, type CatalogDeps } from '../services/common';

export const toBranchView = (row: Record<string, unknown>): BranchView => ({
  ...toBranchRow(row),
  createdAt: String(row.created_at),
});

export async function createBranch(
  db: Knex,
  deps: CatalogDeps,
  brandId: string,
  input: unknown,
): Promise<BranchView> {
  const data = parseInput(CreateBranchInput, input);
  const now = deps.clock.now();
  return inTransaction(db, async (trx) => {
    await requireBrand(trx, brandId);
    const clash = await trx('branches').where({ brand_id: brandId, code: data.code }).first();
    if (clash)
      throw alreadyExists(`Branch code ${data.code} is already used in this brand.`, { field: 'code' });
    const row = {
      id: deps.ids(),
      brand_id: brandId,
      name: data.name,
      code: data.code,
      created_at: now.toISOString(),
    };
    await trx('branches').insert(row);
    await recordChange(trx, {
      brandId,
      scopes: ['brand'],
      entity: 'branch',
      id: row.id,
      op: 'upsert',
      data: toBranchRow(row),
      at: now,
    });
    return toBranchView(row);
  });
}

export async function listBranches(db: Knex, brandId: string): Promise<BranchView[]> {
  await requireBrand(db, brandId);
  const rows = await db('branches')
    .where({ brand_id: brandId })
    .orderBy([{ column: 'code' }, { column: 'id' }]);
  return rows.map(toBranchView);
}

/** The branch's row when it belongs to the brand, or NOT_FOUND. */
export async function requireBranch(
  db: Knex,
  brandId: string,
  branchId: string,
): Promise<Record<string, unknown>> {
  const row = await db('branches').where({ id: branchId, brand_id: brandId }).first();
  if (!row) throw notFound('Branch', branchId);
  return row;
}

/** Renames a branch; consoles get the new name with their next pull. */
export async function updateBranch(
  db: Knex,
  deps: CatalogDeps,
  branchId: string,
  input: unknown,
): Promise<BranchView> {
  const data = parseInput(UpdateBranchInput, input);
  const now = deps.clock.now();
  return inTransaction(db, async (trx) => {
    const row = await trx('branches').where({ id: branchId }).first();
    if (!row) throw notFound('Branch', branchId);
    const next = { ...row, name: data.name };
    await trx('branches').where({ id: branchId }).update({ name: data.name });
    await recordChange(trx, {
      brandId: String(row.brand_id),
      scopes: ['brand'],
      entity: 'branch',
      id: branchId,
      op: 'upsert',
      data: toBranchRow(next),
      at: now,
    });
    return toBranchView(next);
  });
}
